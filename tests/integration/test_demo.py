# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""examples/demo.yml, as scripts/demo.sh runs it: the whole life of a process, by application name."""

from __future__ import annotations

import re
from collections import Counter

from conftest import run_playbook

DEMO = "../../../examples/demo.yml"  # relative to tests/integration/playbooks
FAST = ("-e", "deploy_poll_interval=1")


def changes(simulator):
    """(method, kind of path) of every request that is not a read."""
    kinds = []
    for entry in simulator.requests():
        if entry["method"] != "GET":
            path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "{id}", entry["path"])
            kinds.append((entry["method"], path))
    return Counter(kinds)


def deployment_bodies(simulator):
    return [entry["body"] for entry in simulator.requests("POST") if entry["path"].endswith("/deployments")]


def test_the_demo_runs_the_whole_life_of_a_process(simulator):
    result = run_playbook(simulator, DEMO, *FAST)
    assert "failed=0" in result.stdout
    assert changes(simulator) == Counter({
        ("POST", "/v3/applications/{id}/processes"): 1,                     # create demo-reports
        ("PATCH", "/v3/applications/{id}/processes/{id}"): 1,               # rename and scale web
        ("POST", "/v3/applications/{id}/env-vars"): 2,                      # a runtime and a build-time variable
        ("POST", "/v3/applications/{id}/deployments"): 2,                   # the handler, twice
        ("POST", "/v3/applications/{id}/processes/{id}/exec"): 1,
        ("POST", "/v3/applications/{id}/processes/{id}/trigger"): 1,
        ("DELETE", "/v3/applications/{id}/processes/{id}"): 1,              # remove demo-reports
    })
    # One deployment applies the processes and the variables: a build, since one variable is used at build time.
    # The second, after the removal, is a restart.
    assert deployment_bodies(simulator) == [{}, {"is_restart": True}]
    assert "Cron job triggered" in result.stdout
    assert result.stdout.count("ended success") == 2
    assert "(MANUAL_DEPLOY) ended success" in result.stdout and "(RESTART) ended success" in result.stdout
    for value in ("demo-queue-password", "cdn.example.com"):
        assert value not in result.stdout


def test_a_second_run_sets_no_variable(simulator):
    run_playbook(simulator, DEMO, *FAST)
    simulator.control("DELETE", "requests")
    result = run_playbook(simulator, DEMO, *FAST)
    assert "failed=0" in result.stdout
    assert [kind for kind in changes(simulator) if "env-vars" in kind[1]] == []
    assert deployment_bodies(simulator) == [{"is_restart": True}, {"is_restart": True}]  # no build needed


def test_the_demo_in_check_mode_changes_nothing(simulator):
    result = run_playbook(simulator, DEMO, "--check", "--diff", *FAST)
    assert "failed=0" in result.stdout
    assert changes(simulator) == Counter()
