# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_log_info: one GET with the window, filters and limit asked for; entries oldest first."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.sevalla.cloud.plugins.module_utils import logs
from ansible_collections.sevalla.cloud.plugins.modules import sevalla_log_info
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
RUNTIME_URL = "%s/applications/%s/runtime-logs" % (API, APP_ID)
ACCESS_URL = "%s/applications/%s/access-logs" % (API, APP_ID)
NOW = datetime(2026, 3, 9, 10, 15, 2, 345678, timezone.utc)


def entry(second, message, container="web", severity="INFO"):
    return {"id": "runtime-%06d" % second, "message": message, "service": "APP_RUNTIME", "severity": severity,
            "timestamp": "2026-03-09 10:14:%02d.000" % second, "tags": {"idApp": APP_ID, "container": container},
            "attributes": {}, "unix_timestamp": 1773051240000000 + second * 1000000}


# Newest first, as the simulator answers.
ANSWER = [entry(40, "tick 2", "clock"), entry(30, "GET /", "web"), entry(20, "boom", "web", "ERROR"),
          entry(10, "tick 1", "clock")]


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(logs, "utc_now", lambda: NOW)


@pytest.fixture
def run(run_module):
    def run_info(check_mode=False, **args):
        return run_module(sevalla_log_info, dict({"app_id": APP_ID}, **args), check_mode=check_mode)
    return run_info


def sent(requests_mock):
    """The query of the one logs request, as the API saw it (requests_mock's own qs is lower-cased)."""
    assert requests_mock.call_count == 1
    return dict((name, values[0]) for name, values in parse_qs(urlsplit(requests_mock.last_request.url).query).items())


def test_default_one_get_of_the_last_hour_oldest_first(run, requests_mock):
    requests_mock.get(RUNTIME_URL, json=ANSWER)
    result = run()
    assert not result["failed"] and not result["changed"] and not result["truncated"]
    assert sent(requests_mock) == {"from": "2026-03-09T09:15:02.345Z", "to": "2026-03-09T10:15:02.345Z", "limit": "100"}
    assert [e["message"] for e in result["entries"]] == ["tick 1", "boom", "GET /", "tick 2"]
    assert result["log_lines"] == ["2026-03-09 10:14:10.000 INFO tick 1", "2026-03-09 10:14:20.000 ERROR boom",
                                   "2026-03-09 10:14:30.000 INFO GET /", "2026-03-09 10:14:40.000 INFO tick 2"]
    assert result["entries"][0] == ANSWER[-1], "the API's objects, unchanged"


def test_since_sends_from_and_to_that_far_apart(run, requests_mock):
    requests_mock.get(RUNTIME_URL, json=[])
    run(since="10m")
    assert sent(requests_mock) == {"from": "2026-03-09T10:05:02.345Z", "to": "2026-03-09T10:15:02.345Z", "limit": "100"}


def test_severity_is_sent_as_the_api_filter(run, requests_mock):
    requests_mock.get(RUNTIME_URL, json=[entry(20, "boom", severity="ERROR")])
    result = run(severity="ERROR")
    assert json.loads(sent(requests_mock)["filters"]) == [{"key": "severity", "operator": "EQUALS", "value": "ERROR"}]
    assert result["log_lines"] == ["2026-03-09 10:14:20.000 ERROR boom"]


def test_process_key_keeps_that_process_only_after_the_limit(run, requests_mock):
    requests_mock.get(RUNTIME_URL, json=ANSWER)
    result = run(process_key="clock", lines=4)
    assert [e["message"] for e in result["entries"]] == ["tick 1", "tick 2"]
    assert result["truncated"], "4 entries came back for a limit of 4, before the process filter"
    assert "filters" not in sent(requests_mock), "the process filter is the module's, not the API's"


@pytest.mark.parametrize("lines, truncated", [(4, True), (5, False), (1000, False)])
def test_truncated_exactly_when_limit_entries_come_back(run, requests_mock, lines, truncated):
    requests_mock.get(RUNTIME_URL, json=ANSWER)
    result = run(lines=lines)
    assert result["truncated"] is truncated and sent(requests_mock)["limit"] == str(lines)


def test_access_log(run, requests_mock):
    requests_mock.get(ACCESS_URL, json=[])
    result = run(source="access", **{"from": "2026-03-09T10:00:00Z", "to": "2026-03-09T11:00:00+01:00"})
    assert result["entries"] == [] and result["log_lines"] == [] and not result["truncated"]
    assert sent(requests_mock) == {"from": "2026-03-09T10:00:00.000Z", "to": "2026-03-09T10:00:00.000Z", "limit": "100"}


def test_check_mode_reads_as_usual(run, requests_mock):
    requests_mock.get(RUNTIME_URL, json=ANSWER)
    result = run(check_mode=True)
    assert not result["changed"] and len(result["entries"]) == 4


def test_app_name_reads_the_list_first(run_module, requests_mock):
    requests_mock.get(API + "/applications", json={"data": [{"id": APP_ID, "name": "my-app", "display_name": "My"}],
                                                   "total": 1})
    requests_mock.get(RUNTIME_URL, json=[])
    result = run_module(sevalla_log_info, {"app_name": "my-app"})
    assert not result["failed"] and [r.path for r in requests_mock.request_history] == [
        "/v3/applications", "/v3/applications/%s/runtime-logs" % APP_ID]


def test_an_unknown_application_fails(run, requests_mock):
    requests_mock.get(RUNTIME_URL, status_code=404, json={"message": "Application not found", "status": 404})
    result = run()
    assert result["failed"] and "Application %s was not found" % APP_ID in result["msg"]
    assert result["api_error"]["status"] == 404


def test_a_429_is_retried(run, requests_mock, no_sleep):
    requests_mock.get(RUNTIME_URL, [{"status_code": 429, "headers": {"Retry-After": "7"}, "json": {"message": "Too many"}},
                                    {"json": ANSWER}])
    result = run()
    assert not result["failed"] and requests_mock.call_count == 2 and no_sleep == [7.0]
    assert result["api_waits"][0]["reason"] == "rate limit (429)"


def test_an_api_refusal_is_explained(run, requests_mock):
    requests_mock.get(RUNTIME_URL, status_code=400, json={"message": "Bad request", "status": 400,
                                                          "data": {"message": "query.filters.0.operator: unknown"}})
    result = run(filters=[{"key": "severity", "operator": "LIKE", "value": "E"}])
    assert result["failed"] and "Could not read the runtime log of application %s" % APP_ID in result["msg"]
    assert "query.filters.0.operator" in result["msg"]


@pytest.mark.parametrize("body", [{"data": []}, ["line"], [{"unix_timestamp": "soon"}]])
def test_an_answer_of_the_wrong_shape_fails(run, requests_mock, body):
    requests_mock.get(RUNTIME_URL, json=body)
    result = run()
    assert result["failed"] and "unexpected response shape" in result["msg"]


@pytest.mark.parametrize("args, words", [
    ({"since": "10 minutes"}, "since must be a duration"),
    ({"since": "10m", "from": "2026-03-09T10:00:00Z"}, "since cannot be combined with from or to"),
    ({"since": "10m", "to": "2026-03-09T10:00:00Z"}, "since cannot be combined with from or to"),
    ({"from": "2026-03-09T11:00:00Z", "to": "2026-03-09T10:00:00Z"}, "is after to"),
    ({"from": "2026-03-09T11:00:00Z"}, "is after now"),
    ({"from": "last tuesday"}, "from must be an ISO 8601 date and time"),
    ({"to": "2026-13-01"}, "to must be an ISO 8601 date and time"),
    ({"lines": 0}, "lines must be between 1 and 5000"),
    ({"lines": 5001}, "lines must be between 1 and 5000"),
    ({"filters": [{"value": "ERROR"}]}, "filters[0] needs both key and operator"),
    ({"filters": [{"key": "severity", "operator": "EQUALS"}]}, "filters[0] needs either value or values"),
    ({"severity": [""]}, "severity must hold levels"),
    ({"process_key": ""}, "process_key must be 1 to 64 characters"),
    ({"source": "build"}, "value of source must be one of: access, runtime"),
    ({"app_id": "my-app"}, "app_id must be a UUID"),
])
def test_bad_input_fails_before_any_request(run, requests_mock, args, words):
    result = run(**args)
    assert result["failed"] and words in result["msg"] and requests_mock.call_count == 0, result["msg"]
