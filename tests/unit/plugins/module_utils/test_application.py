# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Resolving applications: app_id costs nothing, app_name the list pages; name first, then a unique display name."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sevalla.cloud.plugins.module_utils.application import (
    App,
    application_selector_spec,
    get_application,
    match_application,
    resolve_app,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaClient, SevallaError

API = "https://api.sevalla.com/v3"
APPS_URL = API + "/applications"


def app(index, name=None, display_name=None):
    return {"id": "%08d-0000-4000-8000-000000000000" % index, "name": name or "app-%03d" % index,
            "display_name": display_name or "App %03d" % index}


def serve(requests_mock, apps):
    def pages(request, context):
        offset, limit = int(request.qs["offset"][0]), int(request.qs["limit"][0])
        return {"data": apps[offset:offset + limit], "total": len(apps), "offset": offset, "limit": limit}

    requests_mock.get(APPS_URL, json=pages)
    return requests_mock


@pytest.fixture
def client():
    return SevallaClient("unit-secret-key", API, sleep=lambda seconds: None)


APPS = [app(1, "shop-eu", "Shop"), app(2, "shop-us", "Shop"), app(3, "demo", "Demo Application"),
        app(4, "demo-staging", "demo"), app(5, "billing", "Billing")]


@pytest.mark.parametrize("app_name, expected", [
    ("demo", "demo"),                  # the unique name wins over another application's display name
    ("demo-staging", "demo-staging"),
    ("Demo Application", "demo"),      # a display name that one application has
    ("Billing", "billing"),
])
def test_name_first_then_a_unique_display_name(app_name, expected):
    assert match_application(APPS, app_name)["name"] == expected


def test_a_shared_display_name_fails_and_names_the_applications():
    with pytest.raises(SevallaError) as caught:
        match_application(APPS, "Shop")
    assert "display name of 2 applications" in str(caught.value)
    assert "shop-eu, shop-us" in str(caught.value) and "app_id" in str(caught.value)


def test_matching_is_exact():
    for near in ("DEMO", "demo ", "shop"):
        with pytest.raises(SevallaError):
            match_application(APPS, near)


def test_no_match_lists_at_most_30_names():
    many = [app(index) for index in range(1, 46)]
    with pytest.raises(SevallaError) as caught:
        match_application(many, "nope")
    message = str(caught.value)
    assert "'nope' is neither the name nor the display name" in message
    assert "app-030" in message and "app-031" not in message and "(45 in all)" in message


def test_no_match_suggests_the_closest_names():
    with pytest.raises(SevallaError) as caught:
        match_application(APPS, "demp")
    assert "Did you mean 'demo'?" in str(caught.value)


def test_a_404_without_the_api_error_body_does_not_say_not_found(client, requests_mock):
    """A proxy or a wrong URL answers 404 too: only the API's own error body says the application is missing."""
    requests_mock.get(APPS_URL + "/" + APPS[0]["id"], status_code=404, text="<html>no such page</html>")
    with pytest.raises(SevallaError) as caught:
        get_application(client, App(APPS[0]["id"]))
    assert "was not found" not in str(caught.value) and "returned 404" in str(caught.value)


def test_no_applications_at_all():
    with pytest.raises(SevallaError) as caught:
        match_application([], "demo")
    assert "sees no applications" in str(caught.value)


def test_app_id_costs_no_request(client, requests_mock):
    assert resolve_app(client, {"app_id": APPS[0]["id"], "app_name": None}) == App(APPS[0]["id"])
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("others, pages", [(0, 1), (99, 1), (100, 2), (250, 3)])
def test_app_name_costs_one_get_per_100_applications(client, requests_mock, others, pages):
    serve(requests_mock, [app(index) for index in range(1, others + 1)] + [app(999, "target", "Target")])
    found = resolve_app(client, {"app_id": None, "app_name": "target"})
    assert found.id == app(999)["id"] and str(found) == "target (%s)" % app(999)["id"]
    assert [(r.method, r.path, r.qs["limit"], r.qs["offset"]) for r in requests_mock.request_history] == [
        ("GET", "/v3/applications", ["100"], [str(100 * page)]) for page in range(pages)]


def test_the_last_page_is_read_even_after_a_name_match(client, requests_mock):
    """A display name must be unique across all pages, so every page is read."""
    apps = [app(1, "first", "Shared")] + [app(index) for index in range(2, 101)] + [app(101, "last", "Shared")]
    serve(requests_mock, apps)
    with pytest.raises(SevallaError) as caught:
        resolve_app(client, {"app_name": "Shared"})
    assert "first, last" in str(caught.value)
    assert requests_mock.call_count == 2


def test_app_id_reads_the_full_object_once(client, requests_mock):
    full = dict(APPS[2], namespace="demo-k3x9p", build_type="nixpacks")
    requests_mock.get(APPS_URL + "/" + full["id"], json=full)
    assert get_application(client, App(full["id"])) == full
    assert requests_mock.call_count == 1


def test_unknown_app_id_is_explained(client, requests_mock):
    requests_mock.get(APPS_URL + "/" + APPS[0]["id"], status_code=404, json={"message": "Not found", "status": 404})
    with pytest.raises(SevallaError) as caught:
        get_application(client, App(APPS[0]["id"]))
    assert str(caught.value).startswith("Application %s was not found" % APPS[0]["id"])


def test_list_items_of_the_wrong_shape_fail_cleanly(client, requests_mock):
    serve(requests_mock, [{"id": "x"}])
    with pytest.raises(SevallaError) as caught:
        resolve_app(client, {"app_name": "demo"})
    assert "expected an application object" in str(caught.value)


def test_selector_spec():
    spec, options = application_selector_spec()
    assert set(spec) == {"app_id", "app_name"} and spec["app_id"]["aliases"] == ["application_id"]
    assert options == {"mutually_exclusive": [("app_id", "app_name")], "required_one_of": [("app_id", "app_name")]}
    assert application_selector_spec(required=False)[1] == {"mutually_exclusive": [("app_id", "app_name")]}
