# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real ad-hoc runs of the modules against the hostile server (tests/integration/hostile/).

Each test asserts on the task's result, on a time bound, and on the requests the server saw. Figures are
printed as "MEASURED ..." (pytest -s); docs/reliability.md quotes them.
"""

from __future__ import annotations

import types

import pytest

from conftest import API_KEY
import time

from hostile import APP, BOMB, BOMB_BYTES, EXEC_PATH, LIST_PATH, PROCESS, PROCESS_PATH, start_servers
from reliability import run_env, run_module

MIB = 1024 * 1024


def measured(what, **figures):
    print("MEASURED %s: %s" % (what, ", ".join("%s=%s" % item for item in figures.items())))


@pytest.fixture(scope="module")
def servers():
    hostile, other = start_servers()
    yield hostile, other
    hostile.stop()
    other.stop()


@pytest.fixture
def hostile(servers):
    return servers[0]


@pytest.fixture
def other(servers):
    return servers[1]


def run(hostile, scenario, module, **args):
    """module run ad hoc with api_url pointing at the scenario; returns the reliability Run."""
    target = types.SimpleNamespace(url=hostile.url, api_url=hostile.api_url(scenario))
    args = dict({"app_id": APP, "process_id": PROCESS, "api_url": hostile.api_url(scenario)}, **args)
    args = dict((name, value) for name, value in args.items() if value is not None)
    return run_module(target, module, args, env=run_env(target))


def failed(run_):
    assert run_.returncode != 0 and run_.tasks[0]["status"] == "failed", str(run_)
    run_.assert_no_traceback()
    return run_.result


def succeeded(run_):
    assert run_.returncode == 0 and run_.tasks[0]["status"] == "ok", str(run_)
    run_.assert_no_traceback()
    return run_.result


def ended(hostile, scenario, count=1):
    """The scenario's requests, once the server has finished with them (a dripping loop notices the client
    is gone at its next byte)."""
    deadline = time.monotonic() + 10
    while True:
        entries = hostile.requests(scenario)
        if len(entries) >= count and all(entry["ended"] for entry in entries) or time.monotonic() > deadline:
            return entries


def seen(hostile, scenario):
    return [(entry["method"], entry["path"]) for entry in hostile.requests(scenario)]


# --- Redirects -----------------------------------------------------------------------------

@pytest.mark.parametrize("status, module, method, args", [
    (301, "sevalla_process_info", "GET", {}),
    (302, "sevalla_process_info", "GET", {}),
    (307, "sevalla_process_info", "GET", {}),
    (302, "sevalla_process", "PATCH", {"display_name": "Renamed"}),
    (307, "sevalla_process", "PATCH", {"display_name": "Renamed"}),
    (307, "sevalla_process_exec", "POST", {"argv": ["rm", "-rf", "/tmp/x"]}),
    (308, "sevalla_process_exec", "POST", {"argv": ["rm", "-rf", "/tmp/x"]}),
])
def test_a_redirect_fails_and_nothing_reaches_the_other_host(hostile, other, status, module, method, args):
    scenario = "redirect~%d-%s" % (status, method.lower())
    before = len(other.requests())
    run_ = run(hostile, scenario, module, **args)
    result = failed(run_)
    assert "Sevalla API returned %d" % status in result["msg"] and "for %s " % method in result["msg"]
    assert "a redirect to '%s', which is not followed" % other.url in result["msg"], result["msg"]
    assert "/stolen" not in result["msg"] and not result.get("changed")
    requests = seen(hostile, scenario)
    assert requests[-1][0] == method and [request[0] for request in requests].count(method) == 1, requests
    assert len(other.requests()) == before == 0
    if method == "POST":
        assert "may or may not have run" not in result["msg"]
    measured("redirect %d on %s" % (status, method), requests=len(requests), other_host=0, task_s=run_.task_seconds)


# --- Deadlines -----------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", ["drip", "drip-headers"])
def test_a_dripping_answer_ends_at_api_timeout(hostile, scenario):
    scenario_name = "%s~%s" % (scenario, "info")
    run_ = run(hostile, scenario_name, "sevalla_process_info", api_timeout=2, api_retries=0)
    result = failed(run_)
    assert "timed out after 2 s (api_timeout), after 1 attempt" in result["msg"], result["msg"]
    [entry] = ended(hostile, scenario_name)
    held = entry["ended"] - entry["arrived"]
    assert 2 - 0.2 <= held < 2 + 0.5, held  # the deadline starts before the request reaches the server
    assert entry["outcome"] == "client went away"
    assert run_.task_seconds < 2 + 5, run_.task_seconds  # plus the module's start-up on a loaded machine
    measured(scenario + ", api_timeout=2", requests=1, connection_held_s=round(held, 2), task_s=run_.task_seconds)


def test_a_dripping_exec_answer_ends_at_the_exec_read_timeout(hostile):
    run_ = run(hostile, "drip~exec", "sevalla_process_exec", argv=["ls"], timeout=1, api_timeout=5, api_retries=3)
    result = failed(run_)
    assert "timed out after 11 s, after 1 attempt" in result["msg"], result["msg"]
    assert "may or may not have run" in result["msg"]
    [entry] = ended(hostile, "drip~exec")
    held = entry["ended"] - entry["arrived"]
    assert entry["method"] == "POST" and 11 - 0.2 <= held < 11 + 0.5, held
    measured("drip on exec, timeout=1 (read timeout 11 s)", requests=1, POST=1, connection_held_s=round(held, 2),
             task_s=run_.task_seconds)


def test_each_retry_of_a_get_has_its_own_deadline(hostile):
    run_ = run(hostile, "drip~retry", "sevalla_process_info", api_timeout=1, api_retries=1)
    result = failed(run_)
    assert "timed out after 1 s (api_timeout), after 2 attempts" in result["msg"], result["msg"]
    entries = ended(hostile, "drip~retry", 2)
    assert len(entries) == 2
    span = entries[-1]["ended"] - entries[0]["arrived"]
    assert 2 - 0.2 <= span < 2 * 1 + 1 + 0.5, span  # 2 attempts of 1 s, a backoff of at most 1 s
    measured("drip, api_timeout=1, api_retries=1", requests=2, first_to_last_s=round(span, 2), task_s=run_.task_seconds)


# --- Bounded answers ------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", ["huge~stream", "huge~length", "bomb~exec"])
def test_a_huge_answer_fails_without_the_rest_being_read(hostile, scenario):
    run_ = run(hostile, scenario, "sevalla_process_exec", argv=["cat", "/app/big.log"])
    result = failed(run_)
    assert "the response body is larger than 64 MiB; the rest was not read" in result["msg"], result["msg"]
    assert "may or may not have run" in result["msg"] and result.get("rc") is None  # 2.21 drops a null rc
    [entry] = ended(hostile, scenario)
    assert entry["method"] == "POST" and entry["path"] == EXEC_PATH
    total = 256 * MIB if scenario.startswith("huge") else len(BOMB)
    assert entry["sent"] < total, (entry["sent"], total)
    if scenario == "huge~length":
        assert entry["sent"] < 4 * MIB  # refused on its Content-Length, before reading
    assert run_.task_seconds < 15, run_.task_seconds
    measured(scenario, requests=1, sent_MiB=round(entry["sent"] / MIB, 2), of_MiB=round(total / MIB, 2),
             decoded_MiB=BOMB_BYTES // MIB if scenario.startswith("bomb") else None,
             outcome=entry["outcome"], task_s=run_.task_seconds)


@pytest.mark.parametrize("kind, requests, words", [
    ("endless", 1000, "the list did not end within 1000 pages (1000 items read)"),
    ("short", 2, "page 2 is empty, but only 1 of the total of 5 items arrived"),
    ("over", 1, "2 items arrived on 1 pages, more than the total of 1"),
])
def test_pages_that_do_not_add_up_fail(hostile, kind, requests, words):
    scenario = "pages~" + kind
    run_ = run(hostile, scenario, "sevalla_process_info", process_id=None, process_key="web")
    result = failed(run_)
    assert "the pages do not add up: " + words in result["msg"], result["msg"]
    entries = hostile.requests(scenario)
    assert len(entries) == requests and all(entry["path"] == LIST_PATH for entry in entries)
    assert [entry["query"] for entry in entries[:2]] == ["limit=100&offset=0", "limit=100&offset=1"][:requests]
    assert run_.task_seconds < 60, run_.task_seconds
    measured("pages " + kind, requests=len(entries), task_s=run_.task_seconds)


# --- Retry headers -------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["negative", "nan", "inf", "reset-negative", "reset-inf"])
def test_odd_retry_headers_mean_backoff(hostile, kind):
    scenario = "retry-after~" + kind
    result = succeeded(run(hostile, scenario, "sevalla_process_info"))
    assert result["processes"][0]["id"] == PROCESS
    entries = hostile.requests(scenario)
    assert len(entries) == 2
    gap = entries[1]["arrived"] - entries[0]["ended"]
    assert 0.5 <= gap < 1.5, gap  # the first backoff, 0.5 to 1 s: never at once
    measured("429 with %s" % kind, requests=2, gap_s=round(gap, 2))


def test_retry_after_as_an_http_date(hostile):
    result = succeeded(run(hostile, "retry-after~date", "sevalla_process_info"))
    assert result["processes"][0]["id"] == PROCESS
    entries = hostile.requests("retry-after~date")
    assert len(entries) == 2
    gap = entries[1]["arrived"] - entries[0]["ended"]
    assert 1.5 <= gap < 3.5, gap  # 3 s ahead, at the 1 s resolution of an HTTP date
    measured("429 with Retry-After as an HTTP date 3 s ahead", requests=2, gap_s=round(gap, 2))


# --- Exec output -----------------------------------------------------------------------------

def test_surrogates_in_exec_output_reach_the_controller(hostile):
    run_ = run(hostile, "surrogates~exec", "sevalla_process_exec", argv=["cat", "/app/binary"])
    result = succeeded(run_)
    assert result["rc"] == 0 and result["changed"] is True
    assert result["stdout"] == "before \ufffd after" and result["stderr"] == "\ufffd"
    assert seen(hostile, "surrogates~exec") == [("POST", EXEC_PATH)]
    measured("surrogates in exec output", requests=1, task_s=run_.task_seconds)


def test_the_key_is_sent_as_bearer_only(hostile):
    succeeded(run(hostile, "plain", "sevalla_process_info"))
    [entry] = hostile.requests("plain")
    assert entry["authorization"] == "Bearer " + API_KEY and entry["path"] == PROCESS_PATH
