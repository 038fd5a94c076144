# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The safety of the live suite (tests/live/lifecycle.yml), which scripts/test.sh live runs whole: it refuses to
start next to a process named with its prefix that it did not create, and it removes what it created after a
failure too."""

from __future__ import annotations

import json
import secrets
import urllib.request

import pytest

from conftest import API_KEY, TESTS, run_playbook

LIFECYCLE = "../../live/lifecycle.yml"  # relative to tests/integration/playbooks
IDS = json.loads((TESTS / "simulator" / "seed.json").read_text())["ids"]
APP = "demo"


def api(simulator, method, path, body=None):
    """One request to the simulator's API with the full-access key (logged like any other)."""
    request = urllib.request.Request(
        "%s/applications/%s%s" % (simulator.api_url, IDS["demo_app"], path), method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + API_KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:  # nosec: loopback only
        return json.loads(answer.read())


def processes(simulator):
    return {process["id"]: process for process in api(simulator, "GET", "/processes?limit=100")["data"]}


def run_lifecycle(simulator):
    run_id = secrets.token_hex(4)
    simulator.control("POST", "deployments", {"duration": 1})
    simulator.control("DELETE", "requests")
    result = run_playbook(simulator, LIFECYCLE, "-e", json.dumps(
        {"live_app": APP, "live_id": run_id, "live_poll_interval": 1}), check=False)
    return run_id, result


def changes(simulator):
    return [(entry["method"], entry["path"]) for entry in simulator.requests() if entry["method"] != "GET"]


@pytest.mark.parametrize("leftover", ["created", "renamed"])
def test_it_refuses_to_start_next_to_a_process_named_with_its_prefix(simulator, leftover):
    if leftover == "created":  # an earlier run's worker that was never removed
        api(simulator, "POST", "/processes", {
            "display_name": "ansible-live-0badf00d-worker", "type": "worker", "entrypoint": "sleep 1",
            "resource_type_id": IDS["rt_s2"], "scaling_strategy": {"type": "manual", "config": {"instanceCount": 1}}})
        named = "ansible-live-0badf00d-worker"
    else:  # someone's own process, whose display name happens to start with the prefix, in capitals
        api(simulator, "PATCH", "/processes/%s" % IDS["demo_worker"], {"display_name": "Ansible-Live-Mine"})
        named = "Ansible-Live-Mine"
    before = processes(simulator)
    _run_id, result = run_lifecycle(simulator)
    assert result.returncode != 0
    assert "already has processes named ansible-live-...: %s." % named in result.stdout, result.stdout
    assert changes(simulator) == []
    assert processes(simulator) == before


def test_it_removes_what_it_created_after_a_failure(simulator):
    before = processes(simulator)
    simulator.inject(method="POST", path="/exec$", status=500, count=1)  # the first command fails
    run_id, result = run_lifecycle(simulator)

    assert result.returncode != 0
    assert "Run a command in the worker, guarded by creates" in result.stdout
    assert "failed=1" in result.stdout, result.stdout
    created = [entry["path"] for entry in simulator.requests("POST") if entry["path"].endswith("/processes")]
    assert len(created) == 2  # the worker and the cron process
    deletes = [path for method, path in changes(simulator) if method == "DELETE"]
    deleted = [path.rsplit("/", 1)[1] for path in deletes if "/processes/" in path]
    assert len(deleted) == 2 and not set(deleted) & set(before)
    variables = [path for path in deletes if "/env-vars/" in path]  # the one variable the run created, deleted
    assert len(variables) == 1 and len(deletes) == 3
    created_variables = [entry for entry in simulator.requests("POST") if entry["path"].endswith("/env-vars")]
    assert [entry["body"]["key"] for entry in created_variables] == ["ANSIBLE_LIVE_%s_RUNTIME" % run_id.upper()]
    assert len([1 for method, path in changes(simulator) if path.endswith("/deployments")]) == 2  # apply, clean up
    after = processes(simulator)
    assert after == before
    assert not [process for process in after.values() if run_id in process["key"]]
