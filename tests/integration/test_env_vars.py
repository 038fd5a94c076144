# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""sevalla_env_var under faults, against the simulator: a create is sent once, a PUT or a DELETE again, and a
failure part-way says what was done, after which a re-run converges."""

from __future__ import annotations

from reliability import IDS, run_module

APP = IDS["demo_app"]
ENV_PATH = "/v3/applications/%s/env-vars" % APP


def env_var(simulator, variables, **args):
    run = run_module(simulator, "sevalla_env_var", dict(app_id=APP, variables=variables, **args))
    run.assert_no_traceback()
    return run


def mutations(simulator):
    return [(entry["method"], entry["path"], entry["status"], entry["body"]) for entry in simulator.requests()
            if entry["method"] != "GET"]


def test_a_500_on_a_post_sends_one_post_names_the_key_and_what_was_done(simulator):
    simulator.inject(method="POST", path=ENV_PATH + "$", count=1, status=500)
    variables = [{"key": "NODE_ENV", "value": "staging"}, {"key": "NEW_KEY", "value": "new-value-1"}]
    run = env_var(simulator, variables)
    result = run.result
    assert run.returncode != 0 and run.tasks[0]["status"] == "failed", str(run)
    assert mutations(simulator) == [
        ("PUT", "%s/%s" % (ENV_PATH, IDS["demo_env_node_env"]), 200, {"value": "staging"}),
        ("POST", ENV_PATH, 500, {"key": "NEW_KEY", "value": "new-value-1"}),
    ]
    assert result["msg"].startswith("Done before this failure: updated 'NODE_ENV'. Creating variable 'NEW_KEY' in "
                                    "application %s failed. Variable 'NEW_KEY' may have been created all the same: the "
                                    "request was not sent again." % APP), result["msg"]
    assert (result["created"], result["updated"], result["deleted"]) == ([], ["NODE_ENV"], [])
    assert result["changed"] and result["redeploy"] == "build"  # NODE_ENV is used at build time

    simulator.control("DELETE", "requests")
    run = env_var(simulator, variables)
    again = run.result
    assert run.tasks[0]["status"] == "ok" and again["created"] == ["NEW_KEY"] and again["updated"] == []
    assert [entry["method"] for entry in simulator.requests()] == ["GET", "POST"]


def test_a_500_on_a_put_is_sent_again_and_succeeds(simulator):
    simulator.inject(method="PUT", path=ENV_PATH + "/", count=1, status=500)
    run = env_var(simulator, [{"key": "DATABASE_URL", "value": "postgres://changed", "is_runtime": False}])
    result = run.result
    assert run.tasks[0]["status"] == "ok" and result["updated"] == ["DATABASE_URL"], str(run)
    path = "%s/%s" % (ENV_PATH, IDS["demo_env_database_url"])
    body = {"value": "postgres://changed", "is_runtime": False}
    assert mutations(simulator) == [("PUT", path, 500, body), ("PUT", path, 200, body)]
    assert [wait["reason"] for wait in result["api_waits"]] == ["server error (500)"]
    assert any("took 2 attempts" in warning for warning in result["warnings"])
    assert result["redeploy"] == "restart"  # DATABASE_URL was a runtime variable (it is now neither)
    assert [item for item in result["env_vars"] if item["key"] == "DATABASE_URL"][0]["is_runtime"] is False


def test_a_500_on_a_delete_is_sent_again_and_succeeds(simulator):
    simulator.inject(method="DELETE", path=ENV_PATH + "/", count=1, status=503)
    run = env_var(simulator, [{"key": "NPM_TOKEN"}], state="absent")
    result = run.result
    assert run.tasks[0]["status"] == "ok" and result["deleted"] == ["NPM_TOKEN"] and result["redeploy"] == "build"
    assert [status for _method, _path, status, _body in mutations(simulator)] == [503, 200]
