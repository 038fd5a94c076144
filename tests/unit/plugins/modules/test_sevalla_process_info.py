# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_process_info: all pages, one process by id or key, the type filter."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sevalla.cloud.plugins.modules import sevalla_process_info
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
PROCESSES_URL = "%s/applications/%s/processes" % (API, APP_ID)
TYPES = ("web", "worker", "cron", "job")


def process(index):
    return {"id": "%08d-0000-4000-8000-000000000000" % index, "app_id": APP_ID,
            "key": "web" if index == 0 else "worker-%03d" % index, "type": TYPES[index % 4]}


PROCESSES = [process(index) for index in range(130)]


def pages(request, context):
    offset, limit = int(request.qs["offset"][0]), int(request.qs["limit"][0])
    return {"data": PROCESSES[offset:offset + limit], "total": len(PROCESSES)}


@pytest.fixture
def api(requests_mock):
    requests_mock.get(PROCESSES_URL, json=pages)
    for item in PROCESSES:
        requests_mock.get("%s/%s" % (PROCESSES_URL, item["id"]), json=item)
    return requests_mock


def queries(requests_mock):
    return [(request.path, request.qs) for request in requests_mock.request_history]


def test_empty_api_url_variable_means_the_default(run_module, api, monkeypatch):
    monkeypatch.setenv("SEVALLA_API_URL", "")
    result = run_module(sevalla_process_info, {"app_id": APP_ID})
    assert not result["failed"]
    assert api.last_request.url.startswith(API + "/applications/")


def test_every_page_is_read(run_module, api):
    result = run_module(sevalla_process_info, {"app_id": APP_ID})
    assert not result["failed"] and not result["changed"]
    assert result["processes"] == PROCESSES
    assert [request.qs for request in api.request_history] == [
        {"limit": ["100"], "offset": ["0"]}, {"limit": ["100"], "offset": ["100"]}]


def test_one_process_by_id_is_one_get(run_module, api):
    item = PROCESSES[120]
    result = run_module(sevalla_process_info, {"app_id": APP_ID, "process_id": item["id"]})
    assert result["processes"] == [item]
    assert api.call_count == 1 and api.request_history[0].path.endswith(item["id"])


def test_one_process_by_key_reads_the_list(run_module, api):
    result = run_module(sevalla_process_info, {"app_id": APP_ID, "process_key": "worker-120"})
    assert result["processes"] == [PROCESSES[120]]
    assert api.call_count == 2 and all(request.path.endswith("/processes") for request in api.request_history)


def test_type_filter(run_module, api):
    result = run_module(sevalla_process_info, {"app_id": APP_ID, "type": "cron"})
    assert result["processes"] == [item for item in PROCESSES if item["type"] == "cron"]
    assert len(result["processes"]) == 32


@pytest.mark.parametrize("wanted, count", [("worker", 1), ("web", 0)])
def test_type_filter_on_one_process(run_module, api, wanted, count):
    result = run_module(sevalla_process_info, {"app_id": APP_ID, "process_key": "worker-001", "type": wanted})
    assert len(result["processes"]) == count and not result["failed"]


def test_unknown_key_lists_the_keys(run_module, api):
    result = run_module(sevalla_process_info, {"app_id": APP_ID, "process_key": "nope"})
    assert result["failed"]
    assert "no process with the key 'nope'" in result["msg"]
    assert "Existing keys: web, worker-001" in result["msg"] and "(130 in all)" in result["msg"]


def test_check_mode_reads_normally(run_module, api):
    result = run_module(sevalla_process_info, {"app_id": APP_ID, "process_key": "web"}, check_mode=True)
    assert result["processes"] == [PROCESSES[0]] and not result["changed"]


def test_unknown_process_id_names_it(run_module, requests_mock):
    missing = "22222222-2222-4222-8222-222222222222"
    requests_mock.get("%s/%s" % (PROCESSES_URL, missing), status_code=404, reason="Not Found",
                      json={"message": "Not Found", "status": 404})
    result = run_module(sevalla_process_info, {"app_id": APP_ID, "process_id": missing})
    assert result["failed"]
    assert "Process %s of application %s was not found" % (missing, APP_ID) in result["msg"]
    assert result["api_error"]["status"] == 404


def test_unknown_application_names_it(run_module, requests_mock):
    requests_mock.get(PROCESSES_URL, status_code=404, reason="Not Found", json={"message": "Not Found"})
    result = run_module(sevalla_process_info, {"app_id": APP_ID})
    assert result["failed"] and "Application %s was not found" % APP_ID in result["msg"]


@pytest.mark.parametrize("args, message", [
    ({"app_id": "nope"}, "app_id must be a UUID"),
    ({"app_id": APP_ID, "type": "daemon"}, "value of type must be one of: web, worker, cron, job"),
    ({"app_id": APP_ID, "process_id": PROCESSES[0]["id"], "process_key": "web"}, "mutually exclusive"),
])
def test_invalid_input_sends_nothing(run_module, requests_mock, args, message):
    result = run_module(sevalla_process_info, args)
    assert result["failed"] and message in result["msg"]
    assert requests_mock.call_count == 0
