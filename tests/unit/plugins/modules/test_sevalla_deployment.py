# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_deployment: trigger once, wait on a fake clock, explain how it ended."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import functools

import pytest
import requests

from ansible_collections.sevalla.cloud.plugins.module_utils import waiting
from ansible_collections.sevalla.cloud.plugins.modules import sevalla_deployment
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
DEPLOYMENT_ID = "5d8c2e7a-0b1f-4c3d-8e9a-1b2c3d4e5f60"
DEPLOYMENTS_URL = "%s/applications/%s/deployments" % (API, APP_ID)
DEPLOYMENT_URL = "%s/%s" % (DEPLOYMENTS_URL, DEPLOYMENT_ID)
LOGS_URL = DEPLOYMENT_URL + "/logs"
CREATED_AT = "2026-03-09T10:15:02.000Z"


def deployment(status="waiting"):
    return {"id": DEPLOYMENT_ID, "app_id": APP_ID, "status": status, "created_at": CREATED_AT,
            "started_at": None, "finished_at": None}


def answers(*statuses):
    return [{"json": deployment(status)} for status in statuses]


def entry(number, severity="INFO", message=None):
    return {"id": str(number), "message": message or "line %d" % number, "service": "APP_DEPLOYMENT", "severity": severity,
            "timestamp": "2026-03-09 10:16:%02d.000" % (number % 60), "tags": {}, "attributes": {},
            "unix_timestamp": 1773051360000000 + number}


def api_error(status, message):
    return {"message": message, "status": status, "data": {"code": "err-%d" % status, "message": message}}


def calls(requests_mock):
    return [(request.method, request.path) for request in requests_mock.request_history]


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
    monkeypatch.setattr(sevalla_deployment, "wait_until",
                        functools.partial(waiting.wait_until, sleep=fake.sleep, clock=fake.clock))
    return fake


@pytest.fixture
def run(run_module, fake_time):
    def run_deployment(check_mode=False, **args):
        return run_module(sevalla_deployment, dict({"app_id": APP_ID, "poll_interval": 1}, **args), check_mode=check_mode)
    return run_deployment


# --- Trigger and wait ---------------------------------------------------------

def test_trigger_and_wait_to_success(run, requests_mock, fake_time):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("waiting", "inProgress", "success"))
    result = run()
    assert not result["failed"] and result["changed"]
    assert result["deployment"]["status"] == "success"
    assert result["elapsed"] == 3.0 and fake_time.sleeps == [1, 1, 1]
    assert calls(requests_mock) == [("POST", "/v3/applications/%s/deployments" % APP_ID)] + \
        [("GET", "/v3/applications/%s/deployments/%s" % (APP_ID, DEPLOYMENT_ID))] * 3
    assert requests_mock.request_history[0].json() == {}
    assert "log_lines" not in result


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
    assert requests_mock.request_history[0].json() == body
    assert result["changed"] and result["deployment"]["status"] == "waiting" and result["elapsed"] == 0


def test_without_wait_one_post(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run(wait=False)
    assert calls(requests_mock) == [("POST", "/v3/applications/%s/deployments" % APP_ID)]
    assert not result["failed"] and result["changed"]


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
    assert [method for method, _path in calls(requests_mock)] == ["POST", "GET", "GET", "GET"]
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
    assert result["failed"] and "ended with status failed" in result["msg"] and "log could not be read" in result["msg"]
    assert result["log_lines"] == []


def test_timeout_fails_with_the_last_status_and_says_it_goes_on(run, requests_mock, fake_time):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress"))
    result = run(wait_timeout=3)
    assert result["failed"] and result["changed"], "the deployment was triggered, so the task changed something"
    assert "did not end within wait_timeout=3 s" in result["msg"] and "last status is inProgress" in result["msg"]
    assert "goes on" in result["msg"] and DEPLOYMENT_ID in result["msg"]
    assert result["deployment"]["status"] == "inProgress" and result["elapsed"] == 3.0
    assert [method for method, _path in calls(requests_mock)] == ["POST", "GET", "GET", "GET"]


def test_a_poll_that_fails_after_its_retries_names_the_deployment(run, requests_mock, no_sleep):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    requests_mock.get(DEPLOYMENT_URL, status_code=503, json=api_error(503, "Unavailable"))
    result = run(api_retries=2)
    assert result["failed"] and result["changed"]
    assert "Stopped waiting for deployment %s" % DEPLOYMENT_ID in result["msg"] and "goes on" in result["msg"]
    assert result["api_error"]["status"] == 503 and result["deployment"]["status"] == "waiting"
    assert [method for method, _path in calls(requests_mock)] == ["POST", "GET", "GET", "GET"]


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
    assert requests_mock.call_count == 1


def test_a_429_on_the_trigger_is_retried(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, [{"status_code": 429, "headers": {"Retry-After": "1"}, "json": api_error(429, "Too many")},
                                         {"json": deployment()}])
    result = run(wait=False)
    assert not result["failed"] and requests_mock.call_count == 2


def test_an_unknown_application_is_named(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, status_code=404, json=api_error(404, "Not found"))
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
    assert [method for method, _path in calls(requests_mock)] == ["GET", "GET", "GET"]
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

def test_check_mode_sends_nothing(run, requests_mock):
    result = run(check_mode=True, restart=True)
    assert result["changed"] and not result["failed"] and result["deployment"] is None
    assert "would have been triggered" in result["msg"]
    assert requests_mock.call_count == 0


def test_check_mode_with_deployment_id_reads_once_and_does_not_wait(run, requests_mock):
    requests_mock.get(DEPLOYMENT_URL, answers("inProgress"))
    result = run(check_mode=True, deployment_id=DEPLOYMENT_ID)
    assert not result["changed"] and not result["failed"] and result["deployment"]["status"] == "inProgress"
    assert requests_mock.call_count == 1


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
])
def test_bad_input_fails_before_any_request(run, requests_mock, args, words):
    result = run(**args)
    assert result["failed"] and words in result["msg"]
    assert requests_mock.call_count == 0


def test_poll_interval_may_exceed_wait_timeout_without_wait(run, requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    assert not run(wait=False, poll_interval=20, wait_timeout=10)["failed"]


def test_application_id_is_an_alias(run_module, requests_mock, fake_time):
    requests_mock.post(DEPLOYMENTS_URL, json=deployment())
    result = run_module(sevalla_deployment, {"application_id": APP_ID, "wait": False})
    assert not result["failed"] and requests_mock.call_count == 1
