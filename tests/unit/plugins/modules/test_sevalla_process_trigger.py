# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_process_trigger: look the process up, check it is a cron process, trigger it once."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.sevalla.cloud.plugins.modules import sevalla_process_trigger
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
CRON_ID = "3c21f7fc-e6e1-45ef-b363-062cb2cf9f18"
WEB_ID = "07cc48cd-53ca-48d1-bee2-bc6cc3701d75"
PROCESSES_URL = "%s/applications/%s/processes" % (API, APP_ID)
CRON_URL = "%s/%s" % (PROCESSES_URL, CRON_ID)
TRIGGER_URL = CRON_URL + "/trigger"
CRON = {"id": CRON_ID, "key": "clock", "type": "cron"}
WEB = {"id": WEB_ID, "key": "web", "type": "web"}


def methods(requests_mock):
    return [request.method for request in requests_mock.request_history]


@pytest.fixture
def run(run_module):
    def run_trigger(check_mode=False, **args):
        return run_module(sevalla_process_trigger, dict({"app_id": APP_ID}, **args), check_mode=check_mode)
    return run_trigger


def test_by_id_one_get_then_one_post(run, requests_mock):
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, json={"message": "Cron job triggered"})
    result = run(process_id=CRON_ID)
    assert not result["failed"] and result["changed"] and result["msg"] == "Cron job triggered"
    assert methods(requests_mock) == ["GET", "POST"] and result["process"] == CRON
    assert requests_mock.request_history[1].body is None


def test_by_key_reads_the_list_then_posts(run, requests_mock):
    requests_mock.get(PROCESSES_URL, json={"data": [WEB, CRON], "total": 2})
    requests_mock.post(TRIGGER_URL, json={"message": "Cron job triggered"})
    result = run(process_key="clock")
    assert not result["failed"] and methods(requests_mock) == ["GET", "POST"]


def test_a_process_of_another_type_fails_before_the_post(run, requests_mock):
    requests_mock.get(PROCESSES_URL, json={"data": [WEB, CRON], "total": 2})
    result = run(process_key="web")
    assert result["failed"] and "Only a cron process can be triggered" in result["msg"] and "is a web process" in result["msg"]
    assert methods(requests_mock) == ["GET"]


def test_check_mode_looks_up_only(run, requests_mock):
    requests_mock.get(CRON_URL, json=CRON)
    result = run(process_id=CRON_ID, check_mode=True)
    assert result["changed"] and not result["failed"] and "Would have triggered" in result["msg"]
    assert methods(requests_mock) == ["GET"]


def test_check_mode_still_rejects_another_type(run, requests_mock):
    requests_mock.get("%s/%s" % (PROCESSES_URL, WEB_ID), json=WEB)
    result = run(process_id=WEB_ID, check_mode=True)
    assert result["failed"] and methods(requests_mock) == ["GET"]


@pytest.mark.parametrize("failure", [
    {"status_code": 502, "json": {"message": "Bad gateway", "status": 502}},
    {"exc": requests.exceptions.ConnectionError("reset")},
    {"exc": requests.exceptions.ReadTimeout("timed out")},
    {"json": ["accepted"]},  # a 200 of the wrong shape: accepted, so it may have started
    {"text": "<html>ok</html>"},
])
def test_the_trigger_is_never_sent_twice(run, requests_mock, failure):
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, **failure)
    result = run(process_id=CRON_ID)
    assert result["failed"] and "may have started" in result["msg"] and "not sent again" in result["msg"]
    assert methods(requests_mock) == ["GET", "POST"]


def test_a_429_is_retried(run, requests_mock):
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, [{"status_code": 429, "headers": {"Retry-After": "1"}, "json": {"message": "Too many"}},
                                     {"json": {"message": "Cron job triggered"}}])
    result = run(process_id=CRON_ID)
    assert not result["failed"] and methods(requests_mock) == ["GET", "POST", "POST"]


def test_a_400_is_explained(run, requests_mock):
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, status_code=400, json={"message": "Bad request", "status": 400})
    result = run(process_id=CRON_ID)
    assert result["failed"] and "Could not trigger the cron process 'clock'" in result["msg"]
    assert "may have started" not in result["msg"]


def test_an_answer_without_message_fails(run, requests_mock):
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, json=[])
    assert "expected an object with a message" in run(process_id=CRON_ID)["msg"]


@pytest.mark.parametrize("args, words", [
    ({}, "one of the following is required: process_id, process_key"),
    ({"process_id": CRON_ID, "process_key": "clock"}, "mutually exclusive"),
    ({"process_id": "nope"}, "process_id must be a UUID"),
    ({"process_key": ""}, "process_key must be 1 to 64 characters"),
])
def test_bad_input_fails_before_any_request(run, requests_mock, args, words):
    result = run(**args)
    assert result["failed"] and words in result["msg"] and requests_mock.call_count == 0


# --- wait_log_seconds ------------------------------------------------------------------------

LOGS_URL = "%s/applications/%s/runtime-logs" % (API, APP_ID)
TRIGGERED_AT = datetime(2026, 3, 9, 10, 15, 2, 345678, timezone.utc)


def log_entry(second, message, container="clock"):
    return {"id": "runtime-%06d" % second, "message": message, "service": "APP_RUNTIME", "severity": "INFO",
            "timestamp": "2026-03-09 10:15:%02d.000" % second, "tags": {"container": container}, "attributes": {},
            "unix_timestamp": 1773051300000000 + second * 1000000}


@pytest.fixture
def triggered_at(monkeypatch):
    monkeypatch.setattr(sevalla_process_trigger, "utc_now", lambda: TRIGGERED_AT)


def test_wait_log_seconds_waits_then_reads_the_runs_lines_since_the_trigger(run, requests_mock, no_sleep, triggered_at):
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, json={"message": "Cron job triggered"})
    requests_mock.get(LOGS_URL, json=[log_entry(4, "Cron run finished"), log_entry(3, "GET /", "web"),
                                      log_entry(3, "done"), log_entry(2, "Cron run started")])  # newest first
    result = run(process_id=CRON_ID, wait_log_seconds=2)
    assert not result["failed"] and result["changed"] and result["msg"] == "Cron job triggered"
    assert methods(requests_mock) == ["GET", "POST", "GET"] and no_sleep == [2]
    logs_request = requests_mock.last_request
    assert parse_qs(urlsplit(logs_request.url).query) == {"from": ["2026-03-09T10:15:02.345Z"], "limit": ["5000"]}
    assert result["log_lines"] == ["2026-03-09 10:15:02.000 INFO Cron run started", "2026-03-09 10:15:03.000 INFO done",
                                   "2026-03-09 10:15:04.000 INFO Cron run finished"]
    assert "log_error" not in result


def test_without_wait_log_seconds_no_log_is_read(run, requests_mock, no_sleep):
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, json={"message": "Cron job triggered"})
    result = run(process_id=CRON_ID)
    assert methods(requests_mock) == ["GET", "POST"] and no_sleep == [] and "log_lines" not in result


@pytest.mark.parametrize("failure, words", [
    ({"status_code": 403, "json": {"message": "Forbidden", "status": 403}}, "returned 403"),
    ({"json": {"not": "a list"}}, "unexpected response shape"),
])
def test_a_failed_log_read_warns_and_keeps_the_trigger(run, requests_mock, monkeypatch, failure, words):
    seen = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, message: seen.append(message))
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, json={"message": "Cron job triggered"})
    requests_mock.get(LOGS_URL, **failure)
    result = run(process_id=CRON_ID, wait_log_seconds=1)
    assert not result["failed"] and result["changed"] and result["msg"] == "Cron job triggered"
    assert result["log_lines"] == [] and words in result["log_error"]
    assert "Could not read the runtime log of application %s" % APP_ID in result["log_error"]
    assert seen == ["The cron run was triggered, but its log could not be read: %s" % result["log_error"]]
    assert methods(requests_mock) == ["GET", "POST", "GET"], "the trigger is not sent again"


def test_a_full_log_read_warns_that_lines_may_be_missing(run, requests_mock, monkeypatch):
    seen = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, message: seen.append(message))
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, json={"message": "Cron job triggered"})
    requests_mock.get(LOGS_URL, json=[log_entry(1, "busy", "web")] * 5000)
    result = run(process_id=CRON_ID, wait_log_seconds=1)
    assert result["log_lines"] == [] and len(seen) == 1 and "may lack some lines" in seen[0]


def test_check_mode_neither_triggers_nor_waits_nor_reads(run, requests_mock, no_sleep):
    requests_mock.get(CRON_URL, json=CRON)
    result = run(process_id=CRON_ID, wait_log_seconds=30, check_mode=True)
    assert result["changed"] and methods(requests_mock) == ["GET"] and no_sleep == [] and "log_lines" not in result


def test_a_failed_trigger_does_not_wait(run, requests_mock, no_sleep):
    requests_mock.get(CRON_URL, json=CRON)
    requests_mock.post(TRIGGER_URL, status_code=502, json={"message": "Bad gateway", "status": 502})
    result = run(process_id=CRON_ID, wait_log_seconds=30)
    assert result["failed"] and methods(requests_mock) == ["GET", "POST"] and no_sleep == []


@pytest.mark.parametrize("seconds", [-1, 3601])
def test_wait_log_seconds_out_of_range_fails_before_any_request(run, requests_mock, seconds):
    result = run(process_id=CRON_ID, wait_log_seconds=seconds)
    assert result["failed"] and "wait_log_seconds must be between 0 and 3600" in result["msg"]
    assert requests_mock.call_count == 0
