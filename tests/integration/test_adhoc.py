# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Ad hoc use: `ansible localhost -m sevalla.cloud.<module> -a 'k=v ...'` against the simulator."""

from __future__ import annotations

import json
import subprocess

from conftest import TESTS, ansible_env, check_no_deprecation

IDS = json.loads((TESTS / "simulator" / "seed.json").read_text())["ids"]


def adhoc(simulator, module, args):
    """Run one ad hoc task; return (return code, host status, result dict, full output)."""
    command = ["ansible", "localhost", "-m", module, "-a", args]
    done = subprocess.run(command, env=ansible_env(simulator), capture_output=True, text=True, timeout=120,
                          check=False)
    check_no_deprecation(command, done.stdout, done.stderr)
    header, payload = done.stdout.partition(" => ")[::2]
    assert payload, "no result in the output:\n%s\n%s" % (done.stdout, done.stderr)
    return done.returncode, header.split(" | ")[-1].strip(), json.loads(payload), done.stdout + done.stderr


def test_exec_cmd_with_quotes(simulator):
    code, status, result, output = adhoc(
        simulator, "sevalla.cloud.sevalla_process_exec",
        'app_id=%s process_key=web cmd="ls -la /app"' % IDS["demo_app"])
    assert code == 0 and status == "CHANGED", output
    assert result["rc"] == 0 and result["cmd"] == ["ls", "-la", "/app"]
    assert result["stdout_lines"] and result["stdout_lines"] == result["stdout"].splitlines()
    logged = simulator.requests()
    assert [entry["method"] for entry in logged] == ["GET", "POST"]
    assert logged[0]["path"].endswith("/applications/%s/processes" % IDS["demo_app"])
    assert logged[1]["path"].endswith("/processes/%s/exec" % IDS["demo_web"])
    assert simulator.requests("POST")[0]["body"] == {"command": ["ls", "-la", "/app"], "timeout": 15}


def test_exec_non_zero_exit_fails(simulator):
    code, status, result, output = adhoc(
        simulator, "sevalla.cloud.sevalla_process_exec",
        "app_id=%s process_id=%s cmd=false" % (IDS["demo_app"], IDS["demo_web"]))
    assert code != 0 and status == "FAILED!", output
    assert result["rc"] == 1 and result["msg"] == "non-zero return code"
    assert len(simulator.requests()) == 1


def test_info_by_key(simulator):
    code, status, result, output = adhoc(
        simulator, "sevalla.cloud.sevalla_process_info",
        "app_id=%s process_key=worker-120" % IDS["big_app"])
    assert code == 0 and status == "SUCCESS", output
    assert [process["id"] for process in result["processes"]] == [IDS["big_worker_120"]]
    assert [entry["method"] for entry in simulator.requests()] == ["GET", "GET"]
