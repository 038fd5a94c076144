# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The EXAMPLES of sevalla_env_var and sevalla_env_var_info run, as written, against the simulator: the
application my-app is the seed's demo, and the vault variables are extra vars."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml

from reliability import run_playbook_file

MODULES = Path(__file__).resolve().parents[2] / "plugins" / "modules"
VAULT = {"vault_database_url": "postgres://examples:examples-db-password@db.internal/app",
         "vault_npm_token": "npm_examples_token_0123456789"}


def examples(module):
    """The module's EXAMPLES, read from its source without importing it."""
    tree = ast.parse((MODULES / ("%s.py" % module)).read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [target.id for target in node.targets] == ["EXAMPLES"]:
            return node.value.value
    raise AssertionError("%s has no EXAMPLES" % module)


@pytest.mark.parametrize("module", ["sevalla_env_var", "sevalla_env_var_info"])
def test_the_examples_run(simulator, tmp_path, module):
    tasks = yaml.safe_load(examples(module).replace("app_name: my-app", "app_name: demo"))
    play = {"name": "The EXAMPLES of %s" % module, "hosts": "localhost", "gather_facts": False, "vars": VAULT,
            "module_defaults": {"sevalla.cloud.sevalla_deployment": {"poll_interval": 1}}, "tasks": tasks}
    playbook = tmp_path / "examples.yml"
    playbook.write_text(json.dumps([play]))  # JSON is YAML
    run = run_playbook_file(simulator, playbook)
    assert run.returncode == 0, str(run)
    run.assert_no_traceback()
    statuses = [task["status"] for task in run.tasks]
    assert "failed" not in statuses and len(run.tasks) >= len(tasks), str(run)
    for value in VAULT.values():
        assert value not in run.output + json.dumps(run.tasks)
    if module == "sevalla_env_var":  # the handler-like task deployed what the first task set, with a build
        assert [entry["body"] for entry in simulator.requests("POST") if entry["path"].endswith("/deployments")] == [{}]
