# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers of the reliability and security tests: ad-hoc and playbook runs with machine-readable results."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from conftest import API_KEY, ansible_env, check_no_deprecation

HERE = Path(__file__).resolve().parent
IDS = json.loads((HERE.parent.parent / "simulator" / "seed.json").read_text())["ids"]
PLAYBOOKS = HERE / "playbooks"
CALLBACK_PLUGINS = HERE / "callback_plugins"
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "MODULE FAILURE", "module_stderr")
# ansible-core 2.19 reports a module that raised (instead of calling fail_json) with this msg prefix.
CRASH_PREFIX = "Task failed: Module failed:"


class Run:
    """One ansible or ansible-playbook run: exit code, output, wall time and every task result."""

    def __init__(self, command, process, seconds, document):
        self.command = command
        self.returncode = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.seconds = seconds
        self.tasks = document.get("tasks", [])
        self.stats = document.get("stats", {})

    @property
    def output(self):
        return self.stdout + "\n" + self.stderr

    @property
    def result(self):
        """The result of the only task of an ad-hoc run."""
        assert len(self.tasks) == 1, "expected one task result, got %d\n%s" % (len(self.tasks), self)
        return self.tasks[0]["result"]

    @property
    def task_seconds(self):
        return self.tasks[0]["seconds"]

    def task(self, name):
        matches = [task for task in self.tasks if task["task"] == name]
        assert len(matches) == 1, "expected one result for task %r, got %d\n%s" % (name, len(matches), self)
        return matches[0]

    def assert_no_traceback(self):
        """No traceback in the output and no task result from a module that crashed instead of failing."""
        text = self.output + json.dumps(self.tasks)
        for marker in TRACEBACK_MARKERS:
            assert marker not in text, "%r in the output of %s" % (marker, self)
        for task in self.tasks:
            msg = str(task["result"].get("msg", ""))
            assert not msg.startswith(CRASH_PREFIX), "task %r crashed: %s" % (task["task"], msg)

    def __str__(self):
        return "%s exited %d after %.1f s\n--- stdout\n%s\n--- stderr\n%s\n--- results\n%s" % (
            " ".join(self.command[:6]), self.returncode, self.seconds, self.stdout[-6000:], self.stderr[-3000:],
            json.dumps(self.tasks, indent=1)[-6000:])


def run_env(simulator, api_key=API_KEY, json_callback=True, **extra):
    """ansible_env() plus, unless json_callback is false, the sevalla_json stdout callback."""
    env = ansible_env(simulator, api_key=api_key, **extra)
    if json_callback:
        env.update({
            "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACK_PLUGINS),
            "ANSIBLE_STDOUT_CALLBACK": "sevalla_json",
            "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",  # ad-hoc runs ignore the stdout callback without it
        })
    return env


def run(command, env, timeout=300):
    """Run an ansible command; the sevalla_json callback (if enabled in env) writes to a temporary file."""
    descriptor, output = tempfile.mkstemp(prefix="sevalla-json-", suffix=".json")
    os.close(descriptor)
    env = dict(env, SEVALLA_JSON_CALLBACK_FILE=output)
    try:
        started = time.monotonic()
        process = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        seconds = time.monotonic() - started
        text = Path(output).read_text()
        document = json.loads(text) if text else {}
    finally:
        os.unlink(output)
    check_no_deprecation(command, process.stdout, process.stderr)
    return Run(command, process, seconds, document)


def run_module(simulator, module, args, *options, api_key=API_KEY, env=None, timeout=300):
    """Run sevalla.cloud.<module> ad hoc on localhost with JSON arguments."""
    command = ["ansible", "localhost", "-i", "localhost,", "-c", "local", "-m", "sevalla.cloud." + module,
               "-a", json.dumps(args)] + list(options)
    return run(command, env or run_env(simulator, api_key=api_key), timeout)


def run_playbook_file(simulator, path, *options, api_key=API_KEY, env=None, timeout=300):
    """Run a playbook (a path, or a name under reliability/playbooks) on localhost."""
    path = Path(path)
    if not path.is_absolute():
        path = PLAYBOOKS / path
    command = ["ansible-playbook", "-i", "localhost,", "-c", "local", str(path)] + list(options)
    return run(command, env or run_env(simulator, api_key=api_key), timeout)
