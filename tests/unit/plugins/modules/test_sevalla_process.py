# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_process: validation, comparison, the PATCH body, check and diff modes, create, delete."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

from ansible.module_utils import basic

from ansible_collections.sevalla.cloud.plugins.modules import sevalla_process
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
WEB_ID = "11111111-1111-4111-8111-111111111111"
S1_ID = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
S2_ID = "6e7f8091-ab2c-4d3e-9f40-5b6c7d8e9fa0"
PROCESSES_URL = "%s/applications/%s/processes" % (API, APP_ID)
WEB_URL = "%s/%s" % (PROCESSES_URL, WEB_ID)
RESOURCE_TYPES_URL = API + "/resources/process-resource-types"

WEB = {
    "id": WEB_ID,
    "app_id": APP_ID,
    "key": "web",
    "type": "web",
    "display_name": "Web",
    "entrypoint": "npm start",
    "port": 8080,
    "is_ingress_enabled": True,
    "ingress_protocol": "http",
    "scaling_strategy": {"type": "manual", "config": {"instanceCount": 1}},
    "resource_type_id": S1_ID,
    "resource_type_name": "s1",
    "cpu_limit": 500,
    "memory_limit": 512,
    "schedule": None,
    "time_zone": None,
    "job_start_policy": None,
    "liveness_probe": {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP", "host": None},
                       "exec": None, "tcpSocket": None, "periodSeconds": 10, "initialDelaySeconds": None},
    "readiness_probe": None,
    "internal_hostname": "app-web.svc.cluster.local",
    "created_at": "2025-01-30T00:00:00.000Z",
    "updated_at": "2025-01-30T00:00:00.000Z",
}

RESOURCE_TYPES = [
    {"id": S1_ID, "name": "s1", "cpu_limit": 500, "memory_limit": 512, "category": "standard"},
    {"id": S2_ID, "name": "s2", "cpu_limit": 1000, "memory_limit": 1024, "category": "standard"},
]


def process_of(kind, **fields):
    process = copy.deepcopy(WEB)
    process.update(key=kind, type=kind, **fields)
    return process


def mock_process(requests_mock, process=None, patch_response=None):
    """Serve the process at WEB_URL; a PATCH answers with the process merged with the body."""
    process = process or copy.deepcopy(WEB)
    requests_mock.get(WEB_URL, json=process)

    def patched(request, context):
        return patch_response if patch_response is not None else dict(process, **request.json())

    requests_mock.patch(WEB_URL, json=patched)
    return process


def args(**options):
    """Module arguments for the web process; an option given as None is left out."""
    full = dict(app_id=APP_ID, process_id=WEB_ID)
    full.update(options)
    return dict((name, value) for name, value in full.items() if value is not None)


def calls(requests_mock, method):
    return [request for request in requests_mock.request_history if request.method == method]


def patch_body(requests_mock):
    patches = calls(requests_mock, "PATCH")
    assert len(patches) == 1
    return patches[0].json()


# ---------------------------------------------------------------------------
# Comparison and the PATCH body.

def test_no_change_sends_no_patch_and_returns_the_read_process(run_module, requests_mock):
    process = mock_process(requests_mock)
    result = run_module(sevalla_process, args(port=8080, display_name="Web", is_ingress_enabled=True))
    assert result["changed"] is False
    assert result["process"] == process
    assert requests_mock.call_count == 1
    assert "diff" not in result


def test_change_sends_only_changed_fields(run_module, requests_mock):
    mock_process(requests_mock)
    result = run_module(sevalla_process, args(port=3000, display_name="Web", entrypoint="npm start"))
    assert result["changed"] is True
    assert patch_body(requests_mock) == {"port": 3000}
    assert result["process"]["port"] == 3000
    assert requests_mock.call_count == 2


def test_process_key_uses_the_list_and_patches_by_id(run_module, requests_mock):
    requests_mock.get(PROCESSES_URL, json={"data": [WEB], "total": 1})
    requests_mock.patch(WEB_URL, json=dict(WEB, port=3000))
    result = run_module(sevalla_process, dict(application_id=APP_ID, process_key="web", port=3000))
    assert result["changed"] is True
    assert len(calls(requests_mock, "GET")) == 1
    assert patch_body(requests_mock) == {"port": 3000}


CAMEL_PROBE = {
    "httpGet": {"path": "/live", "port": 8080, "scheme": "HTTPS",
                "httpHeaders": [{"name": "X-Probe", "value": "1"}]},
    "initialDelaySeconds": 0, "periodSeconds": 5, "timeoutSeconds": 2,
    "successThreshold": 1, "failureThreshold": 4,
}
SNAKE_PROBE = {
    "http_get": {"path": "/live", "port": 8080, "scheme": "HTTPS",
                 "http_headers": [{"name": "X-Probe", "value": "1"}]},
    "initial_delay_seconds": 0, "period_seconds": 5, "timeout_seconds": 2,
    "success_threshold": 1, "failure_threshold": 4,
}
CAMEL_SCALING = {"type": "horizontal", "config": {
    "minInstanceCount": 1, "maxInstanceCount": 5, "targetCpuPercent": 70, "targetMemoryPercent": 80,
    "scaleUpIntervalSeconds": 60, "scaleUpIncrement": 2, "scaleDownIntervalSeconds": 120, "scaleDownIncrement": 1}}
SNAKE_SCALING = {"type": "horizontal", "config": {
    "min_instance_count": 1, "max_instance_count": 5, "target_cpu_percent": 70, "target_memory_percent": 80,
    "scale_up_interval_seconds": 60, "scale_up_increment": 2, "scale_down_interval_seconds": 120,
    "scale_down_increment": 1}}


@pytest.mark.parametrize("probe, scaling", [(CAMEL_PROBE, CAMEL_SCALING), (SNAKE_PROBE, SNAKE_SCALING)],
                         ids=["camelCase", "snake_case"])
def test_camel_and_snake_case_give_the_same_api_body(run_module, requests_mock, probe, scaling):
    mock_process(requests_mock)
    result = run_module(sevalla_process, args(liveness_probe=probe, readiness_probe=probe, scaling_strategy=scaling))
    assert result["changed"] is True
    assert patch_body(requests_mock) == {
        "liveness_probe": CAMEL_PROBE, "readiness_probe": CAMEL_PROBE, "scaling_strategy": CAMEL_SCALING}


def test_snake_case_matching_the_current_state_is_no_change(run_module, requests_mock):
    mock_process(requests_mock, process_of("web", liveness_probe=CAMEL_PROBE, scaling_strategy=CAMEL_SCALING))
    result = run_module(sevalla_process, args(liveness_probe=SNAKE_PROBE, scaling_strategy=SNAKE_SCALING))
    assert result["changed"] is False
    assert requests_mock.call_count == 1


def test_current_none_keys_equal_unset_desired_keys(run_module, requests_mock):
    mock_process(requests_mock)
    probe = {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 10}
    result = run_module(sevalla_process, args(liveness_probe=probe))
    assert result["changed"] is False
    assert requests_mock.call_count == 1


def test_subset_of_the_current_object_is_a_change_and_sends_the_whole_object(run_module, requests_mock):
    mock_process(requests_mock)
    probe = {"httpGet": {"path": "/health", "port": 8080}}
    result = run_module(sevalla_process, args(liveness_probe=probe))
    assert result["changed"] is True
    assert patch_body(requests_mock) == {"liveness_probe": probe}


def test_nested_change_sends_the_whole_desired_object(run_module, requests_mock):
    mock_process(requests_mock)
    probe = {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"}, "periodSeconds": 20}
    run_module(sevalla_process, args(liveness_probe=probe, port=8080))
    assert patch_body(requests_mock) == {"liveness_probe": probe}


def test_unset_suboptions_never_reach_the_api(run_module, requests_mock):
    mock_process(requests_mock)
    run_module(sevalla_process, args(readiness_probe={"tcp_socket": {"port": 8080}},
                                     scaling_strategy={"type": "manual", "config": {"instance_count": 2}}))
    assert patch_body(requests_mock) == {
        "readiness_probe": {"tcpSocket": {"port": 8080}},
        "scaling_strategy": {"type": "manual", "config": {"instanceCount": 2}},
    }


def test_exec_probe_body(run_module, requests_mock):
    mock_process(requests_mock)
    run_module(sevalla_process, args(readiness_probe={"exec": {"command": ["cat", "/tmp/ready"]}}))
    assert patch_body(requests_mock) == {"readiness_probe": {"exec": {"command": ["cat", "/tmp/ready"]}}}


# ---------------------------------------------------------------------------
# Options that apply to one process type only.

@pytest.mark.parametrize("kind, option, value", [
    ("web", "schedule", "0 * * * *"),
    ("web", "time_zone", "UTC"),
    ("worker", "schedule", "0 * * * *"),
    ("web", "job_start_policy", "beforeDeployment"),
    ("cron", "job_start_policy", "beforeDeployment"),
    ("worker", "is_ingress_enabled", True),
    ("job", "ingress_protocol", "http"),
    ("cron", "liveness_probe", {"tcpSocket": {"port": 8080}}),
    ("worker", "readiness_probe", {"tcpSocket": {"port": 8080}}),
])
def test_option_on_the_wrong_process_type_fails_after_one_get(run_module, requests_mock, kind, option, value):
    mock_process(requests_mock, process_of(kind))
    result = run_module(sevalla_process, args(**{option: value}))
    assert result["failed"] is True
    assert option in result["msg"] and repr(kind) in result["msg"] and "a %s process" % kind in result["msg"]
    assert len(calls(requests_mock, "GET")) == 1
    assert not calls(requests_mock, "PATCH")


def test_type_check_fails_even_when_the_value_is_current(run_module, requests_mock):
    mock_process(requests_mock, process_of("web", schedule="0 * * * *"))
    result = run_module(sevalla_process, args(schedule="0 * * * *"))
    assert result["failed"] is True and "schedule (cron only)" in result["msg"]
    assert not calls(requests_mock, "PATCH")


@pytest.mark.parametrize("kind, options", [
    ("cron", dict(schedule="*/5 * * * *", time_zone="Europe/Paris")),
    ("job", dict(job_start_policy="afterFailedDeployment")),
    ("worker", dict(scaling_strategy=SNAKE_SCALING, port=9000)),
])
def test_options_on_the_right_process_type_are_sent(run_module, requests_mock, kind, options):
    mock_process(requests_mock, process_of(kind))
    result = run_module(sevalla_process, args(**options))
    assert result["changed"] is True
    assert set(patch_body(requests_mock)) == set(options)


# ---------------------------------------------------------------------------
# resource_type by name.

def test_resource_type_same_name_costs_no_extra_get(run_module, requests_mock):
    mock_process(requests_mock)
    requests_mock.get(RESOURCE_TYPES_URL, json=RESOURCE_TYPES)
    result = run_module(sevalla_process, args(resource_type="s1"))
    assert result["changed"] is False
    assert requests_mock.call_count == 1


def test_resource_type_other_name_is_resolved_and_sent_as_id(run_module, requests_mock):
    mock_process(requests_mock)
    requests_mock.get(RESOURCE_TYPES_URL, json=RESOURCE_TYPES)
    result = run_module(sevalla_process, args(resource_type="s2", port=8080), diff=True)
    assert result["changed"] is True
    assert len(calls(requests_mock, "GET")) == 2
    assert patch_body(requests_mock) == {"resource_type_id": S2_ID}
    assert result["diff"] == {
        "before": {"port": 8080, "resource_type_name": "s1", "resource_type_id": S1_ID},
        "after": {"port": 8080, "resource_type_name": "s2", "resource_type_id": S2_ID},
    }


def test_resource_type_check_mode_predicts_name_and_limits(run_module, requests_mock):
    mock_process(requests_mock)
    requests_mock.get(RESOURCE_TYPES_URL, json=RESOURCE_TYPES)
    result = run_module(sevalla_process, args(resource_type="s2"), check_mode=True)
    assert result["changed"] is True
    assert not calls(requests_mock, "PATCH")
    process = result["process"]
    assert (process["resource_type_id"], process["resource_type_name"], process["cpu_limit"], process["memory_limit"]) \
        == (S2_ID, "s2", 1000, 1024)


def test_unknown_resource_type_lists_the_valid_names(run_module, requests_mock):
    mock_process(requests_mock)
    requests_mock.get(RESOURCE_TYPES_URL, json=RESOURCE_TYPES)
    result = run_module(sevalla_process, args(resource_type="xl9"))
    assert result["failed"] is True
    assert "'xl9'" in result["msg"] and "Valid names: s1, s2" in result["msg"]
    assert not calls(requests_mock, "PATCH")


def test_resource_types_response_of_the_wrong_shape_fails_cleanly(run_module, requests_mock):
    mock_process(requests_mock)
    requests_mock.get(RESOURCE_TYPES_URL, json={"data": RESOURCE_TYPES})
    result = run_module(sevalla_process, args(resource_type="s2"))
    assert result["failed"] is True
    assert "unexpected response shape" in result["msg"]
    assert result["api_error"]["path"] == "/resources/process-resource-types"


# ---------------------------------------------------------------------------
# Check mode, diff mode, the PATCH response.

def test_check_mode_sends_no_patch_and_predicts_the_process(run_module, requests_mock):
    process = mock_process(requests_mock)
    probe = {"tcp_socket": {"port": 9000}}
    result = run_module(sevalla_process, args(port=9000, readiness_probe=probe), check_mode=True)
    assert result["changed"] is True
    assert requests_mock.call_count == 1
    assert result["process"] == dict(process, port=9000, readiness_probe={"tcpSocket": {"port": 9000}})


def test_check_mode_without_change(run_module, requests_mock):
    process = mock_process(requests_mock)
    result = run_module(sevalla_process, args(port=8080), check_mode=True)
    assert result["changed"] is False and result["process"] == process


@pytest.mark.parametrize("diff", [False, True])
def test_diff_only_in_diff_mode_and_only_managed_fields(run_module, requests_mock, diff):
    mock_process(requests_mock)
    result = run_module(sevalla_process, args(port=3000, liveness_probe={"httpGet": {"path": "/health"}}), diff=diff)
    if not diff:
        assert "diff" not in result
        return
    assert result["diff"] == {
        "before": {"port": 8080, "liveness_probe": {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
                                                    "periodSeconds": 10}},
        "after": {"port": 3000, "liveness_probe": {"httpGet": {"path": "/health"}}},
    }


def test_patch_response_that_is_not_a_process_fails_cleanly(run_module, requests_mock):
    mock_process(requests_mock, patch_response={"ok": True})
    result = run_module(sevalla_process, args(port=3000))
    assert result["failed"] is True
    assert "expected a process object" in result["msg"]
    assert result["api_error"]["method"] == "PATCH"


def test_patch_api_error_is_reported(run_module, requests_mock):
    mock_process(requests_mock)
    requests_mock.patch(WEB_URL, status_code=400, json={"message": "Bad Request", "status": 400})
    result = run_module(sevalla_process, args(port=3000))
    assert result["failed"] is True
    assert result["api_error"]["status"] == 400


# ---------------------------------------------------------------------------
# Input validation: every failure happens before any request.

HTTP_PROBE = {"httpGet": {"port": 8080}}


def horizontal(**config):
    """A horizontal scaling_strategy between 1 and 2 instances, plus the given config keys."""
    return {"type": "horizontal", "config": dict({"minInstanceCount": 1, "maxInstanceCount": 2}, **config)}


@pytest.mark.parametrize("options, message", [
    (dict(app_id="not-a-uuid"), "app_id must be a UUID"),
    (dict(process_id="1234"), "process_id must be a UUID"),
    (dict(process_id=None), "one of the following is required: process_id, process_key"),
    (dict(process_key="web"), "mutually exclusive: process_id|process_key"),
    (dict(resource_type_id="s1"), "resource_type_id must be a UUID"),
    (dict(resource_type="s1", resource_type_id=S1_ID), "mutually exclusive: resource_type|resource_type_id"),
    (dict(resource_type=""), "resource_type must be a resource type name"),
    (dict(port=0), "port must be between 1 and 65535, got 0"),
    (dict(port=70000), "port must be between 1 and 65535"),
    (dict(display_name=""), "display_name must be 1 to 255 characters long, got 0"),
    (dict(display_name="x" * 256), "display_name must be 1 to 255 characters long, got 256"),
    (dict(entrypoint="x" * 1025), "entrypoint must be 0 to 1024 characters long"),
    (dict(schedule="x" * 101), "schedule must be 0 to 100 characters long"),
    (dict(time_zone="x" * 101), "time_zone must be 0 to 100 characters long"),
    (dict(schedule="every 5 minutes"), "schedule must be a cron expression of five fields"),
    (dict(schedule="61 * * * *"), "schedule '61 * * * *': the minute field takes 0 to 59, got 61"),
    (dict(schedule="0 24 * * *"), "the hour field takes 0 to 23, got 24"),
    (dict(time_zone="Mars/Olympus"), "time_zone must be an IANA time zone name"),
    (dict(time_zone="europe/paris"), "Did you mean 'Europe/Paris'"),
    (dict(ingress_protocol="tcp"), "ingress_protocol must be one of: http, grpc"),
    (dict(job_start_policy="always"), "job_start_policy must be one of"),
    (dict(scaling_strategy={"type": "vertical", "config": {}}), "type must be one of: manual, horizontal"),
    (dict(scaling_strategy={"type": "manual"}), "missing required arguments: config"),
    (dict(scaling_strategy={"type": "manual", "config": {}}),
     "scaling_strategy.config.instanceCount is required when scaling_strategy.type is manual"),
    (dict(scaling_strategy={"type": "manual", "config": {"instanceCount": 1, "maxInstanceCount": 3}}),
     "scaling_strategy.config.maxInstanceCount does not apply to manual scaling"),
    (dict(scaling_strategy={"type": "manual", "config": {"instance_count": 51}}),
     "scaling_strategy.config.instanceCount must be between 0 and 50, got 51"),
    (dict(scaling_strategy=horizontal(instanceCount=1)),
     "scaling_strategy.config.instanceCount does not apply to horizontal scaling"),
    (dict(scaling_strategy={"type": "horizontal", "config": {"min_instance_count": 1}}),
     "scaling_strategy.config.maxInstanceCount is required when scaling_strategy.type is horizontal"),
    (dict(scaling_strategy={"type": "horizontal", "config": {"minInstanceCount": 5, "maxInstanceCount": 2}}),
     "scaling_strategy.config.minInstanceCount (5) must not be greater than scaling_strategy.config.maxInstanceCount (2)"),
    (dict(scaling_strategy={"type": "horizontal", "config": {"minInstanceCount": 1, "maxInstanceCount": 60}}),
     "scaling_strategy.config.maxInstanceCount must be between 0 and 50"),
    (dict(scaling_strategy=horizontal(target_cpu_percent=0)),
     "scaling_strategy.config.targetCpuPercent must be between 1 and 100, got 0"),
    (dict(scaling_strategy=horizontal(targetMemoryPercent=101)),
     "scaling_strategy.config.targetMemoryPercent must be between 1 and 100"),
    (dict(scaling_strategy=horizontal(scaleUpIntervalSeconds=60001)),
     "scaling_strategy.config.scaleUpIntervalSeconds must be between 1 and 60000"),
    (dict(scaling_strategy=horizontal(scale_down_increment=6)),
     "scaling_strategy.config.scaleDownIncrement must be between 1 and 5"),
    (dict(scaling_strategy=horizontal(bogus=1)),
     "bogus"),
    (dict(liveness_probe={"httpGet": {"port": 0}}), "liveness_probe.httpGet.port must be between 1 and 65535"),
    (dict(readiness_probe={"tcp_socket": {"port": 65536}}), "readiness_probe.tcpSocket.port must be between 1 and 65535"),
    (dict(readiness_probe={"tcpSocket": {"host": "localhost"}}), "missing required arguments: port"),
    (dict(liveness_probe=dict(HTTP_PROBE, initialDelaySeconds=-1)),
     "liveness_probe.initialDelaySeconds must be between 0 and"),
    (dict(liveness_probe=dict(HTTP_PROBE, period_seconds=0)), "liveness_probe.periodSeconds must be between 1 and"),
    (dict(liveness_probe=dict(HTTP_PROBE, timeoutSeconds=0)), "liveness_probe.timeoutSeconds must be between 1 and"),
    (dict(liveness_probe=dict(HTTP_PROBE, success_threshold=0)), "liveness_probe.successThreshold must be between 1 and"),
    (dict(readiness_probe=dict(HTTP_PROBE, failureThreshold=0)), "readiness_probe.failureThreshold must be between 1 and"),
    (dict(liveness_probe={"httpGet": {"scheme": "FTP"}}), "scheme must be one of: HTTP, HTTPS"),
    (dict(liveness_probe={"httpGet": {"httpHeaders": [{"name": "X"}]}}), "missing required arguments: value"),
    (dict(liveness_probe={"exec": {}}), "missing required arguments: command"),
    (dict(liveness_probe={"periodSeconds": 5}), "one of the following is required: exec, httpGet, tcpSocket"),
    (dict(liveness_probe={"exec": {"command": ["true"]}, "tcpSocket": {"port": 1}}),
     "mutually exclusive: exec|httpGet|tcpSocket"),
    (dict(liveness_probe={"httpGet": {}, "unknown": 1}), "unknown"),
])
def test_invalid_input_fails_before_any_request(run_module, requests_mock, options, message):
    result = run_module(sevalla_process, args(**options))
    assert result["failed"] is True
    assert message in result["msg"], result["msg"]
    assert requests_mock.call_count == 0


def test_no_field_set_reads_the_process_only(run_module, requests_mock):
    process = mock_process(requests_mock)
    result = run_module(sevalla_process, args(), diff=True)
    assert result["changed"] is False and result["process"] == process
    assert result["diff"] == {"before": {}, "after": {}}
    assert requests_mock.call_count == 1


# ---------------------------------------------------------------------------
# state=present creates, state=absent deletes; app_name.

WORKER_ID = "22222222-2222-4222-8222-222222222222"
WORKER_URL = "%s/%s" % (PROCESSES_URL, WORKER_ID)
APPS_URL = API + "/applications"
MANUAL = {"type": "manual", "config": {"instanceCount": 2}}
NEW_WORKER = dict(type="worker", display_name="Background Jobs", resource_type_id=S1_ID, scaling_strategy=MANUAL)


@pytest.fixture
def warnings(monkeypatch):
    collected = []
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, message: collected.append(message))
    return collected


def serve_list(requests_mock, processes):
    requests_mock.get(PROCESSES_URL, json={"data": processes, "total": len(processes)})


def serve_create(requests_mock, key=None, status=200, **extra):
    """POST answers with the process the body describes, keyed as the server would; PATCH merges."""
    def created(request, context):
        context.status_code = status
        body = request.json()
        process = dict(process_of(body["type"]), id=WORKER_ID, key=key or "background-jobs",
                       is_ingress_enabled=body["type"] == "web", ingress_protocol="http" if body["type"] == "web" else None,
                       **body)
        process.update(extra)
        return process

    def patched(request, context):
        return dict(calls(requests_mock, "POST")[-1].json(), id=WORKER_ID, key=key or "background-jobs", **request.json())

    requests_mock.post(PROCESSES_URL, json=created)
    requests_mock.patch(WORKER_URL, json=patched)


def create_args(**options):
    full = dict(app_id=APP_ID, process_key="background-jobs", **NEW_WORKER)
    full.update(options)
    return dict((name, value) for name, value in full.items() if value is not None)


def test_unknown_key_creates_with_one_get_and_one_post(run_module, requests_mock, warnings):
    serve_list(requests_mock, [WEB])
    serve_create(requests_mock)
    result = run_module(sevalla_process, create_args(entrypoint="node jobs.js"), diff=True)
    assert result["changed"] is True
    assert [request.method for request in requests_mock.request_history] == ["GET", "POST"]
    assert calls(requests_mock, "POST")[0].json() == dict(NEW_WORKER, entrypoint="node jobs.js")
    assert result["process"]["id"] == WORKER_ID and result["process"]["key"] == "background-jobs"
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"] == dict(NEW_WORKER, entrypoint="node jobs.js")
    assert warnings == []


def test_create_resolves_a_resource_type_name_with_one_more_get(run_module, requests_mock):
    serve_list(requests_mock, [WEB])
    serve_create(requests_mock)
    requests_mock.get(RESOURCE_TYPES_URL, json=RESOURCE_TYPES)
    result = run_module(sevalla_process, create_args(resource_type_id=None, resource_type="s2"))
    assert [r.method for r in requests_mock.request_history] == ["GET", "GET", "POST"]
    assert calls(requests_mock, "POST")[0].json()["resource_type_id"] == S2_ID
    assert result["changed"] is True


def test_check_mode_create_predicts_the_process_without_an_id(run_module, requests_mock):
    serve_list(requests_mock, [WEB])
    requests_mock.get(RESOURCE_TYPES_URL, json=RESOURCE_TYPES)
    result = run_module(sevalla_process, create_args(resource_type_id=None, resource_type="s2"), check_mode=True, diff=True)
    assert result["changed"] is True
    assert [r.method for r in requests_mock.request_history] == ["GET", "GET"]
    process = result["process"]
    assert "id" not in process
    assert (process["key"], process["app_id"], process["type"]) == ("background-jobs", APP_ID, "worker")
    assert (process["resource_type_id"], process["resource_type_name"], process["cpu_limit"]) == (S2_ID, "s2", 1000)
    assert result["diff"]["before"] == {} and result["diff"]["after"]["resource_type_name"] == "s2"


def test_create_with_ingress_fields_sends_one_patch_after_the_post(run_module, requests_mock):
    serve_list(requests_mock, [])
    serve_create(requests_mock, key="front")
    result = run_module(sevalla_process, create_args(process_key="front", type="web", display_name="Front",
                                                     is_ingress_enabled=True, ingress_protocol="grpc"))
    assert [r.method for r in requests_mock.request_history] == ["GET", "POST", "PATCH"]
    assert "is_ingress_enabled" not in calls(requests_mock, "POST")[0].json()
    assert patch_body(requests_mock) == {"ingress_protocol": "grpc"}  # is_ingress_enabled is already true
    assert result["process"]["ingress_protocol"] == "grpc"


def test_ingress_fields_equal_to_the_created_process_send_no_patch(run_module, requests_mock):
    serve_list(requests_mock, [])
    serve_create(requests_mock, key="front")
    run_module(sevalla_process, create_args(process_key="front", type="web", display_name="Front",
                                            is_ingress_enabled=True, ingress_protocol="http"))
    assert not calls(requests_mock, "PATCH")


def test_a_different_server_key_warns(run_module, requests_mock, warnings):
    serve_list(requests_mock, [WEB])
    serve_create(requests_mock, key="background-jobs-2")
    result = run_module(sevalla_process, create_args(process_key="jobs"))
    assert result["process"]["key"] == "background-jobs-2"
    assert len(warnings) == 1 and "'background-jobs-2', not 'jobs'" in warnings[0]
    assert "process_key: background-jobs-2" in warnings[0]


def test_a_rerun_finds_the_process_by_display_name_and_type(run_module, requests_mock, warnings):
    existing = dict(process_of("worker"), id=WORKER_ID, key="background-jobs-2", display_name="Background Jobs",
                    scaling_strategy=MANUAL)
    serve_list(requests_mock, [WEB, existing])
    result = run_module(sevalla_process, create_args(process_key="jobs"))
    assert result["changed"] is False and result["process"] == existing
    assert [r.method for r in requests_mock.request_history] == ["GET"]
    assert len(warnings) == 1 and "process_key: background-jobs-2" in warnings[0]


def test_two_processes_with_the_display_name_and_type_are_no_match(run_module, requests_mock):
    twins = [dict(process_of("worker"), id="3333333%d-3333-4333-8333-333333333333" % index, key="w%d" % index,
                  display_name="Background Jobs") for index in (1, 2)]
    serve_list(requests_mock, [WEB] + twins)
    serve_create(requests_mock)
    run_module(sevalla_process, create_args(process_key="jobs"))
    assert len(calls(requests_mock, "POST")) == 1


def test_missing_create_options_fail_after_the_lookup_naming_all(run_module, requests_mock):
    serve_list(requests_mock, [WEB])
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_key="jobs", entrypoint="x"))
    assert result["failed"] is True
    assert "no process with the key 'jobs'" in result["msg"]
    assert "type, display_name, resource_type or resource_type_id, scaling_strategy" in result["msg"]
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_a_second_web_process_fails_with_no_post(run_module, requests_mock):
    serve_list(requests_mock, [WEB])
    result = run_module(sevalla_process, create_args(process_key="front", type="web", display_name="Front"))
    assert result["failed"] is True
    assert "already has a web process, 'web' (id %s)" % WEB_ID in result["msg"]
    assert not calls(requests_mock, "POST")


def test_a_field_of_another_type_fails_before_any_request(run_module, requests_mock):
    result = run_module(sevalla_process, create_args(schedule="0 * * * *"))
    assert result["failed"] is True and "A worker process does not take these options: schedule" in result["msg"]
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("status", [500, 502])
def test_a_5xx_on_the_post_is_not_retried_and_says_the_process_may_exist(run_module, requests_mock, status):
    serve_list(requests_mock, [WEB])
    requests_mock.post(PROCESSES_URL, status_code=status, json={"message": "boom", "status": status})
    result = run_module(sevalla_process, create_args())
    assert result["failed"] is True and len(calls(requests_mock, "POST")) == 1
    assert "may have been created" in result["msg"] and "by its key or by its display name" in result["msg"]
    assert result["api_error"]["status"] == status


@pytest.mark.parametrize("answer", [{"json": {"message": "created"}}, {"text": "<html>ok</html>"}])
def test_an_unreadable_200_to_the_post_says_the_process_may_exist(run_module, requests_mock, answer):
    serve_list(requests_mock, [WEB])
    requests_mock.post(PROCESSES_URL, **answer)
    result = run_module(sevalla_process, create_args())
    assert result["failed"] is True and len(calls(requests_mock, "POST")) == 1
    assert "may have been created" in result["msg"] and "by its key or by its display name" in result["msg"]


def test_a_failed_ingress_patch_after_a_create_reports_the_created_process(run_module, requests_mock):
    serve_list(requests_mock, [])
    serve_create(requests_mock, key="front")
    requests_mock.patch(WORKER_URL, status_code=400, json={"message": "Bad request", "status": 400})
    result = run_module(sevalla_process, create_args(process_key="front", type="web", display_name="Front",
                                                     ingress_protocol="grpc"))
    assert result["failed"] is True and result["changed"] is True
    assert result["process"]["id"] == WORKER_ID
    assert "was created (id %s), but setting ingress_protocol failed" % WORKER_ID in result["msg"]


def test_process_id_that_does_not_exist_fails_and_never_creates(run_module, requests_mock):
    requests_mock.get(WEB_URL, status_code=404, json={"message": "Not found", "status": 404})
    result = run_module(sevalla_process, dict(args(**NEW_WORKER)))
    assert result["failed"] is True and "was not found" in result["msg"]
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_a_different_type_fails_with_no_patch(run_module, requests_mock):
    mock_process(requests_mock, process_of("worker"))
    result = run_module(sevalla_process, args(type="cron", schedule="* * * * *"))
    assert result["failed"] is True and "cannot change" in result["msg"]
    assert not calls(requests_mock, "PATCH")


def test_the_same_type_is_no_change(run_module, requests_mock):
    mock_process(requests_mock)
    result = run_module(sevalla_process, args(type="web", port=8080), diff=True)
    assert result["changed"] is False
    assert result["diff"] == {"before": {"type": "web", "port": 8080}, "after": {"type": "web", "port": 8080}}


def test_absent_deletes_once_and_returns_the_message(run_module, requests_mock):
    worker = process_of("worker", id=WORKER_ID)
    serve_list(requests_mock, [WEB, worker])
    requests_mock.delete(WORKER_URL, json={"message": "Process is being deleted"})
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_key="worker", state="absent", port=1), diff=True)
    assert result["changed"] is True and result["msg"] == "Process is being deleted"
    assert [r.method for r in requests_mock.request_history] == ["GET", "DELETE"]
    assert result["diff"]["after"] == {} and result["diff"]["before"]["key"] == "worker"
    assert result["process"] == worker


def test_absent_not_found_sends_no_delete(run_module, requests_mock):
    serve_list(requests_mock, [WEB])
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_key="worker", state="absent"), diff=True)
    assert result["changed"] is False and "nothing to delete" in result["msg"]
    assert result["diff"] == {"before": {}, "after": {}} and "process" not in result
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_absent_by_an_id_that_does_not_exist_is_no_change(run_module, requests_mock):
    requests_mock.get(WORKER_URL, status_code=404, json={"message": "Not found", "status": 404})
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_id=WORKER_ID, state="absent"))
    assert result["changed"] is False and "the ID %s" % WORKER_ID in result["msg"]
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_absent_in_check_mode_sends_no_delete(run_module, requests_mock):
    requests_mock.get(WORKER_URL, json=process_of("worker", id=WORKER_ID))
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_id=WORKER_ID, state="absent"), check_mode=True)
    assert result["changed"] is True and "would be deleted" in result["msg"]
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_the_web_process_cannot_be_deleted(run_module, requests_mock):
    mock_process(requests_mock)
    result = run_module(sevalla_process, args(state="absent"))
    assert result["failed"] is True and "does not delete web processes" in result["msg"]
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_absent_with_another_type_deletes_nothing(run_module, requests_mock):
    requests_mock.get(WORKER_URL, json=process_of("worker", id=WORKER_ID))
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_id=WORKER_ID, state="absent", type="job"))
    assert result["failed"] is True and "not a job process" in result["msg"]
    assert not calls(requests_mock, "DELETE")


def test_app_name_and_process_key_no_change_costs_two_gets(run_module, requests_mock):
    requests_mock.get(APPS_URL, json={"data": [{"id": APP_ID, "name": "my-app", "display_name": "My App"}], "total": 1})
    serve_list(requests_mock, [WEB])
    result = run_module(sevalla_process, dict(app_name="My App", process_key="web", port=8080))
    assert result["changed"] is False
    assert [(r.method, r.path) for r in requests_mock.request_history] == [
        ("GET", "/v3/applications"), ("GET", "/v3/applications/%s/processes" % APP_ID)]


@pytest.mark.parametrize("options, message", [
    (dict(app_id=APP_ID, app_name="my-app"), "mutually exclusive: app_id|app_name"),
    (dict(app_id=None), "one of the following is required: app_id, app_name"),
    (dict(app_id=None, app_name=""), "app_name must be 1 to 255 characters long"),
    (dict(state="gone"), "value of state must be one of: present, absent"),
    (dict(type="daemon"), "value of type must be one of: web, worker, cron, job"),
])
def test_selector_and_state_errors_fail_before_any_request(run_module, requests_mock, options, message):
    result = run_module(sevalla_process, args(**options))
    assert result["failed"] is True and message in result["msg"], result["msg"]
    assert requests_mock.call_count == 0


# ---------------------------------------------------------------------------
# A delete acts only on process_id or the exact process_key, never on a display-name match.

def test_absent_never_deletes_a_display_name_match(run_module, requests_mock, warnings):
    namesake = dict(process_of("worker"), id=WORKER_ID, key="email-sender", display_name="Email Sender")
    serve_list(requests_mock, [WEB, namesake])
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_key="mailer", display_name="Email Sender",
                                              type="worker", state="absent"))
    assert result["changed"] is False and not calls(requests_mock, "DELETE")
    assert len(warnings) == 1
    assert "no process with the key 'mailer'" in warnings[0]
    assert "set process_key: email-sender to delete it" in warnings[0]


def test_absent_with_an_unknown_key_warns_naming_the_existing_keys(run_module, requests_mock, warnings):
    serve_list(requests_mock, [WEB, dict(process_of("worker"), id=WORKER_ID, key="email-sender")])
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_key="mailer", state="absent"))
    assert result["changed"] is False and not calls(requests_mock, "DELETE")
    assert len(warnings) == 1 and "Existing keys: web, email-sender" in warnings[0]


def test_absent_by_key_deletes_the_exact_key_only(run_module, requests_mock, warnings):
    worker = dict(process_of("worker"), id=WORKER_ID, key="mailer", display_name="Another Name")
    serve_list(requests_mock, [WEB, worker])
    requests_mock.delete(WORKER_URL, json={"message": "Process is being deleted"})
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_key="mailer", display_name="Email Sender",
                                              type="worker", state="absent"))
    assert result["changed"] is True and len(calls(requests_mock, "DELETE")) == 1 and warnings == []


def test_a_delete_is_sent_again_after_a_5xx_and_a_404_then_counts_as_done(run_module, requests_mock):
    serve_list(requests_mock, [WEB, dict(process_of("worker"), id=WORKER_ID, key="mailer")])
    requests_mock.delete(WORKER_URL, [{"status_code": 502}, {"status_code": 404, "json": {"message": "Not found", "status": 404}}])
    result = run_module(sevalla_process, dict(app_id=APP_ID, process_key="mailer", state="absent"))
    assert result["failed"] is False and result["changed"] is True
    assert len(calls(requests_mock, "DELETE")) == 2
    assert result["api_waits"][0]["reason"] == "server error (502)"
