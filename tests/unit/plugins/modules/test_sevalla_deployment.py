# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_deployment: trigger once, wait on a fake clock, explain how it ended; never stack on a
running deployment; roll back, cancel, and recover from a failure."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import functools

import pytest
import requests

from ansible_collections.sevalla.cloud.plugins.module_utils import release, waiting
from ansible_collections.sevalla.cloud.plugins.modules import sevalla_deployment
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
DEPLOYMENT_ID = "5d8c2e7a-0b1f-4c3d-8e9a-1b2c3d4e5f60"
DEPLOYMENTS_URL = "%s/applications/%s/deployments" % (API, APP_ID)
DEPLOYMENT_URL = "%s/%s" % (DEPLOYMENTS_URL, DEPLOYMENT_ID)
LOGS_URL = DEPLOYMENT_URL + "/logs"
CREATED_AT = "2026-03-09T10:15:02.000Z"
PREVIOUS_ID = "0a4f3c1e-2b7d-4e8f-9a6b-5c4d3e2f1a0b"
OLDER_ID = "1b5e4d2f-3c8e-4f9a-8b7c-6d5e4f3a2b1c"
ROLLBACK_ID = "7e6d5c4b-3a2f-4e1d-8c9b-0a1b2c3d4e5f"
ROLLBACK_URL = DEPLOYMENTS_URL + "/rollback"
PATHS = {
    "list": "/v3/applications/%s/deployments" % APP_ID,
    "deployment": "/v3/applications/%s/deployments/%s" % (APP_ID, DEPLOYMENT_ID),
    "previous": "/v3/applications/%s/deployments/%s" % (APP_ID, PREVIOUS_ID),
    "older": "/v3/applications/%s/deployments/%s" % (APP_ID, OLDER_ID),
    "rollback": "/v3/applications/%s/deployments/%s" % (APP_ID, ROLLBACK_ID),
    "roll back": "/v3/applications/%s/deployments/rollback" % APP_ID,
    "logs": "/v3/applications/%s/deployments/%s/logs" % (APP_ID, DEPLOYMENT_ID),
}


def deployment(status="waiting", deployment_id=DEPLOYMENT_ID, **fields):
    return dict({"id": deployment_id, "app_id": APP_ID, "status": status, "created_at": CREATED_AT,
                 "started_at": None, "finished_at": None}, **fields)


def answers(*statuses, **fields):
    return [{"json": deployment(status, **fields)} for status in statuses]


def url(deployment_id, *parts):
    return "/".join((DEPLOYMENTS_URL, deployment_id) + parts)


def newest(*items):
    """The newest page of the application's deployments, as GET .../deployments answers it."""
    return {"json": {"data": list(items), "total": len(items), "offset": 0, "limit": 10}}


def sent(requests_mock):
    """The requests sent, by name in PATHS (a POST named by its path's last part)."""
    names = dict((path, name) for name, path in PATHS.items())
    return [(request.method, names.get(request.path, request.path)) for request in requests_mock.request_history]


def entry(number, severity="INFO", message=None):
    return {"id": str(number), "message": message or "line %d" % number, "service": "APP_DEPLOYMENT", "severity": severity,
            "timestamp": "2026-03-09 10:16:%02d.000" % (number % 60), "tags": {}, "attributes": {},
            "unix_timestamp": 1773051360000000 + number}


def api_error(status, message):
    return {"message": message, "status": status, "data": {"code": "err-%d" % status, "message": message}}


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch):
    """wait_until on a fake clock: sleeping moves the clock, nothing really sleeps."""
    fake = FakeTime()
    monkeypatch.setattr(release, "wait_until",
                        functools.partial(waiting.wait_until, sleep=fake.sleep, clock=fake.clock))
    return fake


@pytest.fixture
def run(run_module, fake_time):
    def run_deployment(check_mode=False, **args):
        return run_module(sevalla_deployment, dict({"app_id": APP_ID, "poll_interval": 1}, **args), check_mode=check_mode)
    return run_deployment


@pytest.fixture(autouse=True)
def idle(requests_mock):
    """By default nothing runs: the newest page holds finished deployments only."""
    requests_mock.get(DEPLOYMENTS_URL, **newest(deployment("success", OLDER_ID), deployment("failed", PREVIOUS_ID)))


# --- Trigger and wait ---------------------------------------------------------

def test_trigger_and_wait_to_success(run, requests_mock, fake_time):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("waiting", "inProgress", "success"))
    result = run()
    assert not result["failed"] and result["changed"]
    assert result["deployment"]["status"] == "success"
    assert result["elapsed"] == 3.0 and fake_time.sleeps == [1, 1, 1]
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list")] + [("GET", "deployment")] * 3
    assert requests_mock.request_history[0].qs == {"limit": ["10"], "offset": ["0"]}, "one GET of the newest page"
    assert requests_mock.request_history[1].json() == {}
    assert "log_lines" not in result and result["previous"] is None and result["rollback"] is None


def test_skipped_is_ok(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("skipped"))
    result = run()
    assert not result["failed"] and result["deployment"]["status"] == "skipped"


@pytest.mark.parametrize("args, body", [
    ({"restart": True}, {"is_restart": True}),
    ({"branch": "release"}, {"branch": "release"}),
    ({"docker_image": "nginx:1.27"}, {"docker_image": "nginx:1.27"}),
    ({"restart": False}, {}),
])
def test_the_post_body_holds_only_what_was_asked_for(run, requests_mock, args, body):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run(wait=False, **args)
    assert requests_mock.last_request.method == "POST" and requests_mock.last_request.json() == body
    assert result["changed"] and result["deployment"]["status"] == "waiting" and result["elapsed"] == 0


def test_without_wait_one_get_of_the_newest_and_one_post(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run(wait=False)
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list")]
    assert not result["failed"] and result["changed"]


def test_if_running_new_costs_no_extra_request(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("success"))
    result = run(if_running="new")
    assert sent(requests_mock) == [("POST", "list"), ("GET", "deployment")]
    assert not result["failed"] and result["previous"] is None


# --- Failed, cancelled and timed out ------------------------------------------

@pytest.mark.parametrize("status", ["failed", "cancelled"])
def test_a_bad_end_fails_with_the_error_lines_after_one_logs_get(run, requests_mock, status):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress", status))
    requests_mock.get(LOGS_URL, json=[entry(1), entry(2, "ERROR", "npm ERR! Missing script"), entry(3), entry(4, "error", "exit 1")])
    result = run()
    assert result["failed"] and result["changed"]
    assert result["log_lines"] == ["2026-03-09 10:16:02.000 ERROR npm ERR! Missing script", "2026-03-09 10:16:04.000 error exit 1"]
    assert DEPLOYMENT_ID in result["msg"] and APP_ID in result["msg"] and "ended with status %s" % status in result["msg"]
    assert "npm ERR! Missing script" in result["msg"] and "line 1" not in result["msg"]
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list"), ("GET", "deployment"), ("GET", "deployment"), ("GET", "logs")]
    logs_request = requests_mock.request_history[-1]
    assert logs_request.path.endswith("/logs") and logs_request.qs == {"limit": ["5000"], "from": [CREATED_AT.lower()]}
    assert result["deployment"]["status"] == status


def test_without_error_lines_the_last_20_lines_are_shown(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("failed"))
    requests_mock.get(LOGS_URL, json=[entry(number) for number in range(30, 0, -1)])  # newest first: sorted by time
    result = run()
    assert result["log_lines"] == ["2026-03-09 10:16:%02d.000 INFO line %d" % (n, n) for n in range(11, 31)]
    assert "no ERROR line" in result["msg"]


def test_at_most_the_last_20_error_lines(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("failed"))
    requests_mock.get(LOGS_URL, json=[entry(number, "ERROR") for number in range(1, 26)] + [entry(26)])
    result = run()
    assert len(result["log_lines"]) == 20 and result["log_lines"][0].endswith("line 6")


def test_a_failed_log_read_still_names_the_status(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("failed"))
    requests_mock.get(LOGS_URL, status_code=403, json=api_error(403, "Forbidden"))
    result = run()
    assert result["failed"] and "ended with status failed" in result["msg"]
    assert "The log of deployment %s could not be read" % DEPLOYMENT_ID in result["msg"]
    assert result["log_lines"] == []


def test_timeout_fails_with_the_last_status_and_says_it_goes_on(run, requests_mock, fake_time):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress"))
    result = run(wait_timeout=3)
    assert result["failed"] and result["changed"], "the deployment was triggered, so the task changed something"
    assert "did not end within wait_timeout=3 s" in result["msg"] and "last status is inProgress" in result["msg"]
    assert "goes on" in result["msg"] and DEPLOYMENT_ID in result["msg"]
    assert result["deployment"]["status"] == "inProgress" and result["elapsed"] == 3.0
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list")] + [("GET", "deployment")] * 3
    assert "rolled back" not in result["msg"]


def test_a_poll_that_fails_after_its_retries_names_the_deployment(run, requests_mock, no_sleep):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, status_code=503, json=api_error(503, "Unavailable"))
    result = run(api_retries=2)
    assert result["failed"] and result["changed"]
    assert "Stopped waiting for deployment %s" % DEPLOYMENT_ID in result["msg"] and "goes on" in result["msg"]
    assert result["api_error"]["status"] == 503 and result["deployment"]["status"] == "waiting"
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list")] + [("GET", "deployment")] * 3


# --- The trigger is sent once ---------------------------------------------------

@pytest.mark.parametrize("failure", [
    {"status_code": 500, "json": api_error(500, "Internal Server Error")},
    {"exc": requests.exceptions.ConnectionError("connection reset")},
    {"exc": requests.exceptions.ReadTimeout("read timed out")},
    {"json": {"message": "queued"}},  # a 200 without a deployment in it: accepted, so it may have started
    {"text": "<html>ok</html>"},
])
def test_the_trigger_is_never_sent_twice(run, requests_mock, failure):
    requests_mock.post(DEPLOYMENTS_URL, **failure)
    result = run()
    assert result["failed"] and not result["changed"] and result["deployment"] is None
    assert "may have started" in result["msg"] and "sevalla.cloud.sevalla_deployment_info" in result["msg"]
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list")]


def test_a_429_on_the_trigger_is_retried(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, [{"status_code": 429, "headers": {"Retry-After": "1"}, "json": api_error(429, "Too many")},
                                         {"json": deployment()}])
    result = run(wait=False)
    assert not result["failed"] and sent(requests_mock) == [("GET", "list"), ("POST", "list"), ("POST", "list")]


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_application_is_named(run, requests_mock, method):
    getattr(requests_mock, method)(DEPLOYMENTS_URL, status_code=404, json=api_error(404, "Not found"))
    result = run()
    assert result["failed"] and "Application %s was not found" % APP_ID in result["msg"]
    assert "may have started" not in result["msg"]


def test_an_answer_that_is_not_a_deployment_fails(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json={"message": "ok"})
    result = run()
    assert result["failed"] and "expected a deployment object" in result["msg"]


# --- An existing deployment -----------------------------------------------------

def test_deployment_id_with_wait_sends_no_post(run, requests_mock):
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress", "inProgress", "success"))
    result = run(deployment_id=DEPLOYMENT_ID)
    assert not result["failed"] and not result["changed"]
    assert sent(requests_mock) == [("GET", "deployment")] * 3
    assert result["deployment"]["status"] == "success"


def test_deployment_id_that_already_failed_fails(run, requests_mock):
    requests_mock.get(DEPLOYMENT_URL, answers("failed"))
    requests_mock.get(LOGS_URL, json=[entry(1, "ERROR")])
    result = run(deployment_id=DEPLOYMENT_ID)
    assert result["failed"] and not result["changed"] and result["log_lines"] == ["2026-03-09 10:16:01.000 ERROR line 1"]


def test_unknown_deployment_id(run, requests_mock):
    requests_mock.get(DEPLOYMENT_URL, status_code=404, json=api_error(404, "Not found"))
    result = run(deployment_id=DEPLOYMENT_ID)
    assert result["failed"] and "Deployment %s of application %s was not found" % (DEPLOYMENT_ID, APP_ID) in result["msg"]


# --- Check mode -----------------------------------------------------------------

def test_check_mode_only_reads_the_newest(run, requests_mock):
    result = run(check_mode=True, restart=True)
    assert result["changed"] and not result["failed"] and result["deployment"] is None
    assert result["msg"] == "A deployment of application %s would have been triggered; check mode started nothing" % APP_ID
    assert sent(requests_mock) == [("GET", "list")]


def test_check_mode_with_if_running_new_sends_nothing(run, requests_mock):
    result = run(check_mode=True, if_running="new")
    assert result["changed"] and "would have been triggered" in result["msg"] and requests_mock.call_count == 0


def test_check_mode_with_deployment_id_reads_once_and_does_not_wait(run, requests_mock):
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress"))
    result = run(check_mode=True, deployment_id=DEPLOYMENT_ID)
    assert not result["changed"] and not result["failed"] and result["deployment"]["status"] == "inProgress"
    assert requests_mock.call_count == 1


# --- if_running: never stack on a running deployment -----------------------------

def running(*items, **mock):
    """The newest page, then the running deployments' reads, as requests_mock answers."""
    mock["requests_mock"].get(DEPLOYMENTS_URL, **newest(*items))


def test_by_default_a_running_deployment_is_waited_for_before_the_trigger(run, requests_mock, fake_time):
    running(deployment("inProgress", PREVIOUS_ID), deployment("success", OLDER_ID), requests_mock=requests_mock)
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", "success", deployment_id=PREVIOUS_ID))
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress", "success"))
    result = run(restart=True)
    assert not result["failed"] and result["changed"]
    assert sent(requests_mock) == [("GET", "list"), ("GET", "previous"), ("GET", "previous"), ("POST", "list"),
                                   ("GET", "deployment"), ("GET", "deployment")]
    assert result["previous"]["id"] == PREVIOUS_ID and result["previous"]["status"] == "success"
    assert result["deployment"]["status"] == "success" and result["elapsed"] == 4.0 and fake_time.sleeps == [1] * 4


def test_poll_interval_is_kept_while_waiting_for_the_running_deployment(run, requests_mock, fake_time):
    running(deployment("waiting", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", "failed", deployment_id=PREVIOUS_ID))
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run(poll_interval=7, wait=False)
    assert not result["failed"] and fake_time.sleeps == [7, 7] and result["elapsed"] == 14.0
    assert result["previous"]["status"] == "failed", "a running deployment that fails does not stop the trigger"


def test_a_running_deployment_behind_a_finished_newer_one_is_found(run, requests_mock):
    running(deployment("skipped", DEPLOYMENT_ID), deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.get(url(PREVIOUS_ID), answers("success", deployment_id=PREVIOUS_ID))
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run(wait=False)
    assert sent(requests_mock) == [("GET", "list"), ("GET", "previous"), ("POST", "list")]
    assert result["previous"]["id"] == PREVIOUS_ID


def test_every_running_deployment_is_waited_for_and_a_finished_one_is_not_read_again(run, requests_mock):
    running(deployment("waiting", PREVIOUS_ID), deployment("inProgress", OLDER_ID), requests_mock=requests_mock)
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", "inProgress", "success", deployment_id=PREVIOUS_ID))
    requests_mock.get(url(OLDER_ID), answers("success", deployment_id=OLDER_ID))
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run(wait=False)
    assert sent(requests_mock) == [("GET", "list"), ("GET", "previous"), ("GET", "older"), ("GET", "previous"),
                                   ("GET", "previous"), ("POST", "list")]
    assert result["previous"]["id"] == PREVIOUS_ID and result["previous"]["status"] == "success"


def test_a_full_newest_page_costs_one_get(run, requests_mock):
    page = [deployment("success", "%08d-0000-4000-8000-000000000000" % number) for number in range(10)]
    requests_mock.get(DEPLOYMENTS_URL, json={"data": page, "total": 130, "offset": 0, "limit": 10})
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run(wait=False)
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list")] and result["previous"] is None


def test_a_running_deployment_that_does_not_end_in_time_stops_the_task_before_the_trigger(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", deployment_id=PREVIOUS_ID))
    result = run(wait_timeout=3, restart=True)
    assert result["failed"] and not result["changed"] and result["deployment"] is None
    assert sent(requests_mock) == [("GET", "list")] + [("GET", "previous")] * 3
    assert "Deployment %s of application %s did not end within wait_timeout=3 s" % (PREVIOUS_ID, APP_ID) in result["msg"]
    assert "Nothing was triggered" in result["msg"] and "if_running=cancel" in result["msg"]
    assert result["previous"]["id"] == PREVIOUS_ID and result["elapsed"] == 3.0


def test_if_running_cancel_cancels_waits_then_triggers(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.post(url(PREVIOUS_ID, "cancel"), json={"message": "Deployment is being cancelled"})
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", "cancelled", deployment_id=PREVIOUS_ID))
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("success"))
    result = run(if_running="cancel", branch="main")
    assert not result["failed"] and result["changed"]
    assert sent(requests_mock) == [("GET", "list"), ("POST", PATHS["previous"] + "/cancel"), ("GET", "previous"),
                                   ("GET", "previous"), ("POST", "list"), ("GET", "deployment")]
    assert requests_mock.request_history[1].body is None, "the cancel takes no body"
    assert result["previous"]["status"] == "cancelled" and result["deployment"]["status"] == "success"


@pytest.mark.parametrize("args, kept", [({"if_running": "cancel"}, "previous"), ({"cancel": True}, "deployment")])
@pytest.mark.parametrize("failure", [
    {"status_code": 500, "json": api_error(500, "Internal Server Error")},
    {"exc": requests.exceptions.ConnectionError("connection reset")},
    {"exc": requests.exceptions.ReadTimeout("read timed out")},
])
def test_a_cancel_is_never_sent_twice_and_nothing_is_triggered_after_it(run, requests_mock, failure, args, kept):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.post(url(PREVIOUS_ID, "cancel"), **failure)
    result = run(**args)
    assert result["failed"] and not result["changed"] and result[kept]["id"] == PREVIOUS_ID
    assert sent(requests_mock) == [("GET", "list"), ("POST", PATHS["previous"] + "/cancel")]
    assert "deployment %s of application %s may have been cancelled" % (PREVIOUS_ID, APP_ID) in result["msg"].lower()
    assert "sevalla.cloud.sevalla_deployment_info" in result["msg"]


def test_a_cancel_refused_because_the_deployment_ended_meanwhile_is_no_failure(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.post(url(PREVIOUS_ID, "cancel"), status_code=400, json=api_error(400, "not cancellable"))
    requests_mock.get(url(PREVIOUS_ID), answers("success", deployment_id=PREVIOUS_ID))
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run(if_running="cancel", wait=False)
    assert not result["failed"] and result["changed"]
    assert sent(requests_mock) == [("GET", "list"), ("POST", PATHS["previous"] + "/cancel"), ("GET", "previous"),
                                   ("GET", "previous"), ("POST", "list")]


def test_a_cancel_refused_while_the_deployment_runs_fails_before_the_trigger(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.post(url(PREVIOUS_ID, "cancel"), status_code=400, json=api_error(400, "not cancellable"))
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", deployment_id=PREVIOUS_ID))
    result = run(if_running="cancel")
    assert result["failed"] and not result["changed"] and result["api_error"]["status"] == 400
    assert ("POST", "list") not in sent(requests_mock)


@pytest.mark.parametrize("if_running, words", [
    ("wait", ", once deployment %s (inProgress) had ended, and" % PREVIOUS_ID),
    ("cancel", ", after cancelling deployment %s (inProgress), and" % PREVIOUS_ID),
])
def test_check_mode_reads_and_tells_what_it_would_do_with_the_running_deployment(run, requests_mock, if_running, words):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    result = run(check_mode=True, if_running=if_running, on_failure="rollback")
    assert not result["failed"] and result["changed"] and result["deployment"] is None
    assert words in result["msg"] and "and rolled back if it failed" in result["msg"]
    assert result["previous"]["id"] == PREVIOUS_ID
    assert sent(requests_mock) == [("GET", "list")]


# --- rollback: true ------------------------------------------------------------------

def test_rollback_posts_once_without_a_body_and_waits(run, requests_mock):
    requests_mock.post(ROLLBACK_URL, json=deployment(deployment_id=ROLLBACK_ID, trigger="ROLLBACK_DEPLOYMENT"))
    requests_mock.get(url(ROLLBACK_ID), answers("inProgress", "success", deployment_id=ROLLBACK_ID))
    result = run(rollback=True)
    assert not result["failed"] and result["changed"]
    assert sent(requests_mock) == [("GET", "list"), ("POST", "roll back"), ("GET", "rollback"), ("GET", "rollback")]
    assert requests_mock.request_history[1].body is None
    assert result["deployment"]["id"] == ROLLBACK_ID and result["deployment"]["status"] == "success"
    assert result["rollback"] is None, "rollback is what on_failure=rollback started"


def test_rollback_waits_for_a_running_deployment_first(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.get(url(PREVIOUS_ID), answers("failed", deployment_id=PREVIOUS_ID))
    requests_mock.post(ROLLBACK_URL, json=deployment(deployment_id=ROLLBACK_ID))
    result = run(rollback=True, wait=False)
    assert sent(requests_mock) == [("GET", "list"), ("GET", "previous"), ("POST", "roll back")]
    assert not result["failed"] and result["previous"]["status"] == "failed"


@pytest.mark.parametrize("failure", [
    {"status_code": 500, "json": api_error(500, "Internal Server Error")},
    {"status_code": 502, "text": "Bad gateway"},
    {"exc": requests.exceptions.ReadTimeout("read timed out")},
])
def test_a_rollback_is_never_sent_twice(run, requests_mock, failure):
    requests_mock.post(ROLLBACK_URL, **failure)
    result = run(rollback=True)
    assert result["failed"] and not result["changed"] and result["deployment"] is None
    assert "a rollback of application %s may have started" % APP_ID in result["msg"].lower()
    assert "sevalla.cloud.sevalla_deployment_info" in result["msg"]
    assert sent(requests_mock) == [("GET", "list"), ("POST", "roll back")]


def test_a_429_on_the_rollback_is_retried(run, requests_mock):
    requests_mock.post(ROLLBACK_URL, [{"status_code": 429, "headers": {"Retry-After": "1"}, "json": api_error(429, "Too many")},
                                      {"json": deployment(deployment_id=ROLLBACK_ID)}])
    result = run(rollback=True, wait=False)
    assert not result["failed"] and sent(requests_mock) == [("GET", "list"), ("POST", "roll back"), ("POST", "roll back")]


def test_a_rollback_without_a_successful_deployment_says_why(run, requests_mock):
    error = api_error(400, "Bad request")
    error["data"]["message"] = "application has no successful deployment to roll back to"
    requests_mock.post(ROLLBACK_URL, status_code=400, json=error)
    result = run(rollback=True)
    assert result["failed"] and not result["changed"] and "no successful deployment to roll back to" in result["msg"]
    assert "may have started" not in result["msg"]


def test_check_mode_rollback_sends_no_post(run, requests_mock):
    result = run(check_mode=True, rollback=True)
    assert result["changed"] and not result["failed"]
    assert result["msg"] == "A rollback of application %s would have been triggered; check mode started nothing" % APP_ID
    assert sent(requests_mock) == [("GET", "list")]


# --- cancel: true ----------------------------------------------------------------------

def test_cancel_stops_the_running_deployment_and_waits(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), deployment("success", OLDER_ID), requests_mock=requests_mock)
    requests_mock.post(url(PREVIOUS_ID, "cancel"), json={"message": "Deployment is being cancelled"})
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", "cancelled", deployment_id=PREVIOUS_ID))
    result = run(cancel=True)
    assert not result["failed"] and result["changed"], "a cancelled deployment is what was asked for"
    assert sent(requests_mock) == [("GET", "list"), ("POST", PATHS["previous"] + "/cancel"), ("GET", "previous"),
                                   ("GET", "previous")]
    assert result["deployment"]["id"] == PREVIOUS_ID and result["deployment"]["status"] == "cancelled"
    assert "log_lines" not in result and result["previous"] is None


def test_cancel_stops_every_running_deployment(run, requests_mock):
    running(deployment("waiting", PREVIOUS_ID), deployment("inProgress", OLDER_ID), requests_mock=requests_mock)
    for deployment_id in (PREVIOUS_ID, OLDER_ID):
        requests_mock.post(url(deployment_id, "cancel"), json={"message": "Deployment is being cancelled"})
        requests_mock.get(url(deployment_id), answers("cancelled", deployment_id=deployment_id))
    result = run(cancel=True)
    assert not result["failed"] and result["changed"]
    assert sent(requests_mock) == [("GET", "list"), ("POST", PATHS["previous"] + "/cancel"), ("POST", PATHS["older"] + "/cancel"),
                                   ("GET", "previous"), ("GET", "older")]


def test_cancel_with_nothing_running_sends_no_post(run, requests_mock):
    result = run(cancel=True)
    assert not result["failed"] and not result["changed"] and result["deployment"] is None
    assert result["msg"] == "No deployment of application %s is running: nothing to cancel" % APP_ID
    assert sent(requests_mock) == [("GET", "list")]


def test_cancel_of_a_given_deployment(run, requests_mock):
    requests_mock.get(DEPLOYMENT_URL, answers("waiting", "cancelled"))
    requests_mock.post(url(DEPLOYMENT_ID, "cancel"), json={"message": "Deployment is being cancelled"})
    result = run(cancel=True, deployment_id=DEPLOYMENT_ID)
    assert not result["failed"] and result["changed"] and result["deployment"]["status"] == "cancelled"
    assert sent(requests_mock) == [("GET", "deployment"), ("POST", PATHS["deployment"] + "/cancel"), ("GET", "deployment")]


@pytest.mark.parametrize("status", ["success", "failed", "cancelled", "skipped"])
def test_cancel_of_a_deployment_that_has_ended_does_nothing(run, requests_mock, status):
    requests_mock.get(DEPLOYMENT_URL, answers(status))
    result = run(cancel=True, deployment_id=DEPLOYMENT_ID)
    assert not result["failed"] and not result["changed"], "a finished deployment does not fail a cancel"
    assert result["msg"] == "Deployment %s of application %s has already ended (%s): nothing to cancel" % (DEPLOYMENT_ID, APP_ID, status)
    assert sent(requests_mock) == [("GET", "deployment")]


def test_cancel_without_wait_returns_after_the_post(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.post(url(PREVIOUS_ID, "cancel"), json={"message": "Deployment is being cancelled"})
    result = run(cancel=True, wait=False)
    assert not result["failed"] and result["changed"] and result["deployment"]["status"] == "inProgress"
    assert sent(requests_mock) == [("GET", "list"), ("POST", PATHS["previous"] + "/cancel")]


def test_cancel_that_is_not_over_in_time_fails(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.post(url(PREVIOUS_ID, "cancel"), json={"message": "Deployment is being cancelled"})
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", deployment_id=PREVIOUS_ID))
    result = run(cancel=True, wait_timeout=2)
    assert result["failed"] and result["changed"]
    assert "did not end within wait_timeout=2 s" in result["msg"] and "has not stopped yet" in result["msg"]


def test_a_cancel_of_an_unknown_deployment_is_named(run, requests_mock):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.post(url(PREVIOUS_ID, "cancel"), status_code=404, json=api_error(404, "Not found"))
    result = run(cancel=True)
    assert result["failed"] and "Deployment %s of application %s was not found" % (PREVIOUS_ID, APP_ID) in result["msg"]


@pytest.mark.parametrize("args", [{}, {"deployment_id": PREVIOUS_ID}])
def test_check_mode_cancel_only_reads(run, requests_mock, args):
    running(deployment("inProgress", PREVIOUS_ID), requests_mock=requests_mock)
    requests_mock.get(url(PREVIOUS_ID), answers("inProgress", deployment_id=PREVIOUS_ID))
    result = run(check_mode=True, cancel=True, **args)
    assert not result["failed"] and result["changed"] and result["deployment"]["id"] == PREVIOUS_ID
    assert result["msg"] == ("Check mode cancelled nothing: deployment %s (inProgress) of application %s would have been "
                             "cancelled" % (PREVIOUS_ID, APP_ID))
    assert [method for method, _name in sent(requests_mock)] == ["GET"]


# --- on_failure: rollback ---------------------------------------------------------------

@pytest.fixture
def fails(requests_mock):
    """The triggered deployment fails, with one ERROR line in its log."""
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress", "failed"))
    requests_mock.get(LOGS_URL, json=[entry(1), entry(2, "ERROR", "npm ERR! Missing script")])


def rolls_back(requests_mock, *statuses):
    requests_mock.post(ROLLBACK_URL, json=deployment(deployment_id=ROLLBACK_ID, trigger="ROLLBACK_DEPLOYMENT"))
    requests_mock.get(url(ROLLBACK_ID), answers(*statuses, deployment_id=ROLLBACK_ID, trigger="ROLLBACK_DEPLOYMENT"))


def test_a_failed_deployment_is_rolled_back_and_the_task_fails_anyway(run, requests_mock, fails, fake_time):
    rolls_back(requests_mock, "inProgress", "success")
    result = run(on_failure="rollback")
    assert result["failed"] and result["changed"]
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list"), ("GET", "deployment"), ("GET", "deployment"),
                                   ("GET", "logs"), ("POST", "roll back"), ("GET", "rollback"), ("GET", "rollback")]
    assert result["msg"].startswith(
        "Deployment %s of application %s ended with status failed and was rolled back: the rollback, deployment %s, "
        "ended with status success. ERROR lines of the log of deployment %s:\n" % (DEPLOYMENT_ID, APP_ID, ROLLBACK_ID, DEPLOYMENT_ID))
    assert "npm ERR! Missing script" in result["msg"]
    assert result["rollback"]["id"] == ROLLBACK_ID and result["rollback"]["status"] == "success"
    assert result["deployment"]["status"] == "failed" and result["log_lines"][0].endswith("npm ERR! Missing script")
    assert result["elapsed"] == 4.0 and fake_time.sleeps == [1] * 4


def test_a_cancelled_deployment_is_rolled_back_too(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("cancelled"))
    requests_mock.get(LOGS_URL, json=[])
    rolls_back(requests_mock, "success")
    result = run(on_failure="rollback")
    assert result["failed"] and "ended with status cancelled and was rolled back" in result["msg"]
    assert "The log of deployment %s has no lines." % DEPLOYMENT_ID in result["msg"]


def test_a_failed_rollback_fails_with_both_stories(run, requests_mock, fails):
    rolls_back(requests_mock, "failed")
    result = run(on_failure="rollback")
    assert result["failed"] and result["rollback"]["status"] == "failed"
    assert ("Deployment %s of application %s ended with status failed, and rolling it back failed too: the rollback, "
            "deployment %s, ended with status failed; see why with deployment_id=%s." % (DEPLOYMENT_ID, APP_ID, ROLLBACK_ID, ROLLBACK_ID)
            in result["msg"])
    assert "npm ERR! Missing script" in result["msg"]
    assert [name for _method, name in sent(requests_mock)].count("logs") == 1, "one logs GET, as without a rollback"


@pytest.mark.parametrize("failure", [
    {"status_code": 500, "json": api_error(500, "Internal Server Error")},
    {"exc": requests.exceptions.ConnectionError("connection reset")},
])
def test_a_rollback_post_that_may_have_acted_is_sent_once_and_both_stories_are_told(run, requests_mock, fails, failure):
    requests_mock.post(ROLLBACK_URL, **failure)
    result = run(on_failure="rollback")
    assert result["failed"] and result["rollback"] is None and result["deployment"]["status"] == "failed"
    assert sent(requests_mock)[-2:] == [("GET", "logs"), ("POST", "roll back")]
    assert result["msg"].startswith("Deployment %s of application %s ended with status failed, and rolling it back failed. "
                                    "ERROR lines of the log of deployment %s:\n" % (DEPLOYMENT_ID, APP_ID, DEPLOYMENT_ID))
    assert "npm ERR! Missing script" in result["msg"] and "\nThe rollback failed. " in result["msg"]
    assert "may have started" in result["msg"] and "sevalla.cloud.sevalla_deployment_info" in result["msg"]
    assert result["api_error"]["method"] == "POST" and result["api_error"]["path"].endswith("/deployments/rollback")


def test_a_rollback_that_does_not_end_in_time_goes_on(run, requests_mock, fails):
    rolls_back(requests_mock, "inProgress")
    result = run(on_failure="rollback", wait_timeout=3)
    assert result["failed"] and result["rollback"]["status"] == "inProgress"
    assert ("it is being rolled back, but the rollback, deployment %s, did not end within wait_timeout=3 s" % ROLLBACK_ID
            in result["msg"])
    assert "wait for it with deployment_id=%s" % ROLLBACK_ID in result["msg"]


def test_a_poll_of_the_rollback_that_fails_keeps_both_stories(run, requests_mock, fails):
    requests_mock.post(ROLLBACK_URL, json=deployment(deployment_id=ROLLBACK_ID))
    requests_mock.get(url(ROLLBACK_ID), status_code=503, json=api_error(503, "Unavailable"))
    result = run(on_failure="rollback", api_retries=0)
    assert result["failed"] and result["rollback"]["id"] == ROLLBACK_ID
    assert "ended with status failed, and rolling it back failed" in result["msg"]
    assert "Stopped waiting for deployment %s" % ROLLBACK_ID in result["msg"]


def test_a_timeout_is_not_a_failure_and_nothing_is_rolled_back(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress"))
    result = run(on_failure="rollback", wait_timeout=2)
    assert result["failed"] and result["rollback"] is None
    assert "did not end within wait_timeout=2 s" in result["msg"]
    assert "Nothing was rolled back: a deployment that is still running has not failed" in result["msg"]
    assert ("POST", "roll back") not in sent(requests_mock) and ("GET", "logs") not in sent(requests_mock)


def test_a_successful_deployment_is_not_rolled_back(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("success"))
    result = run(on_failure="rollback")
    assert not result["failed"] and result["rollback"] is None
    assert sent(requests_mock) == [("GET", "list"), ("POST", "list"), ("GET", "deployment")]


# --- Input checks ---------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    ({"poll_interval": 20, "wait_timeout": 10}, "poll_interval (20) must not exceed wait_timeout (10)"),
    ({"poll_interval": 0}, "poll_interval must be between 1 and 300"),
    ({"poll_interval": 301, "wait_timeout": 1000}, "poll_interval must be between 1 and 300"),
    ({"wait_timeout": 0}, "wait_timeout must be between 1 and 86400"),
    ({"wait_timeout": 86401}, "wait_timeout must be between 1 and 86400"),
    ({"restart": True, "branch": "main"}, "restart=true cannot be combined with branch"),
    ({"restart": True, "deployment_id": DEPLOYMENT_ID}, "restart=true cannot be combined with deployment_id"),
    ({"branch": "main", "docker_image": "nginx"}, "mutually exclusive: branch|docker_image"),
    ({"branch": "main", "deployment_id": DEPLOYMENT_ID}, "mutually exclusive: branch|deployment_id"),
    ({"branch": ""}, "branch must not be empty"),
    ({"deployment_id": "nope"}, "deployment_id must be a UUID"),
    ({"app_id": "nope"}, "app_id must be a UUID"),
    ({"rollback": True, "restart": True}, "rollback=true cannot be combined with restart: a rollback redeploys"),
    ({"rollback": True, "branch": "main"}, "rollback=true cannot be combined with branch"),
    ({"rollback": True, "docker_image": "nginx"}, "rollback=true cannot be combined with docker_image"),
    ({"rollback": True, "deployment_id": DEPLOYMENT_ID}, "rollback=true cannot be combined with deployment_id"),
    ({"cancel": True, "rollback": True}, "cancel=true cannot be combined with rollback: a cancel stops a deployment"),
    ({"cancel": True, "restart": True, "branch": "x"}, "restart=true cannot be combined with branch"),
    ({"cancel": True, "restart": True}, "cancel=true cannot be combined with restart"),
    ({"cancel": True, "docker_image": "nginx"}, "cancel=true cannot be combined with docker_image"),
    ({"on_failure": "rollback", "rollback": True}, "a failed rollback is not rolled back again"),
    ({"on_failure": "rollback", "deployment_id": DEPLOYMENT_ID}, "on_failure=rollback cannot be combined with deployment_id"),
    ({"on_failure": "rollback", "cancel": True}, "on_failure=rollback cannot be combined with cancel"),
    ({"on_failure": "rollback", "wait": False}, "on_failure=rollback needs wait=true"),
    ({"if_running": "later"}, "value of if_running must be one of: wait, cancel, new"),
    ({"on_failure": "retry"}, "value of on_failure must be one of: fail, rollback"),
])
def test_bad_input_fails_before_any_request(run, requests_mock, args, words):
    result = run(**args)
    assert result["failed"] and words in result["msg"]
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("args", [{"if_running": "new"}, {"deployment_id": DEPLOYMENT_ID}])
def test_poll_interval_may_exceed_wait_timeout_when_the_task_never_waits(run, requests_mock, args):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, json=deployment())
    assert not run(wait=False, poll_interval=20, wait_timeout=10, **args)["failed"]


def test_poll_interval_may_not_exceed_wait_timeout_when_a_running_deployment_may_be_waited_for(run, requests_mock):
    result = run(wait=False, poll_interval=20, wait_timeout=10)
    assert result["failed"] and "poll_interval (20) must not exceed wait_timeout (10)" in result["msg"]
    assert requests_mock.call_count == 0


def test_application_id_is_an_alias(run_module, requests_mock, fake_time):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run_module(sevalla_deployment, {"application_id": APP_ID, "wait": False, "if_running": "new"})
    assert not result["failed"] and requests_mock.call_count == 1
