# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's steps and examples, and the exec module's EXAMPLES, run as written.

Each is read from README.md or the module at test time, never copied here, so a test fails when the docs drift.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, ansible_env

ROOT = TESTS.parent
README = ROOT / "README.md"
IDS = json.loads((TESTS / "simulator" / "seed.json").read_text())["ids"]
CHDIR_SCRIPT = 'cd "$1" && shift && exec "$@"'


def section(heading, text=None):
    """The Markdown under a heading line (exactly as written, with its #s), up to the next heading of its level or above."""
    text = README.read_text() if text is None else text
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    assert heading in lines, "README.md has no heading %r" % heading
    body = []
    for line in lines[lines.index(heading) + 1:]:
        hashes = len(line) - len(line.lstrip("#"))
        if 0 < hashes <= level and line[hashes:hashes + 1] == " ":
            break
        body.append(line)
    return "\n".join(body)


def code_blocks(markdown, language):
    return re.findall(r"^```%s\n(.*?)^```$" % language, markdown, flags=re.M | re.S)


def run_tasks(simulator, tmp_path, tasks, **variables):
    """Run tasks as one play against the simulator; return (the CompletedProcess, the simulator's request log)."""
    playbook = tmp_path / "examples.yml"
    play = {"name": "Examples from the docs", "hosts": "localhost", "gather_facts": False, "vars": variables,
            "tasks": tasks}
    playbook.write_text(json.dumps([play]))  # JSON is YAML
    simulator.control("DELETE", "requests")
    done = subprocess.run(["ansible-playbook", "-i", "localhost,", "-c", "local", str(playbook)],
                          env=ansible_env(simulator), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, "%s\n%s" % (done.stdout, done.stderr)
    assert "failed=0" in done.stdout and "ignored=0" in done.stdout, done.stdout
    return done, simulator.requests()


def exec_tasks(tasks):
    return [task for task in tasks if "sevalla.cloud.sevalla_process_exec" in task]


def sent_commands(requests):
    return [entry["body"]["command"] for entry in requests if entry["path"].endswith("/exec")]


# ---------------------------------------------------------------------------
# The README's exec examples, its sh -c line among them.

def test_the_readme_exec_examples_run_in_the_simulator(simulator, tmp_path):
    tasks = [task for block in code_blocks(section("### sevalla_process_exec"), "yaml") for task in yaml.safe_load(block)]
    assert all("failed_when" not in task and "ignore_errors" not in task for task in tasks), \
        "an example that may fail proves nothing here"
    tasks = [dict(task, register="example_%d" % index) for index, task in enumerate(tasks)]
    shell_lines = dict(("example_%d" % index, task["sevalla.cloud.sevalla_process_exec"]["argv"])
                       for index, task in enumerate(tasks)
                       if task["sevalla.cloud.sevalla_process_exec"].get("argv", [])[:2] == ["sh", "-c"])
    assert shell_lines, "the README's sevalla_process_exec examples have no sh -c example"
    tasks.append({"name": "Show what the shell lines printed", "ansible.builtin.debug": {
        "msg": "{{ [%s] | map(attribute='stdout') | list }}" % ", ".join(sorted(shell_lines))}})

    done, requests = run_tasks(simulator, tmp_path, tasks, app_id=IDS["demo_app"])

    commands = sent_commands(requests)
    assert all(argv in commands for argv in shell_lines.values()), commands  # sent as written, and rc 0
    assert all(entry["status"] == 200 for entry in requests), json.dumps(requests, indent=1)
    assert any(command[:3] == ["sh", "-c", CHDIR_SCRIPT] for command in commands), "no chdir example ran"
    assert "set up for production" in done.stdout, done.stdout  # the variable and the redirect worked


# ---------------------------------------------------------------------------
# The exec module's EXAMPLES.

def module_examples(name):
    source = (ROOT / "plugins" / "modules" / ("%s.py" % name)).read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "EXAMPLES":
            return yaml.safe_load(node.value.value)
    raise AssertionError("%s has no EXAMPLES" % name)


def test_the_exec_module_examples_run_in_the_simulator(simulator, tmp_path):
    tasks = module_examples("sevalla_process_exec")
    _done, requests = run_tasks(simulator, tmp_path, tasks, app_id=IDS["demo_app"], web_process_id=IDS["demo_web"])
    commands = sent_commands(requests)
    for task in exec_tasks(tasks):  # each ran, or its creates/removes test did
        options = task["sevalla.cloud.sevalla_process_exec"]
        argv = options.get("argv") or shlex.split(options["cmd"])
        if options.get("chdir"):
            argv = ["sh", "-c", CHDIR_SCRIPT, "sh", options["chdir"]] + argv
        guard = options.get("creates") or options.get("removes")
        assert argv in commands or (guard and ["test", "-e", guard] in commands), task["name"]
    assert ["sh", "-c", CHDIR_SCRIPT, "sh", "/app/dir with spaces", "ls", "-la"] in commands
    assert any(command[:2] == ["sh", "-c"] and "$NODE_ENV" in command[2] for command in commands)


# ---------------------------------------------------------------------------
# "Your own playbooks against the simulator": the README's steps, in a fresh copy of the collection.

def default_core():
    text = (ROOT / "scripts" / "lib" / "common.sh").read_text()
    return re.search(r'^DEFAULT_CORE="([0-9.]+)"$', text, flags=re.M).group(1)


def tool_venv(core):
    """The tool venv of `core` that scripts/test.sh built: this Python's, or its sibling; None if there is none."""
    prefix = Path(sys.prefix)
    for candidate in (prefix, prefix.parent / ("core-%s" % core)):
        if candidate.name == "core-%s" % core and (candidate / ".stamp").is_file():
            return candidate
    return None


def fresh_copy(destination):
    """The collection's files as a clone has them: tracked and untracked-but-not-ignored, in a git work tree."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not name.startswith((".venv/", ".work/", "tests/output/")):
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    subprocess.run(["git", "init", "-q", str(destination)], check=True)


def user_environment(home):
    """The environment of a new user's shell: no tool venv on PATH, nothing of Ansible or Sevalla set."""
    venvs = (str(Path(sys.prefix)), str(ROOT / ".venv"))
    path = [entry for entry in os.environ["PATH"].split(os.pathsep)
            if entry and not entry.startswith(venvs) and "/.venv/" not in entry]
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith(("ANSIBLE_", "SEVALLA_", "PYTEST_", "VIRTUAL_ENV", "PYTHON")))
    env.update(PATH=os.pathsep.join(path), HOME=str(home))
    return env


def listening(url):
    try:
        with urllib.request.urlopen(url + "/_simulator/config", timeout=5):  # nosec: loopback only
            return True
    except urllib.error.URLError:
        return False


def test_the_readme_steps_run_your_own_playbook_against_the_simulator(tmp_path):
    core = default_core()
    venv = tool_venv(core)
    if venv is None:
        pytest.skip("no tool venv of ansible-core %s to reuse (scripts/test.sh builds it); building one takes minutes" % core)
    clone, home = tmp_path / "clone", tmp_path / "home"
    home.mkdir()
    fresh_copy(clone)
    (clone / ".venv").mkdir()
    (clone / ".venv" / ("core-%s" % core)).symlink_to(venv)  # what scripts/demo.sh built
    first = code_blocks(section("## A first task"), "yaml")
    assert len(first) == 1, "'A first task' should hold one playbook"
    (home / "first.yml").write_text(first[0])
    steps = code_blocks(section("## Your own playbooks against the simulator"), "bash")
    assert len(steps) == 1, "the section should hold one block of commands"
    env = user_environment(home)
    assert shutil.which("ansible-playbook", path=env["PATH"]) is None, "ansible-playbook is on PATH before the steps"

    try:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", steps[0]], cwd=clone, env=env, capture_output=True,
                              text=True, timeout=600, check=False)
    finally:
        subprocess.run([str(clone / "scripts" / "simulator.sh"), "stop"], cwd=clone, env=env, capture_output=True,
                       timeout=60, check=False)

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Creating tool venv" not in output, "the steps rebuilt the venv instead of reusing it"
    urls = re.findall(r"^export SEVALLA_API_URL=(\S+) SEVALLA_API_KEY=sevalla-simulator-key$", done.stdout, flags=re.M)
    assert len(urls) == 1 and re.match(r"^http://127\.0\.0\.1:[0-9]+/v3$", urls[0]), done.stdout
    for line in ("export ANSIBLE_COLLECTIONS_PATH=%s" % (clone / ".work" / "collections"),
                 "export SEVALLA_SIMULATOR_URL=%s" % urls[0][:-len("/v3")]):
        assert line in done.stdout.splitlines(), done.stdout
    assert "PATH=%s/bin:" % (clone / ".venv" / ("core-%s" % core)) in done.stdout
    assert '"web": "web"' in done.stdout and '"clock": "cron"' in done.stdout, done.stdout
    assert re.search(r"localhost +: ok=2 +changed=0 +unreachable=0 +failed=0", done.stdout), done.stdout
    pids = re.findall(r"^# The Sevalla API simulator that scripts/simulator.sh started \(pid ([0-9]+),", done.stdout, flags=re.M)
    assert len(pids) == 1 and "Stopped the simulator (pid %s)" % pids[0] in done.stderr, output
    assert not listening(urls[0][:-len("/v3")]), "the simulator still runs after scripts/simulator.sh stop:\n" + output
    assert not (clone / ".work" / "simulator" / "env.sh").exists()
