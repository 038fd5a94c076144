# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rollback, cancel and how many deployments ran at once: the timeline on a fake clock, then the routes over HTTP."""

from __future__ import annotations


import pytest

from simulator.deployments import CANCEL_DELAY, DEPLOYMENT_LIMIT, max_overlap
from simulator.server import DEFAULT_READONLY_API_KEY
from simulator.validation import schema_error
from simulator.wire import ApiError
from simulator.testing import IDS, api, control

SIMULATOR_OPTIONS = dict(deployment_duration=0.5)
APP = IDS["demo_app"]
FRESH_APP = IDS["shop_eu_app"]  # no deployment history in the seed
DEPLOYMENTS = "/applications/%s/deployments" % APP
ROLLBACK = DEPLOYMENTS + "/rollback"
BUILD_FIELDS = ("docker_image_url", "git_type", "repo_url", "branch", "commit_sha", "commit_message", "author_login",
                "author_img")


def statuses(book, deployment_id, seconds):
    seen = []
    for _second in range(seconds):
        seen.append(book.get(APP, deployment_id)["status"])
        book.clock.now += 1
    return seen


def messages(book, deployment_id, app=APP):
    return [(entry["severity"], entry["message"]) for entry in book.logs(app, deployment_id, {})]


def api_error(call, *args):
    with pytest.raises(ApiError) as raised:
        call(*args)
    return raised.value


# --- Rollback ----------------------------------------------------------------

def test_a_rollback_redeploys_the_newest_successful_build_and_runs_like_any_deployment(book):
    good = book.create(APP, {"docker_image": "nginx:1.27"})
    book.clock.now += 4
    book.configure(app_id=APP, next_status="failed")
    bad = book.create(APP, {"branch": "broken"})
    book.clock.now += 4
    assert book.get(APP, bad["id"])["status"] == "failed"
    rollback = book.rollback(APP)
    assert rollback["trigger"] == "ROLLBACK_DEPLOYMENT" and rollback["steps"] == ["rollout"]
    assert rollback["type"] == "manual" and rollback["id"] not in (good["id"], bad["id"])
    assert {name: rollback[name] for name in BUILD_FIELDS} == {name: good[name] for name in BUILD_FIELDS}
    assert rollback["docker_image_url"] == "nginx:1.27" and rollback["branch"] is None
    assert statuses(book, rollback["id"], 5) == ["waiting", "inProgress", "inProgress", "inProgress", "success"]
    assert ("INFO", "Rolling back to the build of deployment %s" % good["id"]) in messages(book, rollback["id"])
    assert book.page(APP, 0, 1)["data"][0]["id"] == rollback["id"]
    assert schema_error("deployment", book.get(APP, rollback["id"]), "deployment") is None


def test_a_rollback_of_the_seeded_history_reuses_the_newest_seeded_build(book):
    newest = book.page(APP, 0, 1)["data"][0]
    rollback = book.rollback(APP)
    assert {name: rollback[name] for name in BUILD_FIELDS} == {name: newest[name] for name in BUILD_FIELDS}
    assert rollback["commit_sha"] is not None and rollback["branch"] == "main"


def test_a_rollback_needs_a_successful_deployment(book):
    error = api_error(book.rollback, FRESH_APP)
    assert (error.status, error.code) == (400, "no-successful-deployment")
    running = book.create(FRESH_APP, {})
    error = api_error(book.rollback, FRESH_APP)
    assert error.status == 400, "a deployment that has not finished is not a successful one"
    book.clock.now += 4
    assert book.get(FRESH_APP, running["id"])["status"] == "success"
    assert book.rollback(FRESH_APP)["trigger"] == "ROLLBACK_DEPLOYMENT"
    assert book.page(FRESH_APP, 0, 10)["total"] == 2, "the refused rollbacks created nothing"


def test_the_next_rollback_can_fail_while_next_status_is_for_other_deployments(book):
    book.configure(app_id=APP, next_rollback_status="failed")
    book.configure(app_id=APP, next_status="cancelled")
    failing = book.rollback(APP)
    book.clock.now += 4
    assert book.get(APP, failing["id"])["status"] == "failed"
    assert ("ERROR", "Deployment failed") in messages(book, failing["id"])
    assert book.settings()["next_status"] == {APP: "cancelled"}, "a rollback leaves next_status for the next deploy"
    deploy = book.create(APP, {})
    again = book.rollback(APP)
    book.clock.now += 4
    assert book.get(APP, deploy["id"])["status"] == "cancelled"
    assert book.get(APP, again["id"])["status"] == "success", "only the next rollback fails"


def test_next_duration_applies_to_the_next_deployment_only(book):
    book.configure(app_id=APP, next_duration=100)
    slow = book.rollback(APP)
    quick = book.create(APP, {})
    book.clock.now += 50
    assert book.get(APP, slow["id"])["status"] == "inProgress"
    assert book.get(APP, quick["id"])["status"] == "success"
    book.clock.now += 50
    assert book.get(APP, slow["id"])["status"] == "success"
    assert book.stats()["apps"][APP]["next_duration"] is None


def test_rollbacks_count_against_the_deployment_limit(book):
    book.configure(enforce_limit=True)
    for number in range(DEPLOYMENT_LIMIT):
        (book.rollback if number % 2 else book.create)(*((APP,) if number % 2 else (APP, {})))
    error = api_error(book.rollback, APP)
    assert (error.status, error.code) == (429, "deployment-limit") and error.headers["Retry-After"] == "60"
    assert api_error(book.create, APP, {}).status == 429
    book.clock.now += 60
    assert book.rollback(APP)["status"] == "waiting"


# --- Cancel ------------------------------------------------------------------

def test_cancelling_a_waiting_deployment_ends_it_at_once(book):
    created = book.create(APP, {})
    book.clock.now += 0.5
    assert book.cancel(APP, created["id"]) == {"message": "Deployment is being cancelled"}
    cancelled = book.get(APP, created["id"])
    assert cancelled["status"] == "cancelled" and cancelled["started_at"] is None
    assert cancelled["finished_at"] == cancelled["updated_at"] > cancelled["created_at"]
    assert messages(book, created["id"]) == [("WARN", "Cancellation requested"),
                                             ("INFO", "Deployment cancelled before it started")]
    book.clock.now += 10
    assert book.get(APP, created["id"])["status"] == "cancelled", "it never runs"
    assert len(messages(book, created["id"])) == 2


def test_cancelling_a_deployment_in_progress_stops_it_within_its_timeline(book):
    book.configure(app_id=APP, next_duration=100)
    created = book.create(APP, {})
    book.clock.now += 30
    assert book.get(APP, created["id"])["status"] == "inProgress"
    book.cancel(APP, created["id"])
    assert book.get(APP, created["id"])["status"] == "inProgress", "it takes a moment to stop"
    book.clock.now += CANCEL_DELAY
    cancelled = book.get(APP, created["id"])
    assert cancelled["status"] == "cancelled" and cancelled["started_at"] is not None
    log = messages(book, created["id"])
    assert log[0][1].startswith("Deployment %s started" % created["id"])
    assert log[-2:] == [("WARN", "Cancellation requested"), ("INFO", "Deployment cancelled")]
    assert ("INFO", "Deployment succeeded") not in log


def test_a_cancel_just_before_the_end_stops_it_at_its_end_and_not_later(book):
    created = book.create(APP, {})
    book.clock.now += 4 - CANCEL_DELAY / 2
    book.cancel(APP, created["id"])
    book.clock.now += CANCEL_DELAY / 2
    done = book.get(APP, created["id"])
    assert done["status"] == "cancelled" and done["finished_at"] == book.page(APP, 0, 1)["data"][0]["finished_at"]
    assert book.stats()["apps"][APP]["running"] == 0


@pytest.mark.parametrize("final", ["success", "failed", "skipped"])
def test_a_finished_deployment_cannot_be_cancelled(book, final):
    book.configure(app_id=APP, next_status=final)
    created = book.create(APP, {})
    book.clock.now += 4
    error = api_error(book.cancel, APP, created["id"])
    assert (error.status, error.code) == (400, "deployment-not-cancellable") and final in error.detail
    assert book.get(APP, created["id"])["status"] == final


def test_a_deployment_cannot_be_cancelled_twice(book):
    book.configure(app_id=APP, next_duration=10)
    stopping = book.create(APP, {})
    book.clock.now += 5
    book.cancel(APP, stopping["id"])
    assert "already being cancelled" in api_error(book.cancel, APP, stopping["id"]).detail
    book.clock.now += CANCEL_DELAY
    assert "already finished (cancelled)" in api_error(book.cancel, APP, stopping["id"]).detail
    waiting = book.create(APP, {})
    book.cancel(APP, waiting["id"])
    assert api_error(book.cancel, APP, waiting["id"]).status == 400


def test_cancel_of_an_unknown_deployment_is_404(book):
    assert api_error(book.cancel, APP, IDS["unknown_deployment"]).status == 404
    assert api_error(book.cancel, IDS["unknown_app"], IDS["unknown_deployment"]).status == 404
    other = book.create(FRESH_APP, {})
    assert api_error(book.cancel, APP, other["id"]).status == 404, "a deployment of another application"


# --- Deployments that run at once --------------------------------------------

@pytest.mark.parametrize("intervals, most", [
    ([], 0),
    ([(0, 4)], 1),
    ([(0, 4), (4, 8)], 1),
    ([(0, 4), (3, 8)], 2),
    ([(0, 10), (1, 2), (3, 4), (1.5, 3.5)], 3),
    ([(5, 5), (5, 6)], 1),
])
def test_max_overlap(intervals, most):
    assert max_overlap(intervals) == most


def test_two_deployments_may_run_at_once_and_the_most_at_once_is_reported(book):
    assert book.stats() == {"apps": {}}
    first = book.create(APP, {})
    book.clock.now += 4
    second = book.create(APP, {})
    assert book.stats()["apps"][APP] == {"created": 2, "running": 1, "max_running": 1, "next_status": None,
                                         "next_duration": None, "next_rollback_status": None}
    book.clock.now += 2
    third = book.rollback(APP)
    assert book.get(APP, second["id"])["status"] == "inProgress" and third["status"] == "waiting"
    assert (book.stats()["apps"][APP]["running"], book.stats()["apps"][APP]["max_running"]) == (2, 2)
    book.clock.now += 10
    book.cancel(APP, book.create(APP, {})["id"])
    stats = book.stats()["apps"][APP]
    assert (stats["created"], stats["running"], stats["max_running"]) == (4, 0, 2)
    assert book.get(APP, first["id"])["status"] == "success"


def test_a_cancel_shortens_a_deployment_for_the_count(book):
    book.configure(app_id=APP, next_duration=100)
    long_one = book.create(APP, {})
    book.clock.now += 50
    book.cancel(APP, long_one["id"])
    book.clock.now += CANCEL_DELAY
    book.create(APP, {})
    assert book.stats()["apps"][APP]["max_running"] == 1


def test_reset_forgets_pending_settings_and_counts(book):
    book.configure(app_id=APP, next_duration=9, next_rollback_status="failed")
    book.rollback(APP)
    book.configure(app_id=FRESH_APP, next_rollback_status="skipped")
    assert set(book.stats()["apps"]) == {APP, FRESH_APP}
    book.state.reset()
    assert book.stats() == {"apps": {}}
    assert book.settings() == {"duration": 4.0, "enforce_limit": False, "next_status": {}}


# --- Over HTTP ---------------------------------------------------------------

def detail(response):
    return response.json()["data"]["message"]


def test_rollback_route_answers_the_new_deployment(sim):
    newest = api(sim, "GET", DEPLOYMENTS, params={"limit": 1}).json()["data"][0]
    for body in ({}, {"json": {}}):
        rollback = api(sim, "POST", ROLLBACK, **body)
        assert rollback.status_code == 200, rollback.text
        assert rollback.json()["status"] == "waiting" and rollback.json()["trigger"] == "ROLLBACK_DEPLOYMENT"
        assert rollback.json()["commit_sha"] == newest["commit_sha"]
    shown = api(sim, "GET", "%s/%s" % (DEPLOYMENTS, rollback.json()["id"]))
    assert shown.status_code == 200 and shown.json()["trigger"] == "ROLLBACK_DEPLOYMENT"
    assert api(sim, "GET", DEPLOYMENTS).json()["total"] == 5


@pytest.mark.parametrize("method, path, kwargs, status, words", [
    ("GET", ROLLBACK, {}, 400, "path.deployment_id"),
    ("DELETE", ROLLBACK, {}, 405, "use GET, POST"),
    ("POST", ROLLBACK, {"json": {"deployment_id": IDS["unknown_deployment"]}}, 400, "'deployment_id' was unexpected"),
    ("POST", ROLLBACK, {"json": []}, 400, "is not of type 'object'"),
    ("POST", ROLLBACK, {"data": "{"}, 400, "not valid JSON"),
    ("POST", ROLLBACK, {"params": {"force": "true"}}, 400, "query"),
    ("POST", "/applications/not-a-uuid/deployments/rollback", {}, 400, "path.id"),
    ("POST", "/applications/%s/deployments/rollback" % IDS["unknown_app"], {}, 404, "no application"),
    ("POST", "/applications/%s/deployments/rollback" % FRESH_APP, {}, 400, "no successful deployment to roll back to"),
    ("POST", "%s/%s/cancel" % (DEPLOYMENTS, IDS["unknown_deployment"]), {}, 404, "no deployment with id"),
    ("POST", "%s/rollback/cancel" % DEPLOYMENTS, {}, 400, "path.deployment_id"),
    ("GET", "%s/%s/cancel" % (DEPLOYMENTS, IDS["unknown_deployment"]), {}, 405, "use POST"),
])
def test_rollback_and_cancel_reject_what_the_spec_does_not_allow(sim, method, path, kwargs, status, words):
    response = api(sim, method, path, **kwargs)
    assert response.status_code == status and words in detail(response), response.text
    assert api(sim, "GET", DEPLOYMENTS).json()["total"] == 3, "nothing was deployed"


def test_cancel_route_cancels_a_waiting_deployment_at_once_and_refuses_a_second_time(sim):
    control(sim, "POST", "deployments", json={"app_id": APP, "next_duration": 120})
    created = api(sim, "POST", DEPLOYMENTS, json={}).json()
    path = "%s/%s/cancel" % (DEPLOYMENTS, created["id"])
    assert api(sim, "POST", path, json={"reason": "x"}).status_code == 400, "a body with fields is refused"
    answer = api(sim, "POST", path)
    assert answer.status_code == 200 and answer.json() == {"message": "Deployment is being cancelled"}
    assert api(sim, "GET", "%s/%s" % (DEPLOYMENTS, created["id"])).json()["status"] == "cancelled"
    again = api(sim, "POST", path)
    assert again.status_code == 400 and "deployment-not-cancellable" in again.json()["data"]["code"]
    logs = api(sim, "GET", "%s/%s/logs" % (DEPLOYMENTS, created["id"])).json()
    assert [entry["message"] for entry in logs] == ["Cancellation requested", "Deployment cancelled before it started"]


def test_the_read_only_key_can_neither_roll_back_nor_cancel(sim):
    control(sim, "POST", "deployments", json={"app_id": APP, "next_duration": 120})
    created = api(sim, "POST", DEPLOYMENTS, json={}).json()
    refused = [api(sim, "POST", ROLLBACK, key=DEFAULT_READONLY_API_KEY),
               api(sim, "POST", "%s/%s/cancel" % (DEPLOYMENTS, created["id"]), key=DEFAULT_READONLY_API_KEY)]
    assert [response.status_code for response in refused] == [403, 403]
    assert all("read-only" in detail(response) for response in refused)
    assert api(sim, "GET", "%s/%s" % (DEPLOYMENTS, created["id"])).json()["status"] == "waiting"
    assert api(sim, "GET", DEPLOYMENTS).json()["total"] == 4


def test_the_control_hooks_hold_a_deployment_and_report_the_most_running_at_once(sim):
    assert control(sim, "GET", "deployment-stats").json() == {"apps": {}}
    settings = control(sim, "POST", "deployments", json={"app_id": APP, "next_duration": 120, "next_rollback_status": "failed"})
    assert settings.status_code == 200
    held = api(sim, "POST", DEPLOYMENTS, json={}).json()
    assert control(sim, "GET", "deployment-stats").json()["apps"][APP] == {
        "created": 1, "running": 1, "max_running": 1, "next_status": None, "next_duration": None,
        "next_rollback_status": "failed"}
    rollback = api(sim, "POST", ROLLBACK).json()
    stats = control(sim, "GET", "deployment-stats").json()["apps"][APP]
    assert (stats["running"], stats["max_running"], stats["next_rollback_status"]) == (2, 2, None)
    api(sim, "POST", "%s/%s/cancel" % (DEPLOYMENTS, held["id"]))
    assert api(sim, "GET", "%s/%s" % (DEPLOYMENTS, held["id"])).json()["status"] == "cancelled"
    assert api(sim, "GET", "%s/%s" % (DEPLOYMENTS, rollback["id"])).json()["trigger"] == "ROLLBACK_DEPLOYMENT"
    assert control(sim, "GET", "deployment-stats").json()["apps"][APP]["max_running"] == 2


@pytest.mark.parametrize("body, words", [
    ({"app_id": APP}, "app_id"),
    ({"next_duration": 5}, "app_id"),
    ({"next_rollback_status": "failed"}, "app_id"),
    ({"app_id": APP, "next_duration": -1}, "next_duration"),
    ({"app_id": APP, "next_rollback_status": "inProgress"}, "next_rollback_status"),
])
def test_the_control_hook_rejects_bad_settings(sim, body, words):
    response = control(sim, "POST", "deployments", json=body)
    assert response.status_code == 400 and words in detail(response)


def test_the_limit_applies_to_rollbacks_over_http(sim):
    control(sim, "POST", "deployments", json={"enforce_limit": True})
    answers = [api(sim, "POST", ROLLBACK).status_code for _number in range(DEPLOYMENT_LIMIT + 1)]
    assert answers == [200] * DEPLOYMENT_LIMIT + [429]
    assert api(sim, "POST", DEPLOYMENTS, json={}).status_code == 429
