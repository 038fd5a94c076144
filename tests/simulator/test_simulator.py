# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Focused checks of the simulator's behaviour, through HTTP against an in-process instance."""

from __future__ import annotations

import time

import pytest
import requests

from simulator.server import DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY
from simulator.testing import IDS, api

RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-request-id")
DEMO_WEB = "/applications/%s/processes/%s" % (IDS["demo_app"], IDS["demo_web"])


def run(sim, process_id, command, key=DEFAULT_API_KEY, **extra):
    path = "/applications/%s/processes/%s/exec" % (IDS["demo_app"], process_id)
    return api(sim, "POST", path, key=key, json=dict(command=command, **extra))


def fault(sim, **rule):
    requests.post(sim.url + "/_simulator/faults", json=rule, timeout=10).raise_for_status()


def logged(sim, **filters):
    return requests.get(sim.url + "/_simulator/requests", params=filters, timeout=10).json()["requests"]


def assert_error_shape(response, status):
    body = response.json()
    assert response.status_code == status and body["status"] == status
    assert isinstance(body["message"], str) and body["data"]["code"].startswith("err-")
    return body["data"]["message"]


def test_patch_rejects_unknown_nested_key(sim):
    response = api(sim, "PATCH", DEMO_WEB, json={"liveness_probe": {"http_get": {"path": "/health"}}})
    detail = assert_error_shape(response, 400)
    assert "body.liveness_probe" in detail and "http_get" in detail
    assert api(sim, "GET", DEMO_WEB).json()["liveness_probe"]["httpGet"]["path"] == "/health"


def test_patch_rejects_field_of_another_process_type(sim):
    detail = assert_error_shape(api(sim, "PATCH", DEMO_WEB, json={"schedule": "* * * * *"}), 400)
    assert "schedule" in detail and "web" in detail


def test_patch_changes_only_given_fields_and_bumps_updated_at(sim):
    before = api(sim, "GET", DEMO_WEB).json()
    assert api(sim, "PATCH", DEMO_WEB, json={}).json() == before
    first = api(sim, "PATCH", DEMO_WEB, json={"display_name": "Front", "resource_type_id": IDS["rt_s2"]}).json()
    second = api(sim, "PATCH", DEMO_WEB, json={"display_name": "Front"}).json()
    changed = {name for name in before if before[name] != first[name]}
    assert changed == {"display_name", "resource_type_id", "resource_type_name", "cpu_limit", "memory_limit", "updated_at"}
    assert (first["resource_type_name"], first["cpu_limit"], first["memory_limit"]) == ("s2", 1000, 1024)
    assert before["updated_at"] < first["updated_at"] < second["updated_at"]
    assert first["updated_at"].endswith("Z") and len(first["updated_at"]) == len("2025-01-30T00:00:00.000Z")


def test_big_app_has_two_pages_at_the_maximum_page_size(sim):
    path = "/applications/%s/processes" % IDS["big_app"]
    first = api(sim, "GET", path, params={"limit": 100}).json()
    second = api(sim, "GET", path, params={"limit": 100, "offset": 100}).json()
    assert (first["total"], first["offset"], first["limit"], len(first["data"])) == (130, 0, 100, 100)
    assert (second["total"], second["offset"], second["limit"], len(second["data"])) == (130, 100, 100, 30)
    assert {"key": "worker-120", "id": IDS["big_worker_120"]}.items() <= second["data"][20].items()
    assert_error_shape(api(sim, "GET", path, params={"limit": 101}), 400)


def test_readonly_key_may_list_but_not_touch(sim):
    touched = run(sim, IDS["demo_web"], ["touch", "/tmp/x"], key=DEFAULT_READONLY_API_KEY)
    assert "read-only" in assert_error_shape(touched, 403)
    listed = run(sim, IDS["demo_web"], ["ls", "/app"], key=DEFAULT_READONLY_API_KEY)
    assert listed.status_code == 200 and "package.json\n" in listed.json()["stdout"]
    assert_error_shape(api(sim, "PATCH", DEMO_WEB, key=DEFAULT_READONLY_API_KEY, json={}), 403)


def test_exec_commands(sim):
    assert run(sim, IDS["demo_web"], ["nope", "x"]).json() == {
        "stdout": "", "stderr": 'exec: "nope": executable file not found in $PATH\n', "exit_code": 127}
    assert run(sim, IDS["demo_web"], ["touch", "/tmp/marker"]).json()["exit_code"] == 0
    assert run(sim, IDS["demo_web"], ["test", "-f", "/tmp/marker"]).json()["exit_code"] == 0
    assert run(sim, IDS["demo_web"], ["cat", "missing"]).json()["stderr"] == "cat: missing: No such file or directory\n"
    assert run(sim, IDS["demo_web"], ["sleep", "5"], timeout=1).json()["exit_code"] == 124
    assert "HOSTNAME=web-" in run(sim, IDS["demo_web"], ["env"]).json()["stdout"]
    assert_error_shape(run(sim, IDS["demo_idle"], ["true"]), 409)


def test_injected_429_carries_the_reset_header(sim):
    fault(sim, method="GET", path="/processes$", status=429, headers={"x-ratelimit-reset": "3"})
    response = api(sim, "GET", "/applications/%s/processes" % IDS["demo_app"])
    assert_error_shape(response, 429)
    assert response.headers["x-ratelimit-reset"] == "3" and "Retry-After" not in response.headers
    assert api(sim, "GET", "/applications/%s/processes" % IDS["demo_app"]).status_code == 200
    assert [entry["fault"] for entry in logged(sim)] == ["status", None]


def test_dropped_connection_and_delay(sim):
    fault(sim, method="PATCH", drop=True)
    with pytest.raises(requests.ConnectionError):
        api(sim, "PATCH", DEMO_WEB, json={"display_name": "Dropped"})
    assert api(sim, "GET", DEMO_WEB).json()["display_name"] == "Web Process"
    fault(sim, method="GET", delay=0.5)
    started = time.monotonic()
    assert api(sim, "GET", DEMO_WEB).status_code == 200
    assert time.monotonic() - started >= 0.5
    assert [(entry["status"], entry["fault"]) for entry in logged(sim, method="PATCH")] == [(None, "drop")]


def test_raw_body_fault(sim):
    fault(sim, body="not json", status=200)
    response = api(sim, "GET", DEMO_WEB)
    assert response.status_code == 200 and response.text == "not json"


def test_rate_limit_blocks_after_the_limit(sim):
    requests.post(sim.url + "/_simulator/config", json={"mutation_limit": 2}, timeout=10).raise_for_status()
    try:
        statuses = [api(sim, "PATCH", DEMO_WEB, json={}).status_code for _attempt in range(3)]
    finally:
        requests.post(sim.url + "/_simulator/config", json={"mutation_limit": 0}, timeout=10).raise_for_status()
    assert statuses == [200, 200, 429]


def test_log_never_holds_the_key(sim):
    api(sim, "GET", DEMO_WEB)
    api(sim, "GET", DEMO_WEB, key="wrong-" + DEFAULT_API_KEY)
    api(sim, "GET", DEMO_WEB, key=None)
    text = requests.get(sim.url + "/_simulator/requests", timeout=10).text
    assert DEFAULT_API_KEY not in text and "simulator-key" not in text
    assert [entry["auth"] for entry in logged(sim)] == ["valid", "invalid", "missing"]


def test_headers_on_every_response(sim):
    fault(sim, path="/exec$", status=503)
    responses = [
        api(sim, "GET", DEMO_WEB),
        api(sim, "GET", DEMO_WEB, key=None),
        api(sim, "GET", "/nowhere"),
        api(sim, "PUT", DEMO_WEB),
        api(sim, "GET", "/applications/%s/processes" % IDS["unknown_app"]),
        api(sim, "PATCH", DEMO_WEB, data=b"{not json"),
        run(sim, IDS["demo_web"], ["true"]),
        api(sim, "GET", "/resources/process-resource-types"),
    ]
    assert [response.status_code for response in responses] == [200, 401, 404, 405, 404, 400, 503, 200]
    for response in responses:
        assert all(name in response.headers for name in RATE_HEADERS)
        assert response.headers["content-type"] == "application/json"
    assert len({response.headers["x-request-id"] for response in responses}) == len(responses)


def test_request_in_flight_during_reset_is_not_logged(sim):
    fault(sim, method="GET", delay=1)
    with pytest.raises(requests.Timeout):
        requests.get(sim.api_url + DEMO_WEB, headers={"Authorization": "Bearer " + DEFAULT_API_KEY}, timeout=0.2)
    requests.post(sim.url + "/_simulator/reset", timeout=10).raise_for_status()
    time.sleep(1.2)
    assert logged(sim) == []


def test_reset_restores_the_starting_rate_limits(sim):
    requests.post(sim.url + "/_simulator/config", json={"mutation_limit": 1}, timeout=10).raise_for_status()
    assert api(sim, "PATCH", DEMO_WEB, json={"port": 8081}).status_code == 200
    assert api(sim, "PATCH", DEMO_WEB, json={"port": 8082}).status_code == 429
    requests.post(sim.url + "/_simulator/reset", timeout=10).raise_for_status()
    assert requests.get(sim.url + "/_simulator/config", timeout=10).json()["mutation_limit"] == 0
    assert api(sim, "PATCH", DEMO_WEB, json={"port": 8083}).status_code == 200


def test_a_request_is_logged_by_the_time_its_answer_arrives(sim):
    for _attempt in range(20):
        api(sim, "GET", DEMO_WEB)
    log = requests.get(sim.url + "/_simulator/requests", timeout=10).json()
    assert log["count"] == 20


# ---------------------------------------------------------------------------
# Applications, and creating and deleting processes.

DEMO_PROCESSES = "/applications/%s/processes" % IDS["demo_app"]
LIST_FIELDS = {"id", "name", "display_name", "status", "type", "source", "is_suspended", "created_at", "updated_at"}


def new_process(**fields):
    body = {"display_name": "Background Jobs", "type": "worker", "resource_type_id": IDS["rt_s1"],
            "scaling_strategy": {"type": "manual", "config": {"instanceCount": 1}}}
    body.update(fields)
    return {name: value for name, value in body.items() if value is not None}


def test_applications_are_listed_newest_first_in_pages(sim):
    first = api(sim, "GET", "/applications", params={"limit": 100}).json()
    second = api(sim, "GET", "/applications", params={"limit": 100, "offset": 100}).json()
    apps = first["data"] + second["data"]
    assert first["total"] == second["total"] == len(apps) >= 105
    assert (len(first["data"]), first["offset"], second["offset"]) == (100, 0, 100)
    assert all(set(app) == LIST_FIELDS for app in apps)
    stamps = [app["created_at"] for app in apps]
    assert stamps == sorted(stamps, reverse=True)
    assert len({app["name"] for app in apps}) == len(apps)
    assert sorted(app["name"] for app in apps if app["display_name"] == "Shop") == ["shop-eu", "shop-us"]
    assert apps[-1]["id"] == IDS["demo_app"] and apps[0]["id"] == IDS["generated_app_105"]
    assert api(sim, "GET", "/applications").json()["limit"] == 25
    assert_error_shape(api(sim, "GET", "/applications", params={"limit": 0}), 400)


def test_application_by_id_is_the_full_object(sim):
    app = api(sim, "GET", "/applications/%s" % IDS["demo_app"]).json()
    assert (app["name"], app["display_name"], app["namespace"]) == ("demo", "Demo Application", "demo-k3x9p")
    assert len(app) == 32 and "processes" not in app
    assert "no application" in assert_error_shape(api(sim, "GET", "/applications/%s" % IDS["unknown_app"]), 404)
    assert_error_shape(api(sim, "GET", "/applications/not-a-uuid"), 400)


def test_create_derives_the_key_from_the_display_name(sim):
    created = api(sim, "POST", DEMO_PROCESSES, json=new_process(display_name="  Background Jobs (EU)! ")).json()
    again = api(sim, "POST", DEMO_PROCESSES, json=new_process(display_name="background jobs eu")).json()
    long_name = api(sim, "POST", DEMO_PROCESSES, json=new_process(display_name="A" * 255)).json()
    assert (created["key"], again["key"]) == ("background-jobs-eu", "background-jobs-eu-2")
    assert long_name["key"] == "a" * 64
    assert (created["type"], created["entrypoint"], created["port"], created["is_ingress_enabled"]) == ("worker", "", None, False)
    assert (created["resource_type_name"], created["cpu_limit"]) == ("s1", 500)
    assert api(sim, "GET", DEMO_PROCESSES + "/" + created["id"]).json() == created
    assert api(sim, "GET", DEMO_PROCESSES).json()["total"] == 8


@pytest.mark.parametrize("fields, status, words", [
    (dict(type="web"), 400, "already has a web process, 'web'"),
    (dict(schedule="* * * * *"), 400, "body.schedule: applies only to cron"),
    (dict(type="cron"), 400, "body.schedule: required for a cron process"),
    (dict(type="job"), 400, "body.job_start_policy: required for a job process"),
    (dict(is_ingress_enabled=True), 400, "is_ingress_enabled"),
    (dict(ingress_protocol="http"), 400, "ingress_protocol"),
    (dict(resource_type_id=IDS["unknown_app"]), 400, "not a known process resource type"),
    (dict(scaling_strategy=None), 400, "scaling_strategy"),
    (dict(display_name=""), 400, "body.display_name"),
])
def test_create_rules(sim, fields, status, words):
    assert words in assert_error_shape(api(sim, "POST", DEMO_PROCESSES, json=new_process(**fields)), status)
    assert api(sim, "GET", DEMO_PROCESSES).json()["total"] == 5


def test_readonly_key_cannot_create_or_delete(sim):
    assert_error_shape(api(sim, "POST", DEMO_PROCESSES, key=DEFAULT_READONLY_API_KEY, json=new_process()), 403)
    assert_error_shape(api(sim, "DELETE", DEMO_PROCESSES + "/" + IDS["demo_worker"], key=DEFAULT_READONLY_API_KEY), 403)
    assert_error_shape(api(sim, "POST", "/applications/%s/processes" % IDS["unknown_app"], json=new_process()), 404)


def test_delete_removes_a_process_at_once_but_never_the_web_process(sim):
    worker = DEMO_PROCESSES + "/" + IDS["demo_worker"]
    assert "web process cannot be deleted" in assert_error_shape(api(sim, "DELETE", DEMO_WEB), 400)
    response = api(sim, "DELETE", worker)
    assert (response.status_code, response.json()) == (200, {"message": "Process is being deleted"})
    assert_error_shape(api(sim, "GET", worker), 404)
    assert_error_shape(api(sim, "DELETE", worker), 404)
    assert "worker" not in [process["key"] for process in api(sim, "GET", DEMO_PROCESSES).json()["data"]]


def test_creation_limit_answers_429_with_retry_after(sim):
    requests.post(sim.url + "/_simulator/config", json={"creation_limit": 1}, timeout=10).raise_for_status()
    assert api(sim, "POST", DEMO_PROCESSES, json=new_process()).status_code == 200
    limited = api(sim, "POST", DEMO_PROCESSES, json=new_process())
    assert "new services per hour" in assert_error_shape(limited, 429)
    assert 3500 <= int(limited.headers["Retry-After"]) <= 3600
    assert limited.headers["x-ratelimit-reset"] == limited.headers["Retry-After"]
    assert requests.get(sim.url + "/_simulator/config", timeout=10).json()["creation_limit"] == 1
    requests.post(sim.url + "/_simulator/reset", timeout=10).raise_for_status()
    assert requests.get(sim.url + "/_simulator/config", timeout=10).json()["creation_limit"] == 0
    assert api(sim, "POST", DEMO_PROCESSES, json=new_process()).status_code == 200


def test_creation_limit_on_the_command_line():
    from simulator.__main__ import parse_args  # pylint: disable=import-outside-toplevel
    assert parse_args(["--creation-limit", "20"]).creation_limit == 20
    with pytest.raises(SystemExit):
        parse_args(["--creation-limit", "-1"])
