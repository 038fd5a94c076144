# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""app_name on the modules that take app_id: resolved once, through the application list, then used as the ID."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sevalla.cloud.plugins.modules import (
    sevalla_deployment,
    sevalla_deployment_info,
    sevalla_process,
    sevalla_process_exec,
    sevalla_process_info,
    sevalla_process_trigger,
)
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
WEB_ID = "11111111-1111-4111-8111-111111111111"
APPS_URL = API + "/applications"
PROCESSES_URL = "%s/applications/%s/processes" % (API, APP_ID)
DEPLOYMENTS_URL = "%s/applications/%s/deployments" % (API, APP_ID)
WEB = {"id": WEB_ID, "app_id": APP_ID, "key": "web", "type": "web", "display_name": "Web", "port": 8080}
CLOCK_ID = "22222222-2222-4222-8222-222222222222"
CLOCK = {"id": CLOCK_ID, "app_id": APP_ID, "key": "clock", "type": "cron", "display_name": "Clock"}
DONE = {"id": "33333333-3333-4333-8333-333333333333", "app_id": APP_ID, "status": "success"}
APPS = [{"id": "%08d-0000-4000-8000-000000000000" % index, "name": "app-%03d" % index, "display_name": "Shop"}
        for index in range(1, 120)] + [{"id": APP_ID, "name": "my-app", "display_name": "My App"}]

MODULES = {
    "sevalla_process": (sevalla_process, dict(process_key="web", port=8080)),
    "sevalla_process_info": (sevalla_process_info, dict(process_key="web")),
    "sevalla_process_exec": (sevalla_process_exec, dict(process_key="web", argv=["true"])),
    "sevalla_process_trigger": (sevalla_process_trigger, dict(process_key="clock")),
    "sevalla_deployment": (sevalla_deployment, dict(restart=True)),
    "sevalla_deployment_info": (sevalla_deployment_info, dict(limit=1)),
}
# Requests after the two pages of applications: the task's own, all under the resolved application.
# sevalla_deployment: the newest deployments (is one running?), then the trigger.
OWN_REQUESTS = {"sevalla_process_exec": 2, "sevalla_process_trigger": 2, "sevalla_deployment": 2}


@pytest.fixture
def api(requests_mock):
    def pages(request, context):
        offset, limit = int(request.qs["offset"][0]), int(request.qs["limit"][0])
        return {"data": APPS[offset:offset + limit], "total": len(APPS)}

    requests_mock.get(APPS_URL, json=pages)
    requests_mock.get(PROCESSES_URL, json={"data": [WEB, CLOCK], "total": 2})
    requests_mock.post(PROCESSES_URL + "/" + WEB_ID + "/exec", json={"stdout": "", "stderr": "", "exit_code": 0})
    requests_mock.post(PROCESSES_URL + "/" + CLOCK_ID + "/trigger", json={"message": "Cron job triggered"})
    requests_mock.post(DEPLOYMENTS_URL, json=DONE)
    requests_mock.get(DEPLOYMENTS_URL, json={"data": [DONE], "total": 1})
    return requests_mock


@pytest.mark.parametrize("name", sorted(MODULES))
@pytest.mark.parametrize("app_name", ["my-app", "My App"])
def test_app_name_is_resolved_once_across_two_pages(run_module, api, name, app_name):
    module, options = MODULES[name]
    result = run_module(module, dict(options, app_name=app_name))
    assert result["failed"] is False, result.get("msg")
    sent = [(r.method, r.path, r.qs.get("offset")) for r in api.request_history]
    assert sent[:2] == [("GET", "/v3/applications", ["0"]), ("GET", "/v3/applications", ["100"])]
    assert all(path.startswith("/v3/applications/%s/" % APP_ID) for method, path, offset in sent[2:])
    assert len(sent) == 2 + OWN_REQUESTS.get(name, 1)


@pytest.mark.parametrize("name", sorted(MODULES))
@pytest.mark.parametrize("app_name, words", [
    ("Shop", "display name of 119 applications"),
    ("nope", "neither the name nor the display name"),
])
def test_ambiguous_or_unknown_app_name_fails_before_any_process_request(run_module, api, name, app_name, words):
    module, options = MODULES[name]
    result = run_module(module, dict(options, app_name=app_name))
    assert result["failed"] is True and words in result["msg"]
    assert [r.path for r in api.request_history] == ["/v3/applications", "/v3/applications"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_app_id_and_app_name_are_mutually_exclusive(run_module, requests_mock, name):
    module, options = MODULES[name]
    result = run_module(module, dict(options, app_id=APP_ID, app_name="my-app"))
    assert result["failed"] is True and "mutually exclusive: app_id|app_name" in result["msg"]
    assert requests_mock.call_count == 0


def test_exec_in_check_mode_resolves_nothing(run_module, requests_mock):
    result = run_module(sevalla_process_exec, dict(app_name="my-app", process_key="web", argv=["true"]), check_mode=True)
    assert result["skipped"] is True and requests_mock.call_count == 0
