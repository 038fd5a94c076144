# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_deployment_info: one deployment by id, or the newest ones page by page."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sevalla.cloud.plugins.modules import sevalla_deployment_info
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
DEPLOYMENT_ID = "5d8c2e7a-0b1f-4c3d-8e9a-1b2c3d4e5f60"
DEPLOYMENTS_URL = "%s/applications/%s/deployments" % (API, APP_ID)


def deployment(number):
    return {"id": "00000000-0000-4000-8000-%012d" % number, "status": "success"}


def paged(total):
    """A list endpoint over `total` deployments, newest (number 0) first, honouring limit and offset."""
    def respond(request, context):
        limit, offset = int(request.qs["limit"][0]), int(request.qs["offset"][0])
        data = [deployment(number) for number in range(offset, min(total, offset + limit))]
        return {"data": data, "total": total, "offset": offset, "limit": limit}
    return respond


def pages(requests_mock):
    return [(int(r.qs["limit"][0]), int(r.qs["offset"][0])) for r in requests_mock.request_history]


@pytest.fixture
def run(run_module):
    def run_info(check_mode=False, **args):
        return run_module(sevalla_deployment_info, dict({"app_id": APP_ID}, **args), check_mode=check_mode)
    return run_info


def test_default_is_the_ten_newest_in_one_get(run, requests_mock):
    requests_mock.get(DEPLOYMENTS_URL, json=paged(42))
    result = run()
    assert not result["failed"] and not result["changed"]
    assert [d["id"] for d in result["deployments"]] == [deployment(n)["id"] for n in range(10)]
    assert pages(requests_mock) == [(10, 0)]


@pytest.mark.parametrize("limit, total, expected_pages, count", [
    (250, 1000, [(100, 0), (100, 100), (50, 200)], 250),
    (250, 130, [(100, 0), (100, 100)], 130),
    (100, 100, [(100, 0)], 100),
    (5, 0, [(5, 0)], 0),
    (1000, 1000, [(100, offset) for offset in range(0, 1000, 100)], 1000),
])
def test_page_by_page_up_to_limit(run, requests_mock, limit, total, expected_pages, count):
    requests_mock.get(DEPLOYMENTS_URL, json=paged(total))
    result = run(limit=limit)
    assert pages(requests_mock) == expected_pages
    assert len(result["deployments"]) == count


def test_an_empty_page_before_the_total_fails(run, requests_mock):
    requests_mock.get(DEPLOYMENTS_URL, json={"data": [], "total": 50, "offset": 0, "limit": 100})
    result = run(limit=100)
    assert result["failed"] and "the pages do not add up" in result["msg"] and requests_mock.call_count == 1


def test_deployment_id_reads_that_one(run, requests_mock):
    requests_mock.get("%s/%s" % (DEPLOYMENTS_URL, DEPLOYMENT_ID), json={"id": DEPLOYMENT_ID, "status": "inProgress"})
    result = run(deployment_id=DEPLOYMENT_ID, check_mode=True)
    assert result["deployments"] == [{"id": DEPLOYMENT_ID, "status": "inProgress"}] and not result["changed"]
    assert requests_mock.call_count == 1


def test_an_unknown_deployment_id_fails(run, requests_mock):
    requests_mock.get("%s/%s" % (DEPLOYMENTS_URL, DEPLOYMENT_ID), status_code=404, json={"message": "Not found", "status": 404})
    result = run(deployment_id=DEPLOYMENT_ID)
    assert result["failed"] and "Deployment %s of application %s was not found" % (DEPLOYMENT_ID, APP_ID) in result["msg"]


def test_an_unknown_application_fails(run, requests_mock):
    requests_mock.get(DEPLOYMENTS_URL, status_code=404, json={"message": "Not found", "status": 404})
    result = run()
    assert result["failed"] and "Application %s was not found" % APP_ID in result["msg"]


def test_a_page_of_the_wrong_shape_fails(run, requests_mock):
    requests_mock.get(DEPLOYMENTS_URL, json={"data": [{"no": "id"}], "total": 1})
    result = run()
    assert result["failed"] and "expected a deployment object" in result["msg"]


@pytest.mark.parametrize("args, words", [
    ({"limit": 0}, "limit must be between 1 and 1000"),
    ({"limit": 1001}, "limit must be between 1 and 1000"),
    ({"deployment_id": "x"}, "deployment_id must be a UUID"),
    ({"app_id": "x"}, "app_id must be a UUID"),
])
def test_bad_input_fails_before_any_request(run, requests_mock, args, words):
    result = run(**args)
    assert result["failed"] and words in result["msg"] and requests_mock.call_count == 0
