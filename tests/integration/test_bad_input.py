# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Invalid inputs fail before any request, with a message naming the option.

Every case is one task of one generated playbook (about 0.35 s a task, against about 1.1 s for an ad-hoc
run each). The simulator's request log only grows during the run, so an empty log at its end means no
case sent a request.
"""

from __future__ import annotations

import json

import pytest

from conftest import API_KEY
from reliability import IDS, run_playbook_file, run_env, run_module

APP = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
PROCESS = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
RESOURCE_TYPE = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
DROP = object()  # remove the option from the module's base arguments

BASE_ARGS = {
    "sevalla_process": {"app_id": APP, "process_key": "web"},
    "sevalla_process_exec": {"app_id": APP, "process_key": "web", "argv": ["true"]},
    "sevalla_process_info": {"app_id": APP},
    "sevalla_application_info": {},
    "sevalla_env_var": {"app_id": APP, "variables": [{"key": "GOOD_KEY", "value": "bad-input-value"}]},
    "sevalla_env_var_info": {"app_id": APP},
}
ENV_VALUE = {"value": "bad-input-value"}
TYPE_ERROR = "unable to convert to"


def case(case_id, module, args, *expected, with_key=True):
    return pytest.param(module, args, expected, with_key, id=case_id)


CASES = [
    # Wrong types.
    case("process-port-not-int", "sevalla_process", {"port": "abc"}, "port", TYPE_ERROR),
    case("process-instance-count-not-int", "sevalla_process",
         {"scaling_strategy": {"type": "manual", "config": {"instanceCount": "many"}}}, "instanceCount", TYPE_ERROR),
    case("process-ingress-not-bool", "sevalla_process", {"is_ingress_enabled": "perhaps"}, "is_ingress_enabled"),
    case("exec-argv-dict", "sevalla_process_exec", {"argv": {"ls": "-la"}}, "argv", "cannot be converted to a list"),
    case("exec-timeout-not-int", "sevalla_process_exec", {"timeout": "x"}, "timeout", TYPE_ERROR),
    case("info-api-timeout-not-int", "sevalla_process_info", {"api_timeout": "soon"}, "api_timeout", TYPE_ERROR),
    # Numbers out of range.
    case("process-port-0", "sevalla_process", {"port": 0}, "port must be between 1 and 65535"),
    case("process-port-70000", "sevalla_process", {"port": 70000}, "port must be between 1 and 65535"),
    case("process-instance-count-51", "sevalla_process",
         {"scaling_strategy": {"type": "manual", "config": {"instanceCount": 51}}},
         "scaling_strategy.config.instanceCount must be between 0 and 50"),
    case("process-target-cpu-101", "sevalla_process",
         {"scaling_strategy": {"type": "horizontal", "config": {
             "minInstanceCount": 1, "maxInstanceCount": 3, "targetCpuPercent": 101}}},
         "scaling_strategy.config.targetCpuPercent must be between 1 and 100"),
    case("process-probe-port-0", "sevalla_process", {"liveness_probe": {"tcpSocket": {"port": 0}}},
         "liveness_probe.tcpSocket.port"),
    case("exec-timeout-0", "sevalla_process_exec", {"timeout": 0}, "timeout must be between 1 and 60"),
    case("exec-timeout-61", "sevalla_process_exec", {"timeout": 61}, "timeout must be between 1 and 60"),
    case("info-api-timeout-0", "sevalla_process_info", {"api_timeout": 0}, "api_timeout must be between 1 and 3600"),
    case("exec-api-retries-11", "sevalla_process_exec", {"api_retries": 11}, "api_retries must be between 0 and 10"),
    # Identifiers that are not UUIDs, path traversal among them.
    case("info-app-id-dotdot-slash", "sevalla_process_info", {"app_id": "../"}, "app_id must be a UUID"),
    case("info-app-id-encoded-dotdot", "sevalla_process_info", {"app_id": "..%2F"}, "app_id must be a UUID"),
    case("process-process-id-encoded-slash", "sevalla_process",
         {"process_key": DROP, "process_id": "%2F"}, "process_id must be a UUID"),
    case("exec-app-id-traversal", "sevalla_process_exec", {"app_id": "app/../x"}, "app_id must be a UUID"),
    case("exec-process-id-trailing-newline", "sevalla_process_exec",
         {"process_key": DROP, "process_id": PROCESS + "\n"}, "process_id must be a UUID"),
    case("process-app-id-empty", "sevalla_process", {"app_id": ""}, "app_id must be a UUID"),
    case("process-app-id-uuid-plus-path", "sevalla_process", {"app_id": APP + "/processes"}, "app_id must be a UUID"),
    case("process-resource-type-id-not-uuid", "sevalla_process", {"resource_type_id": "s1"},
         "resource_type_id must be a UUID"),
    # Values outside the allowed choices.
    case("process-ingress-protocol", "sevalla_process", {"ingress_protocol": "tcp"}, "ingress_protocol", "http, grpc"),
    case("process-job-start-policy", "sevalla_process", {"job_start_policy": "always"}, "job_start_policy",
         "beforeDeployment"),
    case("process-scaling-type", "sevalla_process",
         {"scaling_strategy": {"type": "vertical", "config": {"instanceCount": 1}}}, "scaling_strategy", "vertical"),
    case("process-probe-scheme", "sevalla_process",
         {"liveness_probe": {"httpGet": {"port": 8080, "scheme": "FTP"}}}, "scheme", "HTTP, HTTPS"),
    case("info-type-filter", "sevalla_process_info", {"type": "daemon"}, "type", "web, worker, cron, job"),
    # Strings that are too long (or empty where a value is needed).
    case("process-display-name-256", "sevalla_process", {"display_name": "d" * 256},
         "display_name must be 1 to 255 characters long, got 256"),
    case("process-display-name-empty", "sevalla_process", {"display_name": ""}, "display_name must be 1 to 255"),
    case("process-entrypoint-1025", "sevalla_process", {"entrypoint": "e" * 1025}, "entrypoint", "1025"),
    case("process-schedule-101", "sevalla_process", {"schedule": "*" * 101}, "schedule", "101"),
    case("process-time-zone-101", "sevalla_process", {"time_zone": "Z" * 101}, "time_zone", "101"),
    # Cron schedules and time zones.
    case("process-schedule-words", "sevalla_process", {"schedule": "every 5 minutes"},
         "schedule must be a cron expression of five fields", "3 fields"),
    case("process-schedule-minute-61", "sevalla_process", {"schedule": "61 * * * *"},
         "the minute field takes 0 to 59, got 61"),
    case("process-schedule-month-name", "sevalla_process", {"schedule": "0 0 1 JANUARY *"},
         "the month field has 'JANUARY'"),
    case("process-time-zone-unknown", "sevalla_process", {"time_zone": "Europe/Pariss"},
         "time_zone must be an IANA time zone name", "Europe/Paris"),
    case("info-process-key-65", "sevalla_process_info", {"process_key": "k" * 65}, "process_key", "65"),
    # Commands.
    case("exec-argv-and-cmd", "sevalla_process_exec", {"cmd": "ls"}, "mutually exclusive", "argv", "cmd"),
    case("exec-argv-empty", "sevalla_process_exec", {"argv": []}, "argv must hold 1 to 100 arguments, got 0"),
    case("exec-argv-101", "sevalla_process_exec", {"argv": ["echo"] * 101}, "argv must hold 1 to 100 arguments"),
    case("exec-no-command", "sevalla_process_exec", {"argv": DROP}, "one of the following is required", "argv", "cmd"),
    case("exec-cmd-empty", "sevalla_process_exec", {"argv": DROP, "cmd": ""}, "cmd must hold 1 to 100"),
    # Options that exclude each other, or that do not exist.
    case("process-id-and-key", "sevalla_process", {"process_id": PROCESS}, "mutually exclusive",
         "process_id", "process_key"),
    case("info-id-and-key", "sevalla_process_info", {"process_id": PROCESS, "process_key": "web"},
         "mutually exclusive", "process_id", "process_key"),
    case("process-no-process", "sevalla_process", {"process_key": DROP}, "one of the following is required",
         "process_id", "process_key"),
    case("process-resource-type-and-id", "sevalla_process", {"resource_type": "s1", "resource_type_id": RESOURCE_TYPE},
         "mutually exclusive", "resource_type"),
    case("process-probe-two-handlers", "sevalla_process",
         {"readiness_probe": {"tcpSocket": {"port": 80}, "exec": {"command": ["true"]}}}, "mutually exclusive", "exec"),
    case("process-unknown-option", "sevalla_process", {"colour": "blue"}, "Unsupported parameters", "colour"),
    case("process-unknown-nested-option", "sevalla_process",
         {"scaling_strategy": {"type": "manual", "config": {"instanceCount": 1, "foo": 2}}},
         "Unsupported parameters", "foo"),
    case("exec-unknown-option", "sevalla_process_exec", {"shell": True}, "Unsupported parameters", "shell"),
    # Connection options.
    case("info-api-url-ftp", "sevalla_process_info", {"api_url": "ftp://api.sevalla.com/v3"},
         "api_url must be an http:// or https:// URL"),
    case("exec-api-url-not-url", "sevalla_process_exec", {"api_url": "api.sevalla.com"},
         "api_url must be an http:// or https:// URL"),
    case("process-no-api-key", "sevalla_process", {}, "api_key", "SEVALLA_API_KEY", with_key=False),
    case("exec-no-api-key", "sevalla_process_exec", {}, "api_key", "SEVALLA_API_KEY", with_key=False),
    case("info-no-api-key", "sevalla_process_info", {}, "api_key", "SEVALLA_API_KEY", with_key=False),
    # Applications by name, state and type.
    case("process-app-id-and-name", "sevalla_process", {"app_name": "demo"}, "mutually exclusive", "app_id", "app_name"),
    case("exec-no-app", "sevalla_process_exec", {"app_id": DROP}, "one of the following is required", "app_id", "app_name"),
    case("info-app-name-empty", "sevalla_process_info", {"app_id": DROP, "app_name": ""}, "app_name must be 1 to 255"),
    case("apps-app-id-not-uuid", "sevalla_application_info", {"app_id": "demo"}, "app_id must be a UUID"),
    case("apps-app-id-and-name", "sevalla_application_info", {"app_id": APP, "app_name": "demo"}, "mutually exclusive"),
    case("process-state", "sevalla_process", {"state": "deleted"}, "state", "present, absent"),
    case("process-type-rule", "sevalla_process", {"type": "worker", "schedule": "* * * * *"},
         "A worker process does not take these options: schedule (cron only)"),
    # Environment variables: each check names the item.
    case("env-key-empty", "sevalla_env_var", {"variables": [dict(ENV_VALUE, key="")]},
         "variables[0].key must be 1 to 255 characters long, got 0"),
    case("env-key-256", "sevalla_env_var", {"variables": [dict(ENV_VALUE, key="A"), dict(ENV_VALUE, key="K" * 256)]},
         "variables[1].key must be 1 to 255 characters long, got 256"),
    case("env-key-equals", "sevalla_env_var", {"variables": [dict(ENV_VALUE, key="A=B")]}, "variables[0].key 'A=B' holds '='"),
    case("env-key-space", "sevalla_env_var", {"variables": [dict(ENV_VALUE, key="MY KEY")]},
         "variables[0].key 'MY KEY' holds whitespace or a NUL character"),
    case("env-key-twice", "sevalla_env_var", {"variables": [dict(ENV_VALUE, key="A"), dict(ENV_VALUE, key="B"),
                                                            dict(ENV_VALUE, key="A")]},
         "variables[0] and variables[2] both have the key 'A'"),
    case("env-value-32769", "sevalla_env_var", {"variables": [{"key": "BIG", "value": "v" * 32769}]},
         "variables[0].value (key 'BIG') is 32769 characters long, more than the 32768 the API takes"),
    case("env-value-missing", "sevalla_env_var", {"variables": [dict(ENV_VALUE, key="A"), {"key": "B"}]},
         "variables[1] (key 'B') has no value: state=present needs one"),
    case("env-global-and-app-id", "sevalla_env_var", {"global": True},
         "global=true selects the company-wide variables and cannot be combined with app_id"),
    case("env-global-and-app-name", "sevalla_env_var", {"app_id": DROP, "app_name": "demo", "global": True},
         'cannot be combined with app_name', 'set app_name: "{{ omit }}" in this task'),
    case("env-purge-absent", "sevalla_env_var", {"purge": True, "state": "absent"}, "purge=true works with state=present only"),
    case("env-no-scope", "sevalla_env_var", {"app_id": DROP}, "one of app_id, app_name or global=true is required"),
    case("env-no-variables", "sevalla_env_var", {"variables": DROP}, "missing required arguments: variables"),
    case("env-state", "sevalla_env_var", {"state": "deleted"}, "state", "present, absent"),
    case("env-info-global-and-app-id", "sevalla_env_var_info", {"global": True}, "cannot be combined with app_id"),
    case("env-info-no-scope", "sevalla_env_var_info", {"app_id": DROP}, "one of app_id, app_name or global=true"),
]


def module_args(module, overrides):
    args = dict(BASE_ARGS[module])
    for name, value in overrides.items():
        if value is DROP:
            args.pop(name, None)
        else:
            args[name] = value
    return args


def write_playbook(path, cases):
    """One play with the API key in module_defaults, one play without any key (the environment has none)."""
    def tasks(with_key):
        return [{
            "name": param.id,
            "sevalla.cloud." + param.values[0]: module_args(param.values[0], param.values[1]),
            "ignore_errors": True,
        } for param in cases if param.values[3] is with_key]

    plays = [
        {"name": "Bad input with an API key", "hosts": "localhost", "gather_facts": False,
         "module_defaults": {"group/sevalla.cloud.all": {"api_key": API_KEY}}, "tasks": tasks(True)},
        {"name": "Bad input without an API key", "hosts": "localhost", "gather_facts": False, "tasks": tasks(False)},
    ]
    path.write_text(json.dumps(plays, indent=1))  # JSON is YAML


@pytest.fixture(scope="module")
def bad_input_run(simulator_server, tmp_path_factory):
    simulator_server.reset()
    playbook = tmp_path_factory.mktemp("bad_input") / "bad_input.yml"
    write_playbook(playbook, CASES)
    run = run_playbook_file(simulator_server, playbook, env=run_env(simulator_server, api_key=None))
    return run, simulator_server.requests()


def test_there_are_at_least_30_cases():
    assert len(CASES) >= 30


def test_no_case_sent_a_request(bad_input_run):
    run, requests = bad_input_run
    assert len(run.tasks) == len(CASES), str(run)
    assert requests == [], "bad input reached the API:\n%s" % json.dumps(requests, indent=1)


def test_no_traceback(bad_input_run):
    run, requests = bad_input_run
    run.assert_no_traceback()


@pytest.mark.parametrize("module, args, expected, with_key", CASES)
def test_bad_input_fails_naming_the_option(bad_input_run, request, module, args, expected, with_key):
    run, requests = bad_input_run
    task = run.task(request.node.callspec.id)
    result = task["result"]
    assert task["status"] == "failed", json.dumps(result, indent=1)
    for text in expected:
        assert text in result["msg"], result["msg"]
    assert "api_error" not in result, "a request was attempted: %s" % result["api_error"]


def test_argv_given_as_a_number_becomes_a_one_item_argv(simulator):
    """Ansible's list type turns a scalar into a one-item list, as it does for ansible.builtin.command."""
    run = run_module(simulator, "sevalla_process_exec", {"app_id": IDS["demo_app"], "process_id": IDS["demo_web"], "argv": 5})
    assert run.result["cmd"] == ["5"] and run.result["rc"] == 127, str(run)
    assert [entry["body"]["command"] for entry in simulator.requests("POST")] == [["5"]]
