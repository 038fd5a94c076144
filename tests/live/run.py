# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The live suite: tests/live/lifecycle.yml against a real Sevalla account, or against the bundled simulator.

Against the real API when SEVALLA_API_KEY and SEVALLA_LIVE_APP are both set (and --simulator is not given): it acts
inside the application named by SEVALLA_LIVE_APP only. Otherwise it says that the real run was skipped and why, and
runs the same playbook against a fresh simulator with the API's limits on, so that the suite is known to work.
Either way it reports what it measured: the requests of each task (simulator), each task's time, the deployment
times and every 429 waited for. See tests/live/README.md.

Run it with the Python of a tool venv, with the collection on ANSIBLE_COLLECTIONS_PATH (scripts/test.sh live does):

    python tests/live/run.py [--simulator] [--report FILE] [--summary-file FILE] [-e NAME=VALUE ...]

Exit status: 0 passed against the real API, 77 skipped against the real API and passed against the simulator,
1 failed, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
PLAYBOOK = HERE / "lifecycle.yml"
SKIPPED = 77  # the exit status of a test that did not run (as in automake)
REAL_VARIABLES = ("SEVALLA_API_KEY", "SEVALLA_LIVE_APP")
DEPRECATION = "[DEPRECATION WARNING]"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The simulator, as the API documents its limits: 10 mutations and 400 reads a minute per key, 20 new services an
# hour, 30 log reads a minute, 10 deployments a minute per application. Deployments last 2 s, polled every second.
SIMULATOR = dict(api_key="sevalla-simulator-key", readonly_api_key="sevalla-simulator-readonly-key",
                 mutation_limit=10, read_limit=400, creation_limit=20, log_limit=30, deployment_duration=2.0)
SIMULATOR_APP = "demo"
SIMULATOR_APP_ID = "demo_app"  # its name in seed.json's ids
SIMULATOR_EXTRA_VARS = {"live_poll_interval": 1}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--simulator", action="store_true", help="run against the simulator even when %s are set"
                        % " and ".join(REAL_VARIABLES))
    parser.add_argument("--report", type=Path, help="also write the measurements to this JSON file")
    parser.add_argument("--summary-file", type=Path, help="append the one-line verdict to this file")
    parser.add_argument("-e", "--extra-vars", action="append", default=[], metavar="NAME=VALUE",
                        help="passed to ansible-playbook (for example live_resource_type=s2)")
    return parser.parse_args(argv)


def real_api_skip_reason(args):
    """Why the run does not go to the real API, or None when it does."""
    if args.simulator:
        return "--simulator given"
    missing = [name for name in REAL_VARIABLES if not os.environ.get(name, "").strip()]
    if missing:
        return "%s not set" % " and ".join(missing)
    return None


class SimulatorTarget:
    """A fresh simulator with the API's limits on, in this process."""

    name = "the simulator"

    def __init__(self):
        sys.path.insert(0, str(TESTS))
        from simulator.server import start_simulator  # pylint: disable=import-outside-toplevel
        self.server = start_simulator(**SIMULATOR)
        self.control("POST", "deployments", {"enforce_limit": True})
        self.app = SIMULATOR_APP
        self.app_id = json.loads((TESTS / "simulator" / "seed.json").read_text())["ids"][SIMULATOR_APP_ID]
        self.extra_vars = dict(SIMULATOR_EXTRA_VARS)
        self.env = {"SEVALLA_API_URL": self.server.api_url, "SEVALLA_API_KEY": SIMULATOR["api_key"],
                    "LIVE_SIMULATOR_URL": self.server.url}
        self.before = self.processes()

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.server.url + "/_simulator/" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:  # nosec: loopback only
            return json.loads(answer.read() or b"null")

    def processes(self):
        """The application's processes by id; the request log is cleared after, so it holds the playbook's only."""
        request = urllib.request.Request("%s/applications/%s/processes?limit=100" % (self.server.api_url, self.app_id),
                                         headers={"Authorization": "Bearer " + SIMULATOR["api_key"]})
        with urllib.request.urlopen(request, timeout=10) as answer:  # nosec: loopback only
            page = json.loads(answer.read())
        if page["total"] != len(page["data"]):
            raise RuntimeError("the simulator's %s has more processes than one page" % self.app)
        self.control("DELETE", "requests")
        return {process["id"]: process for process in page["data"]}

    def stop(self):
        self.server.stop()


class RealTarget:
    name = "the real API"

    def __init__(self):
        self.app = os.environ["SEVALLA_LIVE_APP"].strip()
        self.extra_vars = {}
        self.env = {}

    def stop(self):
        pass


def run_playbook(target, run_id, extra_args, report_file):
    """Run lifecycle.yml, echoing its output as it comes; return (exit status, output)."""
    env = dict(os.environ)
    env.update(target.env)
    env.update({
        "ANSIBLE_CALLBACK_PLUGINS": str(HERE / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "live_report",
        "LIVE_REPORT_FILE": str(report_file),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "1",
    })
    extra_vars = dict(target.extra_vars, live_app=target.app, live_id=run_id)
    command = ["ansible-playbook", "-i", "localhost,", "-c", "local", str(PLAYBOOK),
               "-e", json.dumps(extra_vars)]
    for item in extra_args:
        command += ["-e", item]
    lines = []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        for line in process.stdout:
            sys.stdout.write(line)
            lines.append(line)
    sys.stdout.flush()
    return process.returncode, "".join(lines)


def path_kind(path, app_id, created):
    """A request path with ids named: {app} for the application, {ours} for a process or variable this run created."""
    def name(match):
        value = match.group(0)
        return "{app}" if value == app_id else "{ours}" if value in created else "{other}"
    return UUID.sub(name, path.replace("/v3", "", 1))


def simulator_checks(target, tasks):
    """What the simulator can tell that the real API cannot: every change was to what this run created, and the
    application's other processes are as they were. Returns a list of problems."""
    problems = []
    created = {task["process"]["id"] for task in tasks if task.get("process")} - set(target.before)
    created |= {variable for task in tasks for variable in task.get("variables", [])}
    allowed = {("POST", "/applications/{app}/processes"), ("PATCH", "/applications/{app}/processes/{ours}"),
               ("DELETE", "/applications/{app}/processes/{ours}"), ("POST", "/applications/{app}/deployments"),
               ("POST", "/applications/{app}/processes/{ours}/exec"),
               ("POST", "/applications/{app}/processes/{ours}/trigger"),
               ("POST", "/applications/{app}/env-vars"), ("DELETE", "/applications/{app}/env-vars/{ours}")}
    for task in tasks:
        for request in task["requests"] or []:
            kind = (request["method"], path_kind(request["path"], target.app_id, created))
            if request["method"] != "GET" and kind not in allowed:
                problems.append("%r sent %s %s, which is not this run's" % (task["task"], request["method"],
                                                                            request["path"]))
    after = target.processes()
    if after != target.before:
        problems.append("the application's processes differ from before the run: %s" % sorted(
            set(after) ^ set(target.before) or [pid for pid in after if after[pid] != target.before.get(pid)]))
    return problems


def measurements(tasks, simulated):
    """The report: per task, then totals."""
    ran = [task for task in tasks if task["status"] != "skipped"]
    waits = [dict(wait, task=task["task"]) for task in ran for wait in task["api_waits"]]
    deployments = [dict(task["deployment"], task=task["task"], seconds=task["seconds"])
                   for task in ran if task.get("deployment") and task["deployment"].get("id")]
    report = dict(tasks=ran, waits=waits, deployments=deployments, simulated=simulated)
    if simulated:
        report["requests"] = sum(len(task["requests"]) for task in ran)
        report["requests_by_method"] = dict(collections.Counter(request["method"] for task in ran
                                                                for request in task["requests"]))
        report["answers_429"] = sum(1 for task in ran for request in task["requests"] if request["status"] == 429)
    return report


def print_report(report):
    print("\nLive suite: what each task cost")
    print("%-74s %-7s %8s  %s" % ("TASK", "STATUS", "SECONDS", "REQUESTS" if report["simulated"] else "429 WAITS"))
    for task in report["tasks"]:
        if report["simulated"]:
            counts = collections.Counter(request["method"] for request in task["requests"])
            cost = " ".join("%d %s" % (counts[method], method) for method in sorted(counts)) or "-"
        else:
            cost = "%d (%.1f s)" % (len(task["api_waits"]), sum(wait["seconds"] for wait in task["api_waits"]))
        status = task["status"] + ("*" if task["changed"] else "")
        print("%-74s %-7s %8.1f  %s" % (task["task"][:74], status, task["seconds"] or 0, cost))
    print("(* changed)")
    for deployment in report["deployments"]:
        print("deployment %s (%s): %s after %s s of waiting" % (deployment["id"], deployment["task"],
                                                                deployment["status"], deployment["elapsed"]))
    if report["simulated"]:
        print("requests: %d (%s); 429 answers: %d" % (report["requests"], ", ".join(
            "%d %s" % (count, method) for method, count in sorted(report["requests_by_method"].items())),
            report["answers_429"]))
    print("429 waits: %d, %.1f s in all%s" % (len(report["waits"]), sum(wait["seconds"] for wait in report["waits"]),
                                              "".join("\n  %s: %s %s waited %s s (attempt %d)" % (
                                                  wait["task"], wait["method"], wait["path"], wait["seconds"],
                                                  wait["attempt"]) for wait in report["waits"])))


def verdict_details(report):
    deployment_times = ", ".join("%s s" % deployment["elapsed"] for deployment in report["deployments"]) or "none"
    details = "%d tasks, deployments %s, %d 429 waits" % (len(report["tasks"]), deployment_times, len(report["waits"]))
    if report["simulated"]:
        details = "%d tasks, %d requests, deployments %s, %d 429 waits" % (
            len(report["tasks"]), report["requests"], deployment_times, len(report["waits"]))
    return details


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    skip_reason = real_api_skip_reason(args)
    if skip_reason:
        print("live: skipped against the real API (%s); running against the simulator" % skip_reason)
        target = SimulatorTarget()
    else:
        print("live: running against the real API, in application %r" % os.environ["SEVALLA_LIVE_APP"].strip())
        target = RealTarget()
    run_id = secrets.token_hex(4)
    print("live: this run's names start with ansible-live-%s" % run_id)
    started = time.monotonic()
    problems = []
    with tempfile.TemporaryDirectory(prefix="sevalla-live-") as workdir:
        report_file = Path(workdir) / "tasks.json"
        try:
            status, output = run_playbook(target, run_id, args.extra_vars, report_file)
            tasks = json.loads(report_file.read_text())["tasks"] if report_file.exists() else []
            if status != 0:
                problems.append("ansible-playbook exited %d" % status)
            if DEPRECATION in output:
                problems.append("the run showed a deprecation warning")
            if skip_reason and tasks:
                problems += simulator_checks(target, tasks)
        finally:
            target.stop()
    report = measurements(tasks, simulated=bool(skip_reason))
    report.update(run_id=run_id, target=target.name, app=target.app, seconds=round(time.monotonic() - started, 1),
                  problems=problems)
    print_report(report)
    if args.report:
        args.report.write_text(json.dumps(report, indent=1))
    result = "FAIL (%s)" % "; ".join(problems) if problems else "PASS"
    if skip_reason:
        verdict = "skipped against the real API (%s); ran against the simulator: %s, %s" % (
            skip_reason, result, verdict_details(report))
    else:
        verdict = "ran against the real API (application %s): %s, %s" % (target.app, result, verdict_details(report))
    print("live: " + verdict)
    if args.summary_file:
        with open(args.summary_file, "a") as summary:
            summary.write(verdict + "\n")
    if problems:
        return 1
    return SKIPPED if skip_reason else 0


if __name__ == "__main__":
    sys.exit(main())
