# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration harness: a simulator per session, reset before every test, and real ansible-playbook runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
sys.path.insert(0, str(TESTS))

from simulator.server import start_simulator  # noqa: E402  pylint: disable=wrong-import-position

API_KEY = "sevalla-simulator-key"
READONLY_API_KEY = "sevalla-simulator-readonly-key"
PLAYBOOKS = HERE / "playbooks"
DEPRECATION = "[DEPRECATION WARNING]"


class Simulator:
    """The running simulator plus the control calls tests need."""

    def __init__(self, server):
        self.server = server
        self.url = server.url
        self.api_url = server.api_url

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + "/_simulator/" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:  # nosec: loopback only
            return json.loads(response.read() or b"null")

    def reset(self):
        return self.control("POST", "reset")

    def requests(self, method=None):
        entries = self.control("GET", "requests")["requests"]
        return [entry for entry in entries if method is None or entry["method"] == method]

    def inject(self, **fault):
        return self.control("POST", "faults", fault)


@pytest.fixture(scope="session")
def simulator_server():
    server = start_simulator(api_key=API_KEY, readonly_api_key=READONLY_API_KEY)
    yield Simulator(server)
    server.stop()


@pytest.fixture
def simulator(simulator_server):
    simulator_server.reset()
    return simulator_server


def ansible_env(simulator, api_key=API_KEY, **extra):
    """The environment a playbook runs with: simulator URLs, key, quiet and deterministic Ansible."""
    env = dict(os.environ)
    env.update({
        "SEVALLA_API_URL": simulator.api_url,
        "SEVALLA_SIMULATOR_URL": simulator.url,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_DEPRECATION_WARNINGS": "1",  # shown, so that check_no_deprecation sees them
    })
    env.pop("SEVALLA_API_KEY", None)
    if api_key is not None:
        env["SEVALLA_API_KEY"] = api_key
    env.update(extra)
    return env


def check_no_deprecation(command, *outputs):
    """Fail the test on a deprecation warning in the output of an ansible command: nothing that the running
    ansible-core deprecates may remain in the modules, the examples or the tests' playbooks."""
    lines = [line for output in outputs for line in output.splitlines()]
    found = [" ".join(lines[index:index + 3]) for index, line in enumerate(lines) if DEPRECATION in line]
    if found:
        pytest.fail("%s showed %d deprecation warning(s):\n%s" % (" ".join(command[:6]), len(found), "\n".join(found)))


def run_playbook(simulator, name, *args, env=None, check=True, timeout=300):
    """Run tests/integration/playbooks/<name>.yml against localhost; return the CompletedProcess."""
    command = ["ansible-playbook", "-i", "localhost,", "-c", "local", str(PLAYBOOKS / name)] + list(args)
    result = subprocess.run(command, env=env or ansible_env(simulator), capture_output=True, text=True,
                            timeout=timeout, check=False)
    check_no_deprecation(command, result.stdout, result.stderr)
    if check and result.returncode != 0:
        pytest.fail("%s exited %d\n--- stdout\n%s\n--- stderr\n%s" % (name, result.returncode, result.stdout, result.stderr))
    return result
