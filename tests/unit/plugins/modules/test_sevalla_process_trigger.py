# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_process_trigger: look the process up, check it is a cron process, trigger it once."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

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
