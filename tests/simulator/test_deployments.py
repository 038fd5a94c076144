# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's deployments and cron runs: the timeline on a fake clock, then the routes over HTTP."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from simulator.deployments import DEPLOYMENT_LIMIT
from simulator.server import DEFAULT_READONLY_API_KEY
from simulator.validation import schema_error
from simulator.wire import ApiError
from simulator.testing import IDS, api, control

SIMULATOR_OPTIONS = dict(deployment_duration=0.5)
HERE = Path(__file__).resolve().parent
APP = IDS["demo_app"]
DEPLOYMENTS = "/applications/%s/deployments" % APP
CRON_TRIGGER = "/applications/%s/processes/%s/trigger" % (APP, IDS["demo_cron"])
WEB_TRIGGER = "/applications/%s/processes/%s/trigger" % (APP, IDS["demo_web"])


def test_a_deployment_moves_from_waiting_through_in_progress_to_success(book):
    created = book.create(APP, {})
    assert created["status"] == "waiting" and created["started_at"] is None and created["finished_at"] is None
    seen = []
    for _second in range(5):
        seen.append(book.get(APP, created["id"])["status"])
        book.clock.now += 1
    assert seen == ["waiting", "inProgress", "inProgress", "inProgress", "success"]
    done = book.get(APP, created["id"])
    assert done["started_at"] < done["finished_at"] == done["updated_at"]
    assert schema_error("deployment", done, "deployment") is None


def test_a_zero_duration_deployment_is_waiting_in_the_post_answer_and_final_at_the_first_read(book):
    book.configure(duration=0)
    created = book.create(APP, {})
    assert created["status"] == "waiting"
    assert book.get(APP, created["id"])["status"] == "success"


@pytest.mark.parametrize("status", ["failed", "cancelled"])
def test_the_next_deployment_can_end_badly_with_error_lines(book, status):
    book.configure(app_id=APP, next_status=status)
    bad = book.create(APP, {})
    book.clock.now += 4
    assert book.get(APP, bad["id"])["status"] == status
    severities = [entry["severity"] for entry in book.logs(APP, bad["id"], {})]
    assert "ERROR" in severities and severities[0] == "INFO"
    following = book.create(APP, {})
    book.clock.now += 4
    assert book.get(APP, following["id"])["status"] == "success", "only the next deployment ends badly"


def test_the_log_grows_with_the_deployment_and_honours_from_and_limit(book):
    created = book.create(APP, {})
    assert book.logs(APP, created["id"], {}) == []
    book.clock.now += 2
    assert len(book.logs(APP, created["id"], {})) == 2
    book.clock.now += 2
    assert len(book.logs(APP, created["id"], {})) == 4
    assert len(book.logs(APP, created["id"], {"limit": 1})) == 1
    oldest = book.page(APP, 0, 100)["data"][-1]
    assert book.logs(APP, oldest["id"], {}) == [], "the logs route reads the last hour by default"
    assert len(book.logs(APP, oldest["id"], {"from": oldest["created_at"]})) == 4


def test_the_list_is_newest_first_and_paginated(book):
    created = book.create(APP, {})
    page = book.page(APP, 0, 2)
    assert page["total"] == 4 and page["data"][0]["id"] == created["id"]
    assert [d["created_at"] for d in page["data"]] == sorted((d["created_at"] for d in page["data"]), reverse=True)
    assert len(book.page(APP, 3, 2)["data"]) == 1
    assert book.page(IDS["big_app"], 100, 100)["total"] == 130


def test_a_restart_redeploys_the_last_successful_build(book):
    last = book.page(APP, 0, 1)["data"][0]
    restart = book.create(APP, {"is_restart": True})
    assert restart["trigger"] == "RESTART" and restart["steps"] == ["rollout"]
    assert restart["docker_image_url"] == last["docker_image_url"] and restart["commit_sha"] == last["commit_sha"]
    image = book.create(APP, {"docker_image": "nginx:1.27"})
    assert image["docker_image_url"] == "nginx:1.27" and image["branch"] is None and image["git_type"] is None


def test_the_deployment_limit_is_enforced_on_demand(book):
    for _number in range(DEPLOYMENT_LIMIT + 2):
        book.create(APP, {})
    book.configure(enforce_limit=True)
    with pytest.raises(ApiError) as limited:
        book.create(APP, {})
    assert limited.value.status == 429 and limited.value.headers["Retry-After"] == "60"
    book.clock.now += 60
    book.create(APP, {})


def test_reset_goes_back_to_the_seed_and_the_initial_settings(book):
    book.configure(duration=9, enforce_limit=True, app_id=APP, next_status="failed")
    book.create(APP, {})
    book.trigger_cron(APP, IDS["demo_cron"])
    book.state.reset()
    assert book.settings() == {"duration": 4.0, "enforce_limit": False, "next_status": {}}
    assert book.page(APP, 0, 10)["total"] == 3 and book.runs() == {"total": 0, "runs": {}}


# --- Over HTTP ---------------------------------------------------------------

def test_routes_answer_what_the_spec_describes(sim):
    created = api(sim, "POST", DEPLOYMENTS, json={"is_restart": True})
    assert created.status_code == 200 and created.json()["status"] == "waiting"
    one = api(sim, "GET", "%s/%s" % (DEPLOYMENTS, created.json()["id"]))
    assert one.status_code == 200 and one.json()["id"] == created.json()["id"]
    page = api(sim, "GET", DEPLOYMENTS, params={"limit": 2, "offset": 0}).json()
    assert page["limit"] == 2 and page["data"][0]["id"] == created.json()["id"]
    logs = api(sim, "GET", "%s/%s/logs" % (DEPLOYMENTS, created.json()["id"]), params={"limit": 5000})
    assert logs.status_code == 200 and isinstance(logs.json(), list)


@pytest.mark.parametrize("stamp", ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00.5Z", "2026-03-01T10:00Z"])
def test_log_times_without_a_fraction_are_read(sim, stamp):
    created = api(sim, "POST", DEPLOYMENTS, json={"is_restart": True})
    logs = api(sim, "GET", "%s/%s/logs" % (DEPLOYMENTS, created.json()["id"]), params={"from": stamp})
    assert logs.status_code == 200, logs.text


@pytest.mark.parametrize("method, path, kwargs, status, words", [
    ("POST", DEPLOYMENTS, {}, 400, "a JSON object is required"),
    ("POST", DEPLOYMENTS, {"json": {"restart": True}}, 400, "'restart' was unexpected"),
    ("GET", DEPLOYMENTS, {"params": {"limit": 101}}, 400, "query.limit"),
    ("GET", DEPLOYMENTS + "/%s/logs" % IDS["unknown_deployment"], {"params": {"limit": 5001}}, 400, "query.limit"),
    ("GET", DEPLOYMENTS + "/%s" % IDS["unknown_deployment"], {}, 404, "no deployment with id"),
    ("GET", "/applications/%s/deployments" % IDS["unknown_app"], {}, 404, "no application"),
    ("POST", WEB_TRIGGER, {}, 400, "is a web process: only cron processes can be triggered"),
])
def test_routes_reject_what_the_spec_does_not_allow(sim, method, path, kwargs, status, words):
    response = api(sim, method, path, **kwargs)
    assert response.status_code == status and words in response.json()["data"]["message"]


def test_the_read_only_key_can_read_but_not_deploy_or_trigger(sim):
    assert api(sim, "GET", DEPLOYMENTS, key=DEFAULT_READONLY_API_KEY).status_code == 200
    assert api(sim, "POST", DEPLOYMENTS, key=DEFAULT_READONLY_API_KEY, json={}).status_code == 403
    assert api(sim, "POST", CRON_TRIGGER, key=DEFAULT_READONLY_API_KEY).status_code == 403


def test_cron_runs_are_counted_for_the_control_api(sim):
    for _run in range(2):
        answer = api(sim, "POST", CRON_TRIGGER)
        assert answer.status_code == 200 and answer.json() == {"message": "Cron job triggered"}
    api(sim, "POST", WEB_TRIGGER)
    assert control(sim, "GET", "cron-runs").json() == {"total": 2, "runs": {IDS["demo_cron"]: 2}}


def test_the_control_hook_sets_duration_outcome_and_limit(sim):
    settings = control(sim, "POST", "deployments", json={"duration": 0, "app_id": APP, "next_status": "cancelled"}).json()
    assert settings == {"ok": True, "duration": 0, "enforce_limit": False, "next_status": {APP: "cancelled"}}
    created = api(sim, "POST", DEPLOYMENTS, json={}).json()
    assert api(sim, "GET", "%s/%s" % (DEPLOYMENTS, created["id"])).json()["status"] == "cancelled"
    assert control(sim, "POST", "deployments", json={"next_status": "failed"}).status_code == 400, "next_status needs app_id"
    assert control(sim, "POST", "deployments", json={"app_id": IDS["unknown_app"], "next_status": "failed"}).status_code == 404
    control(sim, "POST", "deployments", json={"enforce_limit": True})
    statuses = [api(sim, "POST", DEPLOYMENTS, json={}).status_code for _number in range(DEPLOYMENT_LIMIT)]
    assert statuses == [200] * (DEPLOYMENT_LIMIT - 1) + [429]
    limited = api(sim, "POST", DEPLOYMENTS, json={})
    assert int(limited.headers["Retry-After"]) >= 1 and "x-ratelimit-limit" in limited.headers


def test_the_command_line_takes_a_deployment_duration(tmp_path):
    url_file = tmp_path / "url"
    process = subprocess.Popen([sys.executable, "-m", "simulator", "--deployment-duration", "0", "--url-file", str(url_file)],
                               cwd=str(HERE.parent), stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("SEVALLA_SIMULATOR_URL=")
        assert requests.get(url_file.read_text() + "/_simulator/deployments", timeout=10).json()["duration"] == 0
    finally:
        process.terminate()
        process.wait(timeout=15)
    bad = subprocess.run([sys.executable, "-m", "simulator", "--deployment-duration", "-1"], cwd=str(HERE.parent),
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "--deployment-duration" in bad.stderr
