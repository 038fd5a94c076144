# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An AWX-style job: ansible-runner runs a playbook with the key only in the credential's environment.

The environment is rendered from docs/awx/credential_type_injectors.yml the way AWX renders a custom
credential type (a sandboxed Jinja environment), and the playbook in runner/project/ sets no api_key or
api_url. The runner's private data dir is a copy of runner/ in a temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys

import ansible_runner
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import API_KEY, HERE, TESTS, check_no_deprecation

DOCS_AWX = TESTS.parent / "docs" / "awx"
RUNNER_DIR = HERE / "runner"
PLAYBOOK = "processes.yml"
IDS = json.loads((TESTS / "simulator" / "seed.json").read_text())["ids"]
RENAMED = "Worker renamed by ansible-runner"


def credential_env(**inputs):
    """The environment variables AWX injects for a Sevalla API credential with these inputs."""
    injectors = yaml.safe_load((DOCS_AWX / "credential_type_injectors.yml").read_text())
    sandbox = ImmutableSandboxedEnvironment()
    return {name: sandbox.from_string(template).render(**inputs) for name, template in injectors["env"].items()}


def runner_envvars(simulator):
    """The credential's variables plus quiet, deterministic Ansible settings; nothing else carries the key."""
    envvars = credential_env(api_key=API_KEY, api_url=simulator.api_url)
    envvars.update(ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0",
                   ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    if "ANSIBLE_COLLECTIONS_PATH" in os.environ:
        envvars["ANSIBLE_COLLECTIONS_PATH"] = os.environ["ANSIBLE_COLLECTIONS_PATH"]
    return envvars


def task_results(run):
    """The result of every task that succeeded, by task name."""
    return {event["event_data"]["task"]: event["event_data"]["res"]
            for event in run.events if event["event"] == "runner_on_ok"}


def files_holding(directory, secret):
    """Paths of the files under directory whose content holds secret."""
    needle = secret.encode()
    return sorted(path for path in directory.rglob("*") if path.is_file() and needle in path.read_bytes())


def test_injector_matches_the_input_default():
    inputs = yaml.safe_load((DOCS_AWX / "credential_type_inputs.yml").read_text())
    fields = {field["id"]: field for field in inputs["fields"]}
    assert fields["api_key"]["secret"] is True and inputs["required"] == ["api_key"]
    assert credential_env(api_key="k", api_url="http://proxy.example/v3") == {
        "SEVALLA_API_KEY": "k", "SEVALLA_API_URL": "http://proxy.example/v3"}
    # A credential saved without api_url must not inject an empty URL, which the modules reject.
    assert credential_env(api_key="k")["SEVALLA_API_URL"] == fields["api_url"]["default"]


def test_playbook_through_ansible_runner(simulator, tmp_path, monkeypatch):
    playbook_text = (RUNNER_DIR / "project" / PLAYBOOK).read_text()
    assert "api_key" not in playbook_text and "api_url" not in playbook_text
    private_data_dir = tmp_path / "runner"
    shutil.copytree(RUNNER_DIR, private_data_dir)
    for name in ("SEVALLA_API_KEY", "SEVALLA_API_URL"):
        monkeypatch.delenv(name, raising=False)

    run = ansible_runner.run(
        private_data_dir=str(private_data_dir), playbook=PLAYBOOK, inventory="localhost ansible_connection=local",
        envvars=runner_envvars(simulator), extravars={"app_id": IDS["demo_app"], "worker_id": IDS["demo_worker"]},
        suppress_env_files=True, quiet=True)

    stdout = run.stdout.read()
    assert (run.status, run.rc) == ("successful", 0), stdout
    check_no_deprecation(["ansible-runner", PLAYBOOK], stdout)
    results = task_results(run)
    assert {"web", "worker"} <= {p["key"] for p in results["Read every process of the application"]["processes"]}
    first, second = results["Rename the worker"], results["Rename the worker again, which changes nothing"]
    assert first["changed"] is True and first["process"]["display_name"] == RENAMED
    assert second["changed"] is False
    assert results["List the application directory of the worker"]["rc"] == 0

    logged = simulator.requests()
    assert [entry["method"] for entry in logged] == ["GET", "GET", "PATCH", "GET", "GET", "POST"]
    assert {entry["auth"] for entry in logged} == {"valid"}

    assert API_KEY not in stdout
    # ansible-runner records the environment it started ansible-playbook with in artifacts/<ident>/command,
    # readable by its owner only. That record may hold the key, under SEVALLA_API_KEY alone; no output,
    # event or other artifact may.
    command_file = private_data_dir / "artifacts" / run.config.ident / "command"
    assert set(files_holding(private_data_dir, API_KEY)) <= {command_file}
    if command_file.exists():
        assert stat.S_IMODE(command_file.stat().st_mode) == 0o600
        recorded_env = json.loads(command_file.read_text())["env"]
        assert [name for name, value in recorded_env.items() if API_KEY in value] == ["SEVALLA_API_KEY"]
