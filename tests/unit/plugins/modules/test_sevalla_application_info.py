# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_application_info: every page, one application by id or by name, never changed."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sevalla.cloud.plugins.modules import sevalla_application_info
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APPS_URL = API + "/applications"


def app(index, name=None, display_name=None):
    return {"id": "%08d-0000-4000-8000-000000000000" % index, "name": name or "app-%03d" % index,
            "display_name": display_name or "App %03d" % index, "status": "deploymentSuccess"}


APPS = [app(index) for index in range(1, 106)] + [app(200, "shop-eu", "Shop"), app(201, "shop-us", "Shop"),
                                                  app(202, "demo", "Demo Application")]


def full(item):
    return dict(item, namespace=item["name"] + "-ns", build_type="nixpacks")


@pytest.fixture
def api(requests_mock):
    def pages(request, context):
        offset, limit = int(request.qs["offset"][0]), int(request.qs["limit"][0])
        return {"data": APPS[offset:offset + limit], "total": len(APPS), "offset": offset, "limit": limit}

    requests_mock.get(APPS_URL, json=pages)
    for item in APPS:
        requests_mock.get("%s/%s" % (APPS_URL, item["id"]), json=full(item))
    return requests_mock


def requests_sent(requests_mock):
    return [(r.method, r.path, r.qs.get("offset")) for r in requests_mock.request_history]


@pytest.mark.parametrize("check_mode", [False, True])
def test_every_application_from_every_page(run_module, api, check_mode):
    result = run_module(sevalla_application_info, {}, check_mode=check_mode)
    assert result["changed"] is False and result["applications"] == APPS
    assert requests_sent(api) == [("GET", "/v3/applications", ["0"]), ("GET", "/v3/applications", ["100"])]


def test_by_id_one_get_of_the_full_object(run_module, api):
    result = run_module(sevalla_application_info, {"application_id": APPS[-1]["id"]})
    assert result["applications"] == [full(APPS[-1])]
    assert requests_sent(api) == [("GET", "/v3/applications/%s" % APPS[-1]["id"], None)]


@pytest.mark.parametrize("app_name", ["demo", "Demo Application"])
def test_by_name_the_list_pages_then_the_full_object(run_module, api, app_name):
    result = run_module(sevalla_application_info, {"app_name": app_name})
    assert result["changed"] is False and result["applications"] == [full(APPS[-1])]
    assert [path for method, path, offset in requests_sent(api)] == [
        "/v3/applications", "/v3/applications", "/v3/applications/%s" % APPS[-1]["id"]]


@pytest.mark.parametrize("app_name, words", [
    ("Shop", "display name of 2 applications, so it does not name one: shop-eu, shop-us"),
    ("nope", "(108 in all)"),
])
def test_by_name_failures_name_the_candidates(run_module, api, app_name, words):
    result = run_module(sevalla_application_info, {"app_name": app_name})
    assert result["failed"] is True and words in result["msg"]
    assert len(api.request_history) == 2


def test_unknown_id_fails(run_module, requests_mock):
    missing = "99999999-0000-4000-8000-000000000000"
    requests_mock.get("%s/%s" % (APPS_URL, missing), status_code=404, json={"message": "Not found", "status": 404})
    result = run_module(sevalla_application_info, {"app_id": missing})
    assert result["failed"] is True and "Application %s was not found" % missing in result["msg"]
    assert result["api_error"]["status"] == 404


@pytest.mark.parametrize("args, message", [
    ({"app_id": "nope"}, "app_id must be a UUID"),
    ({"app_id": APPS[0]["id"], "app_name": "demo"}, "mutually exclusive: app_id|app_name"),
    ({"app_name": "x" * 256}, "app_name must be 1 to 255 characters long"),
])
def test_bad_input_fails_before_any_request(run_module, requests_mock, args, message):
    result = run_module(sevalla_application_info, args)
    assert result["failed"] is True and message in result["msg"]
    assert requests_mock.call_count == 0
