# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What one sevalla.cloud task costs, against ansible.builtin.uri and ansible.builtin.ping, in one run.

Starts the API simulator (tests/simulator) on 127.0.0.1, runs ONE ansible-playbook per pipelining
mode in which every kind of task is repeated over several rounds (kind order rotated each round),
times each task with the bench_timer callback (benchmarks/callback_plugins) and attributes the
simulator's logged requests to the task that sent them. Then it runs each module's AnsiballZ
payload directly to measure and profile (python -X importtime) the module's own start-up.

Run it with a Python that has ansible-core, requests and jsonschema, for example:

    .venv/core-2.21/bin/python benchmarks/run.py --collections-path .work/collections

Exit status: 0 when the benchmark ran (whether the targets were met or missed), 1 when the run
broke (a task failed or did not change as it should, the simulator did not start, a payload
failed), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import ast
import collections
import datetime
import filecmp
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Trigger and wait (the simulator finishes deployments at once, so one poll finds it done) against uri doing
# the same POST and GET as two tasks. Not a ratio target: the module sleeps one poll_interval (1 s) first.
DEPLOY_KINDS = ("deploy_wait", "uri_deploy_post", "uri_deploy_get")
DEPLOY_POLL_INTERVAL = 1
BENCH_DIR = Path(__file__).resolve().parent
SEED = ROOT / "tests" / "simulator" / "seed.json"
API_KEY = "sevalla-simulator-key"
APP_NAME = "demo"  # the name of the seed's demo_app
# Nothing the running ansible-core deprecates may remain in what the benchmark runs.
DEPRECATION = "[DEPRECATION WARNING]"

# A no-change sevalla_env_var task with ENV_VAR_COUNT variables, against uri reading the same list (one GET, since
# the application holds only these variables).
ENV_KINDS = ("env_noop", "uri_env_get")
ENV_VAR_COUNT = 10
KINDS = ("process_noop", "process_noop_by_name", "process_change", "exec", "uri_get", "uri_post", "ping") + DEPLOY_KINDS + ENV_KINDS
# (kind, the kind it is compared with): the ratio of their median times must not exceed RATIO_TARGET.
RATIOS = (("process_noop", "uri_get"), ("exec", "uri_post"), ("env_noop", "uri_env_get"))
RATIO_TARGET = 1.05
BOOTSTRAP_RESAMPLES = 2000
# The API requests each task of a kind must send, by method.
EXPECTED_REQUESTS = {
    "process_noop": {"GET": 1},
    # app_name costs one GET per 100 applications: the simulator's seed has 110, so 2 pages, plus 1 process page.
    # With up to 100 applications it is 2 GETs.
    "process_noop_by_name": {"GET": 3},
    "process_change": {"GET": 1, "PATCH": 1},
    "exec": {"POST": 1},
    "uri_get": {"GET": 1},
    "uri_post": {"POST": 1},
    "deploy_wait": {"POST": 1, "GET": 1},
    "uri_deploy_post": {"POST": 1},
    "uri_deploy_get": {"GET": 1},
    "env_noop": {"GET": 1},
    "uri_env_get": {"GET": 1},
    "ping": {},
}
EXPECTED_CHANGED = {"process_noop": False, "process_noop_by_name": False, "process_change": True, "deploy_wait": True,
                    "env_noop": False}
CHANGE_VALUES = ("benchmark value A", "benchmark value B")
EXEC_BODY = {"command": ["true"], "timeout": 15}
# Payloads kept for the start-up profile: module name -> kind of the task that produces it.
PROFILED = {"sevalla_process": "process_noop", "sevalla_process_exec": "exec", "sevalla_env_var": "env_noop",
            "uri": "uri_get", "ping": "ping"}
PROFILE_MIN_MS = 2.0
PROFILE_LEVELS = 3

ImportRow = collections.namedtuple("ImportRow", "depth name self_us cumulative_us")


class BenchmarkError(Exception):
    """The run broke: report it and exit non-zero."""


# ---------------------------------------------------------------------------
# Set-up: arguments, collection, simulator.

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--collections-path", type=Path,
                        help="a directory holding ansible_collections/sevalla/cloud (default: .work/collections if it exists)")
    parser.add_argument("--rounds", type=int, default=8, help="rounds of the interleaved run (default: 8)")
    parser.add_argument("--per-round", type=int, default=5, help="tasks of each kind per round (default: 5)")
    parser.add_argument("--pipelining", choices=("default", "on", "both"), default="both",
                        help="ANSIBLE_PIPELINING: the default (off), on, or one run of each (default: both)")
    parser.add_argument("--startup-repeats", type=int, default=9, help="runs of each payload for the start-up profile (default: 9)")
    parser.add_argument("--skip-startup", action="store_true", help="do not profile module start-up")
    parser.add_argument("--json", type=Path, help="also write every figure and raw timing to this JSON file")
    parser.add_argument("--keep-workdir", action="store_true", help="keep the temporary directory (playbooks, logs, payloads)")
    args = parser.parse_args(argv)
    if min(args.rounds, args.per_round, args.startup_repeats) < 1:
        parser.error("--rounds, --per-round and --startup-repeats must be at least 1")
    if args.collections_path is None:
        default = ROOT / ".work" / "collections"
        if not default.is_dir():
            parser.error("--collections-path is required: %s does not exist (scripts/test.sh creates it)" % default)
        args.collections_path = default
    args.collections_path = args.collections_path.resolve()
    return args


def collection_dir(collections_path):
    path = collections_path / "ansible_collections" / "sevalla" / "cloud"
    for module in ("sevalla_process", "sevalla_process_exec"):
        if not (path / "plugins" / "modules" / ("%s.py" % module)).is_file():
            raise BenchmarkError("%s has no plugins/modules/%s.py: not a usable sevalla.cloud collection" % (path, module))
    return path


def stale_files(collection):
    """Files under plugins/ that differ between the collection benchmarked and this work tree."""
    if collection.resolve() == ROOT:
        return []
    stale = []
    for source in sorted((ROOT / "plugins").rglob("*.py")):
        copy = collection / source.relative_to(ROOT)
        if not copy.is_file() or not filecmp.cmp(source, copy, shallow=False):
            stale.append(str(source.relative_to(ROOT)))
    return stale


class Simulator:
    """The simulator as a subprocess (python -m simulator), its URLs and the calls the benchmark makes."""

    def __init__(self, workdir):
        url_file = workdir / "simulator-url"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
        self.output = open(workdir / "simulator.log", "w")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "simulator", "--port", "0", "--url-file", str(url_file), "--deployment-duration", "0"],
            cwd=str(ROOT), env=env, stdout=self.output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while not url_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise BenchmarkError("the simulator did not start; see %s" % (workdir / "simulator.log"))
            time.sleep(0.05)
        self.url = url_file.read_text().strip()
        self.api_url = self.url + "/v3"

    def call(self, method, url, api=False, body=None):
        headers = {"Authorization": "Bearer %s" % API_KEY} if api else {}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode("utf-8"), "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:  # nosec: loopback simulator only
            return json.loads(response.read() or b"null")

    def reset(self):
        self.call("POST", self.url + "/_simulator/reset")

    def display_name(self, app_id, process_id):
        return self.call("GET", "%s/applications/%s/processes/%s" % (self.api_url, app_id, process_id), api=True)["display_name"]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


# ---------------------------------------------------------------------------
# The playbook: tasks named 'r<round> <kind> <index>' so that each result names its kind.

class TaskFactory:
    """Builds the task of each kind; the change kind alternates display_name so that every run changes it."""

    def __init__(self, simulator):
        self.api_url = simulator.api_url
        ids = json.loads(SEED.read_text())["ids"]
        self.app_id, self.web_id, self.worker_id = ids["demo_app"], ids["demo_web"], ids["demo_worker"]
        self.web_name = simulator.display_name(self.app_id, self.web_id)
        self.changes = 1 if simulator.display_name(self.app_id, self.worker_id) == CHANGE_VALUES[0] else 0
        self.deployments_url = "%s/applications/%s/deployments" % (self.api_url, self.app_id)
        self.deployment_id = simulator.call("GET", self.deployments_url + "?limit=1", api=True)["data"][0]["id"]
        # shop-eu has no variables of its own: the benchmark's are the whole list
        self.env_vars_url = "%s/applications/%s/env-vars" % (self.api_url, ids["shop_eu_app"])
        self.env_vars = [{"key": "BENCH_%02d" % number, "value": "benchmark-value-%02d" % number}
                         for number in range(1, ENV_VAR_COUNT + 1)]
        for variable in self.env_vars:
            simulator.call("POST", self.env_vars_url, api=True, body=variable)
        self.shop_eu_id = ids["shop_eu_app"]

    def web_url(self):
        return "%s/applications/%s/processes/%s" % (self.api_url, self.app_id, self.web_id)

    def action(self, kind):
        """(module, arguments) of a task of this kind; literal values only, so that no task pays for templating."""
        auth = {"Authorization": "Bearer %s" % API_KEY}
        if kind == "process_noop":  # display_name already has this value: one GET, no PATCH
            return "sevalla.cloud.sevalla_process", dict(app_id=self.app_id, process_id=self.web_id, display_name=self.web_name)
        if kind == "process_noop_by_name":  # the same, naming the application and the process key
            return "sevalla.cloud.sevalla_process", dict(app_name=APP_NAME, process_key="web", display_name=self.web_name)
        if kind == "process_change":
            value = CHANGE_VALUES[self.changes % len(CHANGE_VALUES)]
            self.changes += 1
            return "sevalla.cloud.sevalla_process", dict(app_id=self.app_id, process_id=self.worker_id, display_name=value)
        if kind == "exec":
            return "sevalla.cloud.sevalla_process_exec", dict(app_id=self.app_id, process_id=self.web_id, argv=["true"])
        if kind == "uri_get":
            return "ansible.builtin.uri", dict(url=self.web_url(), headers=auth)
        if kind == "uri_post":
            return "ansible.builtin.uri", dict(url=self.web_url() + "/exec", method="POST", headers=auth, body_format="json", body=EXEC_BODY)
        if kind == "ping":
            return "ansible.builtin.ping", {}
        if kind == "deploy_wait":
            # if_running=new: the trigger and the read the uri tasks below make, without the list GET of the default
            return "sevalla.cloud.sevalla_deployment", dict(app_id=self.app_id, restart=True, if_running="new",
                                                            poll_interval=DEPLOY_POLL_INTERVAL)
        if kind == "uri_deploy_post":
            return "ansible.builtin.uri", dict(url=self.deployments_url, method="POST", headers=auth, body_format="json",
                                               body={"is_restart": True})
        if kind == "uri_deploy_get":  # a finished deployment: the same GET the module's one poll sends
            return "ansible.builtin.uri", dict(url="%s/%s" % (self.deployments_url, self.deployment_id), headers=auth)
        if kind == "env_noop":  # every variable already has its value: one GET, nothing sent
            return "sevalla.cloud.sevalla_env_var", dict(app_id=self.shop_eu_id, variables=self.env_vars)
        if kind == "uri_env_get":  # the same list, the same request (the largest page size)
            return "ansible.builtin.uri", dict(url=self.env_vars_url + "?limit=100&offset=0", headers=auth)
        raise ValueError(kind)

    def task(self, name, kind):
        module, module_args = self.action(kind)
        return {"name": name, module: module_args}


def round_order(round_index):
    """The kinds rotated by the round number, so that no kind always runs first."""
    shift = round_index % len(KINDS)
    return KINDS[shift:] + KINDS[:shift]


def benchmark_tasks(factory, rounds, per_round):
    """A warm-up task of each kind (not measured), then the interleaved rounds."""
    tasks = [factory.task("warmup %s" % kind, kind) for kind in KINDS]
    for round_index in range(rounds):
        for kind in round_order(round_index):
            tasks += [factory.task("r%d %s %d" % (round_index, kind, index), kind) for index in range(per_round)]
    return tasks


def playbook_text(tasks):
    play = {"name": "Benchmark of sevalla.cloud", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    return json.dumps([play], indent=1)  # JSON is YAML


def ansible_env(args, workdir, simulator, pipelining, **extra):
    """A clean environment: no inherited ANSIBLE_* or SEVALLA_* setting, an empty ansible.cfg, our callback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "SEVALLA_"))}
    config = workdir / "ansible.cfg"
    config.touch()
    env.update({
        "ANSIBLE_CONFIG": str(config),
        "ANSIBLE_COLLECTIONS_PATH": str(args.collections_path),
        "ANSIBLE_CALLBACK_PLUGINS": str(BENCH_DIR / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCAL_TEMP": str(workdir / "local-tmp"),
        "ANSIBLE_REMOTE_TMP": str(workdir / "remote-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "BENCH_SIMULATOR_URL": simulator.url,
        "SEVALLA_API_URL": simulator.api_url,
        "SEVALLA_API_KEY": API_KEY,
    })
    if pipelining == "on":
        env["ANSIBLE_PIPELINING"] = "1"
    env.update(extra)
    return env


def ansible_command(name):
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise BenchmarkError("%s not found next to %s nor on PATH" % (name, sys.executable))
    return found


def run_playbook(name, tasks, env, workdir):
    """Run one playbook on localhost with the local connection; return the bench_timer records."""
    path = workdir / ("%s.yml" % name)
    log = workdir / ("%s.log" % name)
    timings = workdir / ("%s-timings.json" % name)
    path.write_text(playbook_text(tasks))
    command = [ansible_command("ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]
    with open(log, "w") as output:
        result = subprocess.run(command, cwd=str(workdir), env=dict(env, BENCH_TIMINGS_FILE=str(timings)),
                                stdout=output, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0 or not timings.exists():
        raise BenchmarkError("ansible-playbook %s exited %d; see %s" % (path.name, result.returncode, log))
    if DEPRECATION in log.read_text():
        raise BenchmarkError("ansible-playbook %s showed a deprecation warning; see %s" % (path.name, log))
    return json.loads(timings.read_text())["tasks"]


# ---------------------------------------------------------------------------
# Per-task figures.

def percentiles(values):
    cuts = statistics.quantiles(values, n=10, method="inclusive") if len(values) > 1 else [values[0]] * 9
    return dict(n=len(values), median=statistics.median(values), p10=cuts[0], p90=cuts[8])


def annotate(records):
    """Add kind and round to each record ('r3 exec 2' -> exec, 3); warm-up tasks get round None."""
    for record in records:
        words = record["name"].split()
        measured = len(words) == 3 and words[0].startswith("r")
        record["kind"] = words[1] if measured else words[-1]
        record["round"] = int(words[0][1:]) if measured else None
    return records


def method_counts(requests):
    return dict(collections.Counter(entry.split()[0] for entry in requests))


def check_records(records, expected_tasks):
    """Stop if a task is missing, failed, or did (not) change when it had to."""
    if len(records) != expected_tasks:
        raise BenchmarkError("expected %d task results, got %d" % (expected_tasks, len(records)))
    for record in records:
        if record["status"] != "ok":
            raise BenchmarkError("task %r ended %s: %s" % (record["name"], record["status"], record["msg"]))
        expected = EXPECTED_CHANGED.get(record["kind"])
        if expected is not None and record["changed"] != expected:
            raise BenchmarkError("task %r: changed=%s, expected %s" % (record["name"], record["changed"], expected))


def kind_figures(kind, records):
    counts = [method_counts(r["requests"]) for r in records]
    cpu = [r["cpu_ms"] for r in records if r.get("cpu_ms") is not None]
    return dict(percentiles([r["ms"] for r in records]),
                cpu_mean=statistics.mean(cpu) if cpu and len(cpu) == len(records) else None,
                requests_mean=statistics.mean(sum(c.values()) for c in counts),
                requests_exact=all(c == EXPECTED_REQUESTS[kind] for c in counts),
                requests_seen=[dict(c) for c in {json.dumps(c, sort_keys=True): c for c in counts}.values()])


def bootstrap_interval(mine, theirs):
    """A 90% bootstrap confidence interval of median(mine) / median(theirs); seeded, so reruns on the same data agree."""
    rng = random.Random(0)
    ratios = sorted(statistics.median(rng.choices(mine, k=len(mine))) / statistics.median(rng.choices(theirs, k=len(theirs)))
                    for _resample in range(BOOTSTRAP_RESAMPLES))
    return ratios[int(0.05 * len(ratios))], ratios[int(0.95 * len(ratios)) - 1]


def ratio_figures(measured, kinds, kind, other):
    """Ratio of the median times with its confidence interval, and the ratio of the mean CPU times."""
    mine = [r["ms"] for r in measured if r["kind"] == kind]
    theirs = [r["ms"] for r in measured if r["kind"] == other]
    value = kinds[kind]["median"] / kinds[other]["median"]
    low, high = bootstrap_interval(mine, theirs)
    cpu = kinds[kind]["cpu_mean"] / kinds[other]["cpu_mean"] if kinds[kind]["cpu_mean"] and kinds[other]["cpu_mean"] else None
    return dict(value=value, low=low, high=high, cpu=cpu, target=RATIO_TARGET, passed=value <= RATIO_TARGET)


def summarise(records):
    measured = [r for r in records if r["round"] is not None]
    kinds = {kind: kind_figures(kind, [r for r in measured if r["kind"] == kind]) for kind in KINDS}
    for figures in kinds.values():
        figures["minus_ping"] = figures["median"] - kinds["ping"]["median"]
        if figures["cpu_mean"] is not None and kinds["ping"]["cpu_mean"] is not None:
            figures["cpu_minus_ping"] = figures["cpu_mean"] - kinds["ping"]["cpu_mean"]
    ratios = {"%s/%s" % pair: ratio_figures(measured, kinds, *pair) for pair in RATIOS}
    return dict(kinds=kinds, ratios=ratios)


def optional(template, value):
    return "n/a" if value is None else template % value


def describe_counts(counts):
    return " + ".join("%d %s" % (n, method) for method, n in sorted(counts.items())) or "none"


def print_summary(summary):
    print("\n== Per-task time, %s (%.0f s; 1-minute load average %.2f before, %.2f after) ==" % (
        summary["label"], summary["wall_s"], summary["load"][0], summary["load"][1]))
    print("%-20s %3s %8s %8s %8s %9s %8s %9s   %s" % (
        "kind", "n", "p10 ms", "median", "p90 ms", "-ping", "CPU ms", "CPU -ping", "API requests per task (target)"))
    for kind in KINDS:
        f = summary["kinds"][kind]
        seen = " or ".join(describe_counts(c) for c in f["requests_seen"])
        print("%-20s %3d %8.1f %8.1f %8.1f %+9.1f %8s %9s   %.2f: %s (%s) %s" % (
            kind, f["n"], f["p10"], f["median"], f["p90"], f["minus_ping"], optional("%.1f", f["cpu_mean"]),
            optional("%+.1f", f.get("cpu_minus_ping")), f["requests_mean"], seen, describe_counts(EXPECTED_REQUESTS[kind]),
            "PASS" if f["requests_exact"] else "MISS"))
    print("Wall time from the controller's task start to its result; CPU: mean of controller + worker + module CPU time.")
    deploy = summary["kinds"]
    print("deploy_wait (1 POST + 1 GET in one task, %d s poll_interval included): median %.1f ms; uri_deploy_post + "
          "uri_deploy_get: %.1f + %.1f = %.1f ms; deploy_wait minus the poll_interval: %.1f ms" % (
              DEPLOY_POLL_INTERVAL, deploy["deploy_wait"]["median"], deploy["uri_deploy_post"]["median"],
              deploy["uri_deploy_get"]["median"], deploy["uri_deploy_post"]["median"] + deploy["uri_deploy_get"]["median"],
              deploy["deploy_wait"]["median"] - DEPLOY_POLL_INTERVAL * 1000.0))
    for name, r in summary["ratios"].items():
        print("ratio %-24s %.3f (90%% CI %.3f..%.3f; CPU ratio %s)  target <= %.2f: %s" % (
            name, r["value"], r["low"], r["high"], optional("%.3f", r["cpu"]), r["target"], "PASS" if r["passed"] else "MISS"))


# ---------------------------------------------------------------------------
# Module start-up: keep the AnsiballZ payloads, run them directly, profile their imports.

def keep_payloads(args, workdir, simulator, factory):
    remote_tmp = workdir / "payloads"
    tasks = [factory.task("payload %s" % kind, kind) for kind in PROFILED.values()]
    env = ansible_env(args, workdir, simulator, "default", ANSIBLE_KEEP_REMOTE_FILES="1", ANSIBLE_REMOTE_TMP=str(remote_tmp))
    run_playbook("payloads", tasks, env, workdir)
    payloads = {}
    for module in PROFILED:
        found = sorted(remote_tmp.glob("ansible-tmp-*/AnsiballZ_%s.py" % module))
        if not found:
            raise BenchmarkError("no AnsiballZ_%s.py was kept under %s" % (module, remote_tmp))
        payloads[module] = found[0]
    return payloads


def children_cpu_ms():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000.0


def run_payload(payload, env, importtime=False):
    """Run a kept payload as the connection would; return (wall ms, CPU ms, stderr)."""
    command = [sys.executable] + (["-X", "importtime"] if importtime else []) + [str(payload)]
    start, cpu_start = time.perf_counter(), children_cpu_ms()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall, cpu = (time.perf_counter() - start) * 1000.0, children_cpu_ms() - cpu_start
    try:
        output = json.loads(result.stdout)
    except ValueError:
        output = {"failed": True, "msg": result.stdout[-500:] + result.stderr[-500:]}
    if result.returncode != 0 or output.get("failed"):
        raise BenchmarkError("%s failed when run directly: %s" % (payload.name, output.get("msg")))
    return wall, cpu, result.stderr


def parse_importtime(stderr):
    """The ImportRows of python -X importtime output, in the order Python printed them."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:"):].split("|", 2)
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        rows.append(ImportRow(depth, name.strip(), int(self_us), int(cumulative_us)))
    return rows


def median_rows(runs):
    """Per imported module, the median self and cumulative times over several runs, in the first run's order."""
    times = collections.defaultdict(list)
    for rows in runs:
        for row in rows:
            times[row.name].append(row)
    return [ImportRow(row.depth, row.name, int(statistics.median(r.self_us for r in times[row.name])),
                      int(statistics.median(r.cumulative_us for r in times[row.name]))) for row in runs[0]]


def import_tree(rows):
    """Nest ImportRows: Python prints the children of a module, one level deeper, before the module."""
    pending = {}
    roots = []
    for row in rows:
        node = dict(row._asdict(), children=pending.pop(row.depth + 1, []))
        (roots if row.depth == 0 else pending.setdefault(row.depth, [])).append(node)
    return roots


def exploded_sources(payload):
    """The Python files of a payload (python AnsiballZ_x.py explode), by path inside the payload."""
    subprocess.run([sys.executable, str(payload), "explode"], capture_output=True, check=True)
    root = payload.parent / "debug_dir"
    return {str(path.relative_to(root)): path for path in root.rglob("*.py")}


def compile_ms(path, repeats):
    """Median time to compile one source file: zipimport keeps no .pyc, so every module run pays it."""
    source = path.read_bytes()
    times = []
    for _repeat in range(repeats):
        start = time.perf_counter()
        compile(source, str(path), "exec", dont_inherit=True)
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def own_sources(payloads, repeats):
    """Per payload, the non-empty files that ping's payload lacks (its module and module_utils), with compile times."""
    sources = {module: exploded_sources(payload) for module, payload in payloads.items()}
    shared = {name for name in sources["ping"] if not name.startswith("ansible/modules/")}
    return {module: [dict(file=name, kb=path.stat().st_size / 1024.0, compile_ms=compile_ms(path, repeats))
                     for name, path in sorted(files.items()) if name not in shared and path.stat().st_size]
            for module, files in sources.items()}


def profile_payloads(repeats, payloads, env):
    interpreter_cpu, interpreter_modules = [], set()
    for _repeat in range(repeats):
        cpu_start = children_cpu_ms()
        result = subprocess.run([sys.executable, "-X", "importtime", "-c", "pass"], env=env, capture_output=True, text=True, check=True)
        interpreter_cpu.append(children_cpu_ms() - cpu_start)
        interpreter_modules.update(row.name for row in parse_importtime(result.stderr))
    plain, profiled = collections.defaultdict(list), collections.defaultdict(list)
    for _repeat in range(repeats):  # the modules take turns, so that a busy moment does not fall on one module
        for module, payload in payloads.items():
            plain[module].append(run_payload(payload, env))
            profiled[module].append(parse_importtime(run_payload(payload, env, importtime=True)[2]))
    sources = own_sources(payloads, repeats)
    profiles = {}
    for module, payload in payloads.items():
        rows = [row for row in median_rows(profiled[module]) if row.name not in interpreter_modules]
        profiles[module] = dict(wall=percentiles([wall for wall, _cpu, _stderr in plain[module]]),
                                cpu=percentiles([cpu for _wall, cpu, _stderr in plain[module]]),
                                import_ms=sum(row.cumulative_us for row in rows if row.depth == 0) / 1000.0,
                                payload_kb=payload.stat().st_size / 1024.0, own_sources=sources[module], rows=rows)
    return dict(repeats=repeats, interpreter_cpu_ms=statistics.median(interpreter_cpu), modules=profiles)


def print_tree(nodes, level=0):
    for node in sorted(nodes, key=lambda n: -n["cumulative_us"]):
        if node["cumulative_us"] >= PROFILE_MIN_MS * 1000:
            print("    %8.1f %8.1f  %s%s" % (node["cumulative_us"] / 1000.0, node["self_us"] / 1000.0, "  " * level, node["name"]))
            if level + 1 < PROFILE_LEVELS:
                print_tree(node["children"], level + 1)


def self_ms_by_package(rows, names):
    """Self time of the named modules, summed per top-level package, largest first."""
    totals = collections.Counter()
    for row in rows:
        if row.name in names:
            totals[row.name.split(".")[0]] += row.self_us / 1000.0
    return totals.most_common()


def print_startup(startup):
    modules = startup["modules"]
    print("\n== Module start-up: each AnsiballZ payload run directly (python AnsiballZ_<module>.py), %d runs ==" % startup["repeats"])
    print("bare interpreter (python -c pass): %.1f ms CPU" % startup["interpreter_cpu_ms"])
    print("%-22s %11s %11s %11s %13s %10s" % ("module", "CPU median", "wall median", "wall p90", "imports (-X)", "payload"))
    for module, p in modules.items():
        print("%-22s %8.1f ms %8.1f ms %8.1f ms %10.1f ms %7.1f KB" % (
            module, p["cpu"]["median"], p["wall"]["median"], p["wall"]["p90"], p["import_ms"], p["payload_kb"]))
    print("imports (-X): cumulative time of the imports after interpreter start-up, as python -X importtime reports them (median).")
    print("\nSources that ping's payload lacks, compiled at every run (zipimport keeps no .pyc):")
    for module, p in modules.items():
        for source in p["own_sources"]:
            print("  %-22s %-66s %5.1f KB %5.1f ms" % (module, source["file"], source["kb"], source["compile_ms"]))
    for module in ("sevalla_process", "uri"):
        print("\nBiggest imports of %s, median ms (cumulative, self), >= %.0f ms, %d levels:" % (module, PROFILE_MIN_MS, PROFILE_LEVELS))
        print_tree(import_tree(modules[module]["rows"]))
    names = {module: {row.name for row in modules[module]["rows"]} for module in ("sevalla_process", "uri")}
    for module, other in (("sevalla_process", "uri"), ("uri", "sevalla_process")):
        only = names[module] - names[other]
        packages = self_ms_by_package(modules[module]["rows"], only)
        print("\nImported by %s, not by %s: %d modules, %.1f ms self time; per package: %s" % (
            module, other, len(only), sum(ms for _package, ms in packages),
            ", ".join("%s %.1f" % item for item in packages[:10])))


# ---------------------------------------------------------------------------
# A static check: imported names the collection's Python code never uses.

def unused_imports(path):
    tree = ast.parse(path.read_text(), str(path))
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and getattr(node, "module", None) != "__future__":
            for alias in node.names:
                imported[(alias.asname or alias.name).split(".")[0]] = node.lineno
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return sorted((line, name) for name, line in imported.items() if name not in used)


def print_unused_imports(collection):
    found = []
    for folder in ("modules", "module_utils"):
        for path in sorted((collection / "plugins" / folder).glob("*.py")):
            found += ["plugins/%s/%s:%d %s" % (folder, path.name, line, name) for line, name in unused_imports(path)]
    print("\n== Unused imports in plugins/modules and plugins/module_utils ==")
    print("\n".join(found) if found else "none")
    return found


# ---------------------------------------------------------------------------

def machine_facts(collection):
    version = subprocess.run([ansible_command("ansible-playbook"), "--version"], capture_output=True, text=True, check=True)
    return dict(date=datetime.date.today().isoformat(), cores=os.cpu_count(), python=platform.python_version(),
                ansible=version.stdout.splitlines()[0].strip(), collection=str(collection), forks=5)


def benchmark(args, collection, workdir):
    results = dict(machine=machine_facts(collection), rounds=args.rounds, per_round=args.per_round, runs={})
    machine = results["machine"]
    print("Benchmark of sevalla.cloud: %s, Python %s, %s cores, %s" % (machine["ansible"], machine["python"], machine["cores"], machine["date"]))
    print("collection: %s" % collection)
    stale = stale_files(collection)
    if stale:
        print("WARNING: the collection benchmarked differs from this work tree in: %s" % ", ".join(stale))
    simulator = Simulator(workdir)
    try:
        modes = ("default", "on") if args.pipelining == "both" else (args.pipelining,)
        for mode in modes:
            simulator.reset()
            tasks = benchmark_tasks(TaskFactory(simulator), args.rounds, args.per_round)
            label = "ANSIBLE_PIPELINING=%s" % ("1" if mode == "on" else "unset (off)")
            print("\nRunning %d tasks (%d rounds x %d of each of %d kinds, after %d warm-up tasks), %s ..." % (
                len(tasks), args.rounds, args.per_round, len(KINDS), len(KINDS), label))
            started, load_before = time.monotonic(), os.getloadavg()[0]
            records = annotate(run_playbook("bench-%s" % mode, tasks, ansible_env(args, workdir, simulator, mode), workdir))
            check_records(records, len(tasks))
            summary = dict(summarise(records), label=label, wall_s=time.monotonic() - started,
                           load=(load_before, os.getloadavg()[0]), records=records)
            results["runs"][mode] = summary
            print_summary(summary)
        if not args.skip_startup:
            simulator.reset()
            payloads = keep_payloads(args, workdir, simulator, TaskFactory(simulator))
            results["startup"] = profile_payloads(args.startup_repeats, payloads, ansible_env(args, workdir, simulator, "default"))
            print_startup(results["startup"])
    finally:
        simulator.stop()
    results["unused_imports"] = print_unused_imports(collection)
    return results


def broken(error):
    print("\nBENCHMARK BROKEN: %s" % error, file=sys.stderr)
    return 1


def main(argv=None):
    args = parse_args(argv)
    try:
        collection = collection_dir(args.collections_path)
    except BenchmarkError as error:
        return broken(error)
    workdir = Path(tempfile.mkdtemp(prefix="sevalla-bench-"))
    try:
        results = benchmark(args, collection, workdir)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
            print("\nFigures written to %s" % args.json)
        return 0
    except BenchmarkError as error:
        args.keep_workdir = True  # its logs tell what broke
        return broken(error)
    finally:
        if args.keep_workdir:
            print("work directory kept: %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
