# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's environment variables, application-level and global, over HTTP against an in-process instance."""

from __future__ import annotations


import pytest
import requests

from simulator.server import DEFAULT_READONLY_API_KEY
from simulator.validation import schema_error
from simulator.testing import IDS, api

DEMO = "/applications/%s/env-vars" % IDS["demo_app"]
BIG = "/applications/%s/env-vars" % IDS["big_app"]
GLOBAL = "/applications/global-env-vars"
NODE_ENV = "%s/%s" % (DEMO, IDS["demo_env_node_env"])
COMPANY_NAME = "%s/%s" % (GLOBAL, IDS["global_env_company_name"])


def detail(response, status):
    """data.message of an error answer, once its status is checked."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and body["data"]["code"].startswith("err-")
    return body["data"]["message"]


def everything(sim, path):
    """Every variable of a scope, read at the largest page size."""
    found, offset = [], 0
    while True:
        page = api(sim, "GET", path, params={"limit": 100, "offset": offset}).json()
        found += page["data"]
        offset += 100
        if offset >= page["total"]:
            return found


def test_the_big_application_has_two_pages_in_creation_order(sim):
    first = api(sim, "GET", BIG, params={"limit": 100}).json()
    second = api(sim, "GET", BIG, params={"limit": 100, "offset": 100}).json()
    assert (first["total"], first["offset"], first["limit"], len(first["data"])) == (130, 0, 100, 100)
    assert (second["total"], second["offset"], len(second["data"])) == (130, 100, 30)
    variables = first["data"] + second["data"]
    assert [variable["key"] for variable in variables] == ["VAR_%03d" % number for number in range(1, 131)]
    assert (variables[0]["id"], variables[-1]["id"]) == (IDS["big_env_var_001"], IDS["big_env_var_130"])
    assert [variable["created_at"] for variable in variables] == sorted(variable["created_at"] for variable in variables)
    assert all(schema_error("env_var", variable, "item") is None for variable in variables)
    default = api(sim, "GET", BIG).json()
    assert (default["limit"], default["offset"], len(default["data"])) == (25, 0, 25)
    beyond = api(sim, "GET", BIG, params={"offset": 200}).json()
    assert (beyond["total"], beyond["data"]) == (130, [])
    assert "query.limit" in detail(api(sim, "GET", BIG, params={"limit": 101}), 400)
    assert "query.limit" in detail(api(sim, "GET", BIG, params={"limit": 0}), 400)


def test_the_demo_variables_are_answered_in_clear(sim):
    variables = {variable["key"]: variable for variable in api(sim, "GET", DEMO).json()["data"]}
    assert list(variables) == ["NODE_ENV", "DATABASE_URL", "NPM_TOKEN"]
    assert variables["DATABASE_URL"]["value"].startswith("postgres://demo:demo-db-password@")
    flags = {key: (item["is_runtime"], item["is_buildtime"]) for key, item in variables.items()}
    assert flags == {"NODE_ENV": (True, True), "DATABASE_URL": (True, False), "NPM_TOKEN": (False, True)}
    assert {item["app_id"] for item in variables.values()} == {IDS["demo_app"]}
    assert api(sim, "GET", "/applications/%s/env-vars" % IDS["shop_eu_app"]).json() == {
        "data": [], "total": 0, "offset": 0, "limit": 25}
    assert "no application" in detail(api(sim, "GET", "/applications/%s/env-vars" % IDS["unknown_app"]), 404)


def test_create_answers_201_with_the_defaults_and_logs_the_body_as_sent(sim):
    sent = {"key": "API_BASE_URL", "value": "https://api.example.invalid/v1?a=1&b= two\nlines é"}
    response = api(sim, "POST", DEMO, json=sent)
    assert response.status_code == 201
    created = response.json()
    assert {name: created[name] for name in ("app_id", "key", "value", "is_runtime", "is_buildtime")} == dict(
        sent, app_id=IDS["demo_app"], is_runtime=True, is_buildtime=True)
    assert created["created_at"] == created["updated_at"] and schema_error("env_var", created, "answer") is None
    assert everything(sim, DEMO)[-1] == created
    flags = api(sim, "POST", DEMO, json={"key": "BUILD_ONLY", "value": "", "is_runtime": False}).json()
    assert (flags["is_runtime"], flags["is_buildtime"], flags["value"]) == (False, True, "")
    logged = requests.get(sim.url + "/_simulator/requests", params={"method": "POST"}, timeout=10).json()["requests"]
    assert [entry["body"] for entry in logged] == [sent, {"key": "BUILD_ONLY", "value": "", "is_runtime": False}]
    assert [entry["status"] for entry in logged] == [201, 201]


def test_a_duplicate_key_is_a_409_and_keys_are_case_sensitive(sim):
    message = detail(api(sim, "POST", DEMO, json={"key": "NODE_ENV", "value": "staging"}), 409)
    assert message.startswith("body.key:") and "already has an environment variable named 'NODE_ENV'" in message
    assert api(sim, "POST", DEMO, json={"key": "node_env", "value": "staging"}).status_code == 201
    assert api(sim, "POST", BIG, json={"key": "NODE_ENV", "value": "staging"}).status_code == 201, "keys are per application"
    assert [item["value"] for item in everything(sim, DEMO) if item["key"] == "NODE_ENV"] == ["production"]


def test_put_changes_only_what_is_sent(sim):
    before = api(sim, "GET", DEMO).json()["data"][0]
    changed = api(sim, "PUT", NODE_ENV, json={"value": "staging"})
    assert changed.status_code == 200
    after = changed.json()
    assert {name for name in before if before[name] != after[name]} == {"value", "updated_at"}
    assert after["value"] == "staging" and after["updated_at"] > before["updated_at"]
    flags = api(sim, "PUT", NODE_ENV, json={"is_buildtime": False}).json()
    assert (flags["value"], flags["is_runtime"], flags["is_buildtime"]) == ("staging", True, False)
    renamed = api(sim, "PUT", NODE_ENV, json={"key": "APP_ENV"}).json()
    assert (renamed["key"], renamed["id"], renamed["created_at"]) == ("APP_ENV", before["id"], before["created_at"])
    assert api(sim, "GET", DEMO).json()["data"][0] == renamed, "a rename keeps the place in the list"
    assert api(sim, "PUT", NODE_ENV, json={}).json() == renamed, "an empty body changes nothing, not even updated_at"
    assert api(sim, "PUT", NODE_ENV, json={"key": "APP_ENV"}).status_code == 200, "its own key is no duplicate"
    assert "named 'DATABASE_URL'" in detail(api(sim, "PUT", NODE_ENV, json={"key": "DATABASE_URL"}), 409)
    assert api(sim, "GET", DEMO).json()["data"][0]["key"] == "APP_ENV"


def test_delete_then_404(sim):
    deleted = api(sim, "DELETE", NODE_ENV)
    assert (deleted.status_code, deleted.json()) == (200, {"message": "Environment variable deleted"})
    assert "no environment variable with id" in detail(api(sim, "DELETE", NODE_ENV), 404)
    assert detail(api(sim, "PUT", NODE_ENV, json={"value": "x"}), 404)
    assert [item["key"] for item in everything(sim, DEMO)] == ["DATABASE_URL", "NPM_TOKEN"]
    assert api(sim, "POST", DEMO, json={"key": "NODE_ENV", "value": "again"}).status_code == 201, "the key is free again"
    unknown = "%s/%s" % (DEMO, IDS["unknown_env_var"])
    assert detail(api(sim, "PUT", unknown, json={}), 404) and detail(api(sim, "DELETE", unknown), 404)
    assert "path.env_var_id" in detail(api(sim, "DELETE", DEMO + "/not-a-uuid"), 400)
    other_app = "/applications/%s/env-vars/%s" % (IDS["big_app"], IDS["demo_env_node_env"])
    assert detail(api(sim, "DELETE", other_app), 404), "a variable is found only under its own application"


def test_global_variables_have_their_own_routes_and_no_app_id(sim):
    listed = api(sim, "GET", GLOBAL)
    assert listed.status_code == 200, "global-env-vars must not be taken as an application id"
    page = listed.json()
    assert [item["key"] for item in page["data"]] == ["COMPANY_NAME", "LOG_LEVEL", "SUPPORT_EMAIL"]
    assert all("app_id" not in item and schema_error("global_env_var", item, "item") is None for item in page["data"])
    created = api(sim, "POST", GLOBAL, json={"key": "NODE_ENV", "value": "production", "is_buildtime": False})
    assert created.status_code == 201 and "app_id" not in created.json() and created.json()["is_buildtime"] is False
    assert "the company already has a global environment variable named 'COMPANY_NAME'" in detail(
        api(sim, "POST", GLOBAL, json={"key": "COMPANY_NAME", "value": "x"}), 409)
    updated = api(sim, "PUT", COMPANY_NAME, json={"value": "Renamed Co"}).json()
    assert (updated["key"], updated["value"]) == ("COMPANY_NAME", "Renamed Co")
    assert detail(api(sim, "PUT", COMPANY_NAME, json={"key": "LOG_LEVEL"}), 409)
    deleted = api(sim, "DELETE", COMPANY_NAME)
    assert (deleted.status_code, deleted.json()) == (200, {"message": "Global environment variable deleted"})
    assert "no global environment variable" in detail(api(sim, "DELETE", COMPANY_NAME), 404)
    assert [item["key"] for item in everything(sim, GLOBAL)] == ["LOG_LEVEL", "SUPPORT_EMAIL", "NODE_ENV"]
    assert [item["key"] for item in everything(sim, DEMO)][0] == "NODE_ENV", "app variables are apart from global ones"


def test_global_env_vars_is_never_an_application_id(sim):
    assert "use GET, POST" in detail(api(sim, "PATCH", GLOBAL), 405)
    assert "use DELETE, PUT" in detail(api(sim, "GET", COMPANY_NAME), 405)
    assert "path.id" in detail(api(sim, "PUT", GLOBAL + "/processes", json={}), 400)
    assert "route" in detail(api(sim, "GET", GLOBAL + "/%s/x" % IDS["unknown_env_var"]), 404)
    assert api(sim, "GET", "/applications/%s" % IDS["demo_app"]).status_code == 200, "real ids still reach the application"
    assert "path.id" in detail(api(sim, "GET", "/applications/global-env-var"), 400)


@pytest.mark.parametrize("path", [DEMO, GLOBAL])
def test_the_read_only_key_may_read_but_not_change(sim, path):
    one = "%s/%s" % (path, IDS["demo_env_node_env"] if path == DEMO else IDS["global_env_company_name"])
    before = api(sim, "GET", path, key=DEFAULT_READONLY_API_KEY)
    assert before.status_code == 200
    assert "read-only" in detail(api(sim, "POST", path, key=DEFAULT_READONLY_API_KEY, json={"key": "K", "value": "v"}), 403)
    assert "read-only" in detail(api(sim, "PUT", one, key=DEFAULT_READONLY_API_KEY, json={"value": "v"}), 403)
    assert "read-only" in detail(api(sim, "DELETE", one, key=DEFAULT_READONLY_API_KEY), 403)
    assert api(sim, "GET", path).json() == before.json()


@pytest.mark.parametrize("method, body, words", [
    ("POST", {"key": "K" * 256, "value": "v"}, "body.key: "),
    ("POST", {"key": "", "value": "v"}, "body.key: "),
    ("POST", {"key": "K", "value": "v" * 32769}, "body.value: "),
    ("POST", {"key": "K", "value": "v", "secret": True}, "'secret' was unexpected"),
    ("POST", {"key": "K", "value": "v", "is_runtime": "yes"}, "body.is_runtime: "),
    ("POST", {"key": "K", "value": None}, "body.value: "),
    ("POST", {"key": "K"}, "'value' is a required property"),
    ("POST", None, "a JSON object is required"),
    ("PUT", {"key": "K" * 256}, "body.key: "),
    ("PUT", {"value": "v" * 32769}, "body.value: "),
    ("PUT", {"is_buildtime": None}, "body.is_buildtime: "),
    ("PUT", {"app_id": IDS["big_app"]}, "'app_id' was unexpected"),
    ("PUT", [], "body: [] is not of type 'object'"),
])
@pytest.mark.parametrize("scope", ["app", "global"])
def test_bodies_are_checked_against_the_schema(sim, method, body, words, scope):
    path = {"app": DEMO, "global": GLOBAL}[scope]
    target = path if method == "POST" else "%s/%s" % (path, IDS["demo_env_node_env"] if scope == "app" else IDS["global_env_company_name"])
    assert words in detail(api(sim, method, target, json=body), 400)
    assert len(everything(sim, path)) == 3 and everything(sim, path)[0]["value"] in ("production", "Sevalla Demo Company")


def test_the_largest_key_and_value_are_accepted(sim):
    created = api(sim, "POST", DEMO, json={"key": "K" * 255, "value": "v" * 32768})
    assert created.status_code == 201 and len(created.json()["value"]) == 32768
    assert api(sim, "PUT", NODE_ENV, json={"value": "w" * 32768}).json()["value"] == "w" * 32768


def test_mutations_count_against_the_mutation_limit(sim):
    requests.post(sim.url + "/_simulator/config", json={"mutation_limit": 3}, timeout=10).raise_for_status()
    statuses = [api(sim, "PUT", NODE_ENV, json={"value": "a"}).status_code,
                api(sim, "POST", GLOBAL, json={"key": "K", "value": "v"}).status_code,
                api(sim, "DELETE", COMPANY_NAME).status_code]
    limited = api(sim, "PUT", NODE_ENV, json={"value": "b"})
    assert statuses == [200, 201, 200]
    assert "rate limit" in detail(limited, 429) and limited.headers["x-ratelimit-remaining"] == "0"
    assert api(sim, "GET", DEMO).json()["data"][0]["value"] == "a", "reads have their own bucket, and the 429 changed nothing"


def test_reset_restores_the_seeded_variables(sim):
    seeded = (everything(sim, DEMO), everything(sim, GLOBAL))
    api(sim, "DELETE", NODE_ENV)
    api(sim, "PUT", COMPANY_NAME, json={"key": "COMPANY"})
    api(sim, "POST", DEMO, json={"key": "EXTRA", "value": "1"})
    assert (everything(sim, DEMO), everything(sim, GLOBAL)) != seeded
    requests.post(sim.url + "/_simulator/reset", timeout=10).raise_for_status()
    assert (everything(sim, DEMO), everything(sim, GLOBAL)) == seeded
