# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_env_var and sevalla_env_var_info: read every page, send only what differs, and never
show a value."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.sevalla.cloud.plugins.module_utils.env_var import HIDDEN, HIDDEN_CHANGED
from ansible_collections.sevalla.cloud.plugins.modules import sevalla_env_var, sevalla_env_var_info
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
ENV_URL = "%s/applications/%s/env-vars" % (API, APP_ID)
GLOBAL_URL = "%s/applications/global-env-vars" % API
STAMP = "2026-03-09T10:15:02.000Z"
# Every value these tests use: none may appear in a result.
VALUES = ("db-s3cret-old", "db-s3cret-new", "npm-t0ken", "prod-m0de", "new-s3cret-a", "new-s3cret-b", "new-s3cret-c")


def variable(number, key, value, is_runtime=True, is_buildtime=True, app_id=APP_ID):
    found = {"id": "%08d-0000-4000-8000-000000000000" % number, "key": key, "value": value,
             "is_runtime": is_runtime, "is_buildtime": is_buildtime, "created_at": STAMP, "updated_at": STAMP}
    if app_id:
        found["app_id"] = app_id
    return found


DATABASE_URL = variable(1, "DATABASE_URL", "db-s3cret-old", is_buildtime=False)
NPM_TOKEN = variable(2, "NPM_TOKEN", "npm-t0ken", is_runtime=False)
NODE_ENV = variable(3, "NODE_ENV", "prod-m0de")
CURRENT = [DATABASE_URL, NPM_TOKEN, NODE_ENV]


def page(items, total=None):
    return {"data": items, "total": len(items) if total is None else total, "offset": 0, "limit": 100}


def calls(requests_mock):
    return [(request.method, request.path.split("/env-vars")[-1] or "/", request.json() if request.body else None)
            for request in requests_mock.request_history]


def methods(requests_mock):
    return [request.method for request in requests_mock.request_history]


def echo_create(request, context):
    context.status_code = 201
    body = request.json()
    return variable(90 + len(body["key"]), body["key"], body["value"], body.get("is_runtime", True),
                    body.get("is_buildtime", True))


def echo_update(current):
    by_id = dict((item["id"], item) for item in current)

    def answer(request, context):
        return dict(by_id[request.path.rsplit("/", 1)[-1]], **request.json())
    return answer


def mock_scope(requests_mock, current=None, url=ENV_URL):
    current = CURRENT if current is None else current
    requests_mock.get(url, json=page(current))
    requests_mock.post(url, json=echo_create)
    for item in current:
        requests_mock.put("%s/%s" % (url, item["id"]), json=echo_update(current))
        requests_mock.delete("%s/%s" % (url, item["id"]), json={"message": "Environment variable deleted"})


def assert_no_value(result):
    text = json.dumps(result)
    leaked = [value for value in VALUES if value in text]
    assert not leaked, "values leaked into the result: %s" % leaked


@pytest.fixture
def run(run_module):
    def run_env_var(variables, check_mode=False, diff=False, **args):
        scope = {} if "global" in args or "app_name" in args else {"app_id": APP_ID}
        result = run_module(sevalla_env_var, dict(scope, variables=variables, **args), check_mode=check_mode, diff=diff)
        assert_no_value(result)
        return result
    return run_env_var


# --- Creating, updating, nothing to do ---------------------------------------------

def test_three_new_variables_cost_one_get_and_three_posts(run, requests_mock):
    mock_scope(requests_mock, current=[])
    result = run([{"key": "A", "value": "new-s3cret-a"}, {"key": "B", "value": "new-s3cret-b", "is_buildtime": False},
                  {"key": "C", "value": "new-s3cret-c", "is_runtime": False}])
    assert not result["failed"] and result["changed"]
    assert calls(requests_mock) == [
        ("GET", "/", None),
        ("POST", "/", {"key": "A", "value": "new-s3cret-a"}),
        ("POST", "/", {"key": "B", "value": "new-s3cret-b", "is_buildtime": False}),
        ("POST", "/", {"key": "C", "value": "new-s3cret-c", "is_runtime": False}),
    ]
    assert requests_mock.request_history[0].qs == {"limit": ["100"], "offset": ["0"]}
    assert (result["created"], result["updated"], result["deleted"]) == (["A", "B", "C"], [], [])
    assert result["redeploy"] == "build"
    assert [item["key"] for item in result["env_vars"]] == ["A", "B", "C"]
    assert all("value" not in item and item["id"] for item in result["env_vars"])


def test_nothing_differs_one_get_and_not_changed(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "DATABASE_URL", "value": "db-s3cret-old", "is_buildtime": False},
                  {"key": "NODE_ENV", "value": "prod-m0de"}])
    assert not result["failed"] and not result["changed"]
    assert methods(requests_mock) == ["GET"]
    assert (result["created"], result["updated"], result["deleted"], result["redeploy"]) == ([], [], [], "none")
    assert [item["key"] for item in result["env_vars"]] == ["DATABASE_URL", "NPM_TOKEN", "NODE_ENV"]


def test_a_changed_value_and_a_changed_flag_each_send_only_their_field(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "DATABASE_URL", "value": "db-s3cret-new"},
                  {"key": "NPM_TOKEN", "value": "npm-t0ken", "is_runtime": True},
                  {"key": "NODE_ENV", "value": "prod-m0de", "is_runtime": True}])
    assert result["changed"] and result["updated"] == ["DATABASE_URL", "NPM_TOKEN"]
    assert calls(requests_mock) == [
        ("GET", "/", None),
        ("PUT", "/" + DATABASE_URL["id"], {"value": "db-s3cret-new"}),
        ("PUT", "/" + NPM_TOKEN["id"], {"is_runtime": True}),
    ]
    assert result["redeploy"] == "build"  # NPM_TOKEN is used at build time


def test_a_flag_the_task_does_not_give_is_not_compared(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "NPM_TOKEN", "value": "npm-t0ken"}])
    assert not result["changed"] and methods(requests_mock) == ["GET"]


def test_a_null_flag_differs_from_a_given_one(run, requests_mock):
    mock_scope(requests_mock, current=[dict(DATABASE_URL, is_runtime=None, is_buildtime=None)])
    result = run([{"key": "DATABASE_URL", "value": "db-s3cret-old", "is_runtime": True}])
    assert calls(requests_mock)[1] == ("PUT", "/" + DATABASE_URL["id"], {"is_runtime": True})
    assert result["redeploy"] == "build"  # a null is_buildtime counts as true, the API's default


def test_every_page_is_read(run, requests_mock):
    many = [variable(index, "VAR_%03d" % index, "value-%03d" % index) for index in range(1, 131)]
    requests_mock.get(ENV_URL, [{"json": page(many[:100], 130)}, {"json": page(many[100:], 130)}])
    requests_mock.post(ENV_URL, json=echo_create)
    result = run([{"key": "VAR_130", "value": "value-130"}, {"key": "VAR_131", "value": "new-s3cret-a"}])
    assert methods(requests_mock) == ["GET", "GET", "POST"]
    assert [request.qs["offset"] for request in requests_mock.request_history[:2]] == [["0"], ["100"]]
    assert result["created"] == ["VAR_131"] and len(result["env_vars"]) == 131


# --- Deleting ----------------------------------------------------------------------

def test_purge_deletes_every_variable_not_listed(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "NODE_ENV", "value": "prod-m0de"}], purge=True)
    assert calls(requests_mock) == [("GET", "/", None), ("DELETE", "/" + DATABASE_URL["id"], None),
                                    ("DELETE", "/" + NPM_TOKEN["id"], None)]
    assert result["deleted"] == ["DATABASE_URL", "NPM_TOKEN"] and result["redeploy"] == "build"
    assert [item["key"] for item in result["env_vars"]] == ["NODE_ENV"]


def test_absent_deletes_the_listed_variables_that_exist(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "DATABASE_URL"}, {"key": "NOT_THERE"}], state="absent")
    assert calls(requests_mock) == [("GET", "/", None), ("DELETE", "/" + DATABASE_URL["id"], None)]
    assert result["changed"] and result["deleted"] == ["DATABASE_URL"] and result["redeploy"] == "restart"


def test_absent_when_nothing_is_there_sends_no_delete(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "NOT_THERE"}], state="absent")
    assert not result["changed"] and methods(requests_mock) == ["GET"] and result["deleted"] == []


def test_absent_ignores_a_value(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "NODE_ENV", "value": "new-s3cret-a", "is_runtime": False}], state="absent")
    assert methods(requests_mock) == ["GET", "DELETE"] and result["deleted"] == ["NODE_ENV"]


def test_a_delete_answered_404_after_being_sent_again_is_done(run, requests_mock, no_sleep):
    mock_scope(requests_mock)
    requests_mock.delete("%s/%s" % (ENV_URL, NODE_ENV["id"]), [{"status_code": 502}, {"status_code": 404, "json": {
        "message": "Environment variable not found", "status": 404, "data": {"code": "env-var-not-found"}}}])
    result = run([{"key": "NODE_ENV"}], state="absent")
    assert not result["failed"] and result["deleted"] == ["NODE_ENV"] and methods(requests_mock) == ["GET", "DELETE", "DELETE"]


def test_a_first_404_on_delete_fails_and_says_why(run, requests_mock):
    mock_scope(requests_mock)
    requests_mock.delete("%s/%s" % (ENV_URL, NODE_ENV["id"]), status_code=404, json={
        "message": "Environment variable not found", "status": 404, "data": {"code": "env-var-not-found"}})
    result = run([{"key": "NODE_ENV"}], state="absent")
    assert result["failed"] and "Deleting variable 'NODE_ENV'" in result["msg"]
    assert "deleted since this task read the list" in result["msg"]


# --- redeploy ----------------------------------------------------------------------

@pytest.mark.parametrize("variables, current, expected", [
    ([{"key": "A", "value": "new-s3cret-a", "is_buildtime": False}], [], "restart"),
    ([{"key": "A", "value": "new-s3cret-a", "is_runtime": False}], [], "build"),
    ([{"key": "A", "value": "new-s3cret-a"}], [], "build"),  # the API's default: both flags true
    ([{"key": "A", "value": "new-s3cret-a", "is_runtime": False, "is_buildtime": False}], [], "none"),
    ([{"key": "DATABASE_URL", "value": "db-s3cret-new"}], [DATABASE_URL], "restart"),
    ([{"key": "DATABASE_URL", "value": "db-s3cret-old", "is_buildtime": True}], [DATABASE_URL], "build"),
    ([{"key": "NPM_TOKEN", "value": "npm-t0ken", "is_buildtime": False}], [NPM_TOKEN], "build"),  # was build time
    ([{"key": "DATABASE_URL", "value": "db-s3cret-old"}], [DATABASE_URL], "none"),
], ids=["new-runtime", "new-buildtime", "new-default-flags", "new-neither", "runtime-value", "becomes-buildtime",
        "was-buildtime", "unchanged"])
def test_redeploy_says_what_the_change_needs(run, requests_mock, variables, current, expected):
    mock_scope(requests_mock, current=current)
    assert run(variables)["redeploy"] == expected
    mock_scope(requests_mock, current=current)
    assert run(variables, check_mode=True)["redeploy"] == expected


# --- Check mode and diff -----------------------------------------------------------

def test_check_mode_sends_nothing_and_predicts(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "DATABASE_URL", "value": "db-s3cret-new"}, {"key": "NEW", "value": "new-s3cret-a",
                                                                      "is_buildtime": False}],
                 purge=True, check_mode=True, diff=True)
    assert methods(requests_mock) == ["GET"]
    assert result["changed"]
    assert (result["created"], result["updated"], result["deleted"]) == (["NEW"], ["DATABASE_URL"], ["NPM_TOKEN", "NODE_ENV"])
    assert result["redeploy"] == "build"  # the deleted ones are used at build time
    assert result["env_vars"] == [
        dict((name, field) for name, field in DATABASE_URL.items() if name != "value"),
        {"key": "NEW", "is_runtime": True, "is_buildtime": False},
    ]
    assert result["diff"] == {
        "before": {
            "DATABASE_URL": {"value": HIDDEN, "is_runtime": True, "is_buildtime": False},
            "NPM_TOKEN": {"value": HIDDEN, "is_runtime": False, "is_buildtime": True},
            "NODE_ENV": {"value": HIDDEN, "is_runtime": True, "is_buildtime": True},
        },
        "after": {
            "DATABASE_URL": {"value": HIDDEN_CHANGED, "is_runtime": True, "is_buildtime": False},
            "NEW": {"value": HIDDEN, "is_runtime": True, "is_buildtime": False},
        },
    }


def test_check_mode_without_a_change(run, requests_mock):
    mock_scope(requests_mock)
    result = run([{"key": "NODE_ENV", "value": "prod-m0de"}], check_mode=True, diff=True)
    assert not result["changed"] and methods(requests_mock) == ["GET"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_the_diff_of_a_real_run_matches_check_mode(run, requests_mock):
    mock_scope(requests_mock)
    predicted = run([{"key": "NODE_ENV", "value": "new-s3cret-a"}], state="present", check_mode=True, diff=True)
    mock_scope(requests_mock)
    applied = run([{"key": "NODE_ENV", "value": "new-s3cret-a"}], diff=True)
    assert predicted["diff"] == applied["diff"]
    assert applied["diff"]["after"]["NODE_ENV"]["value"] == HIDDEN_CHANGED
    assert "diff" not in run([{"key": "NODE_ENV", "value": "new-s3cret-a"}])


# --- The global scope ----------------------------------------------------------------

def test_global_scope_uses_the_global_paths(run, requests_mock):
    company = [variable(7, "LOG_LEVEL", "prod-m0de", app_id=None)]
    mock_scope(requests_mock, current=company, url=GLOBAL_URL)
    result = run([{"key": "LOG_LEVEL", "value": "db-s3cret-new"}, {"key": "NEW", "value": "new-s3cret-a"}], **{"global": True})
    assert [(request.method, request.path) for request in requests_mock.request_history] == [
        ("GET", "/v3/applications/global-env-vars"),
        ("PUT", "/v3/applications/global-env-vars/" + company[0]["id"]),  # in the order of variables
        ("POST", "/v3/applications/global-env-vars"),
    ]
    assert result["created"] == ["NEW"] and result["updated"] == ["LOG_LEVEL"]


def test_app_name_resolves_the_application_first(run, requests_mock):
    requests_mock.get(API + "/applications", json=page([{"id": APP_ID, "name": "my-app", "display_name": "My App"}]))
    mock_scope(requests_mock)
    result = run([{"key": "NODE_ENV", "value": "prod-m0de"}], app_name="my-app")
    assert [request.path for request in requests_mock.request_history] == ["/v3/applications", "/v3/applications/%s/env-vars" % APP_ID]
    assert not result["changed"]


def test_an_unknown_application_is_named(run, requests_mock):
    requests_mock.get(ENV_URL, status_code=404, json={"message": "Application not found", "status": 404, "data": {}})
    result = run([{"key": "A", "value": "new-s3cret-a"}])
    assert result["failed"] and result["msg"].startswith("Application %s was not found" % APP_ID)


# --- Retries and failures part-way -------------------------------------------------

def test_a_500_on_a_post_is_not_sent_again_and_names_the_key(run, requests_mock):
    mock_scope(requests_mock, current=[])
    requests_mock.post(ENV_URL, [{"json": echo_create}, {"status_code": 500, "json": {"message": "boom", "status": 500}}])
    result = run([{"key": "A", "value": "new-s3cret-a"}, {"key": "B", "value": "new-s3cret-b"},
                  {"key": "C", "value": "new-s3cret-c"}])
    assert result["failed"] and methods(requests_mock) == ["GET", "POST", "POST"]
    assert "Creating variable 'B'" in result["msg"] and "Variable 'B' may have been created" in result["msg"]
    assert "not sent again" in result["msg"]
    assert result["msg"].startswith("Done before this failure: created 'A'. ")
    assert (result["created"], result["updated"], result["deleted"]) == (["A"], [], [])
    assert result["changed"] and result["redeploy"] == "build" and result["api_error"]["status"] == 500


def test_a_failure_part_way_names_what_was_updated_and_deleted(run, requests_mock):
    mock_scope(requests_mock)
    requests_mock.delete("%s/%s" % (ENV_URL, NPM_TOKEN["id"]), status_code=403, json={"message": "Forbidden", "status": 403})
    result = run([{"key": "DATABASE_URL", "value": "db-s3cret-new"}], purge=True)
    assert result["failed"] and result["updated"] == ["DATABASE_URL"] and result["deleted"] == []
    assert "Done before this failure: updated 'DATABASE_URL'. Deleting variable 'NPM_TOKEN'" in result["msg"]
    assert result["redeploy"] == "restart"


def test_a_409_on_a_post_says_another_client_created_it(run, requests_mock):
    mock_scope(requests_mock, current=[])
    requests_mock.post(ENV_URL, status_code=409, json={"message": "Conflict", "status": 409})
    result = run([{"key": "A", "value": "new-s3cret-a"}])
    assert result["failed"] and not result["changed"] and methods(requests_mock) == ["GET", "POST"]
    assert "already has a variable with this key" in result["msg"] and "Done before" not in result["msg"]


def test_a_500_on_a_put_is_sent_again(run, requests_mock, no_sleep):
    mock_scope(requests_mock)
    requests_mock.put("%s/%s" % (ENV_URL, NODE_ENV["id"]), [
        {"status_code": 500, "json": {"message": "boom", "status": 500}}, {"json": dict(NODE_ENV, value="new-s3cret-a")}])
    result = run([{"key": "NODE_ENV", "value": "new-s3cret-a"}])
    assert not result["failed"] and result["updated"] == ["NODE_ENV"]
    assert methods(requests_mock) == ["GET", "PUT", "PUT"]
    assert requests_mock.request_history[1].json() == requests_mock.request_history[2].json() == {"value": "new-s3cret-a"}
    assert [wait["reason"] for wait in result["api_waits"]] == ["server error (500)"]


def test_a_dropped_post_is_not_sent_again(run, requests_mock):
    mock_scope(requests_mock, current=[])
    requests_mock.post(ENV_URL, exc=requests.exceptions.ConnectionError("connection reset"))
    result = run([{"key": "A", "value": "new-s3cret-a"}])
    assert result["failed"] and methods(requests_mock) == ["GET", "POST"] and "'A' may have been created" in result["msg"]


def test_an_api_message_that_echoes_a_value_is_masked(run, requests_mock):
    """The value sent and the value read are both secrets the task knows."""
    mock_scope(requests_mock)
    echo = {"message": "cannot replace 'db-s3cret-old' with 'db-s3cret-new'", "status": 400,
            "data": {"code": "err", "message": "body.value 'db-s3cret-new' is not allowed"}}
    requests_mock.put("%s/%s" % (ENV_URL, DATABASE_URL["id"]), status_code=400, json=echo)
    result = run([{"key": "DATABASE_URL", "value": "db-s3cret-new"}])
    assert result["failed"] and "Changing the value of variable 'DATABASE_URL'" in result["msg"]
    assert result["api_error"]["message"] == "cannot replace '********' with '********'"


def test_an_answer_without_a_value_is_refused_without_showing_it(run, requests_mock):
    requests_mock.get(ENV_URL, json=page([{"id": "x", "key": "A"}]))
    result = run([{"key": "A", "value": "new-s3cret-a"}])
    assert result["failed"] and "expected an environment variable object with id, key and value" in result["msg"]


# --- Input checks: each names the item, before any request ---------------------------

@pytest.mark.parametrize("variables, args, words", [
    ([{"key": "", "value": "x"}], {}, "variables[0].key must be 1 to 255 characters long, got 0"),
    ([{"key": "A", "value": "x"}, {"key": "K" * 256, "value": "x"}], {}, "variables[1].key must be 1 to 255"),
    ([{"key": "A=B", "value": "x"}], {}, "variables[0].key 'A=B' holds '='"),
    ([{"key": "A B", "value": "x"}], {}, "variables[0].key 'A B' holds whitespace"),
    ([{"key": "A\tB", "value": "x"}], {}, "holds whitespace or a NUL character"),
    ([{"key": "A\nB", "value": "x"}], {}, "holds whitespace or a NUL character"),
    ([{"key": "AB\u00a0", "value": "x"}], {}, "holds whitespace or a NUL character"),
    ([{"key": "A", "value": "x"}, {"key": "B", "value": "y"}, {"key": "A", "value": "z"}], {},
     "variables[0] and variables[2] both have the key 'A'"),
    ([{"key": "A", "value": "x" * 32769}], {}, "variables[0].value (key 'A') is 32769 characters long, more than the 32768"),
    ([{"key": "A", "value": "x"}, {"key": "B"}], {}, "variables[1] (key 'B') has no value: state=present needs one"),
    ([{"key": "A"}], {"global": True}, "global=true selects the company-wide variables and cannot be combined with app_id"),
    ([{"key": "A"}], {"state": "absent", "purge": True}, "purge=true works with state=present only"),
    ([{"key": "A", "value": "x"}], {"app_id": None}, "one of app_id, app_name or global=true is required"),
    ([{"key": "A", "value": "x"}], {"app_id": "my-app"}, "app_id must be a UUID"),
], ids=["empty-key", "long-key", "equals", "space", "tab", "newline", "nbsp", "twice", "long-value", "no-value",
        "global-and-app", "purge-absent", "no-scope", "bad-app-id"])
def test_input_checks_fail_before_any_request(run_module, requests_mock, variables, args, words):
    result = run_module(sevalla_env_var, dict(dict({"app_id": APP_ID}, **args), variables=variables))
    assert result["failed"] and requests_mock.call_count == 0
    assert words in result["msg"], result["msg"]
    assert (result["created"], result["updated"], result["deleted"], result["redeploy"]) == ([], [], [], "none")


def test_a_nul_in_a_key_is_refused(run_module, requests_mock):
    result = run_module(sevalla_env_var, {"app_id": APP_ID, "variables": [{"key": "A\x00B", "value": "x"}]})
    assert result["failed"] and requests_mock.call_count == 0
    assert "holds whitespace or a NUL character" in result["msg"] or result["msg"].startswith("Failed to log to syslog")


def test_global_with_app_name_says_how_to_omit_it(run_module, requests_mock):
    result = run_module(sevalla_env_var, {"global": True, "app_name": "demo", "variables": []})
    assert result["failed"] and requests_mock.call_count == 0
    assert 'When app_name comes from module_defaults, set app_name: "{{ omit }}" in this task' in result["msg"]


# --- sevalla_env_var_info ------------------------------------------------------------

@pytest.fixture
def info(run_module):
    def run_info(**args):
        scope = {} if "global" in args else {"app_id": APP_ID}
        return run_module(sevalla_env_var_info, dict(scope, **args))
    return run_info


def test_info_returns_no_value_by_default(info, requests_mock):
    requests_mock.get(ENV_URL, json=page(CURRENT))
    result = info()
    assert not result["failed"] and not result["changed"] and methods(requests_mock) == ["GET"]
    assert [item["key"] for item in result["env_vars"]] == ["DATABASE_URL", "NPM_TOKEN", "NODE_ENV"]
    assert all("value" not in item for item in result["env_vars"])
    assert_no_value(result)


def test_info_shows_values_on_purpose(info, requests_mock):
    requests_mock.get(ENV_URL, json=page(CURRENT))
    result = info(show_values=True, keys=["NODE_ENV", "MISSING"])
    assert result["env_vars"] == [NODE_ENV]


def test_info_reads_the_global_variables_every_page(info, requests_mock):
    many = [variable(index, "G_%03d" % index, "g", app_id=None) for index in range(150)]
    requests_mock.get(GLOBAL_URL, [{"json": page(many[:100], 150)}, {"json": page(many[100:], 150)}])
    result = info(**{"global": True})
    assert len(result["env_vars"]) == 150 and methods(requests_mock) == ["GET", "GET"]


def test_info_refuses_global_with_an_application(info, requests_mock):
    result = info(**{"global": True, "app_id": APP_ID})
    assert result["failed"] and requests_mock.call_count == 0 and "cannot be combined with app_id" in result["msg"]


def test_info_runs_in_check_mode(run_module, requests_mock):
    requests_mock.get(ENV_URL, json=page(CURRENT))
    result = run_module(sevalla_env_var_info, {"app_id": APP_ID}, check_mode=True)
    assert not result["failed"] and not result["changed"] and len(result["env_vars"]) == 3
    assert methods(requests_mock) == ["GET"]
