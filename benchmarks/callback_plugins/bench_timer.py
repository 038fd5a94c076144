# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Record each task's start and end in the controller, for benchmarks/run.py.

Enable with ANSIBLE_CALLBACK_PLUGINS=benchmarks/callback_plugins and
ANSIBLE_CALLBACKS_ENABLED=bench_timer. BENCH_TIMINGS_FILE names the JSON file written at
the end of the run. When BENCH_SIMULATOR_URL is set, the simulator's request log is read
and cleared after each task result, outside the timed window, so each task's requests
are known exactly.

Besides wall time, each record carries the CPU time of the task where Linux /proc allows it:
the controller's own CPU time during the task plus that of the worker process forked for the
task, including the processes it waited for (the connection's commands and the module itself).
CPU time hardly depends on what else the machine is running, unlike wall time.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = """
    name: bench_timer
    type: aggregate
    short_description: per-task start and end times for the benchmark
    description:
      - Writes one record per task (name, start, end, status, changed, requests) to BENCH_TIMINGS_FILE.
    requirements:
      - enabled in ANSIBLE_CALLBACKS_ENABLED
"""

import json
import os
import resource
import time
import urllib.request

from ansible.plugins.callback import CallbackBase


def _result_dict(result):
    """The result dictionary: the public `result` on ansible-core 2.19, `_result` before."""
    value = getattr(result, "result", None)
    return value if isinstance(value, dict) else result._result


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid):
    """Fields of /proc/<pid>/stat after the command name (state, ppid, ...), or None once it is gone."""
    try:
        with open("/proc/%s/stat" % pid) as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _children():
    """Process ids whose parent is this process (the workers ansible-playbook forked)."""
    if not os.path.isdir("/proc"):
        return None
    me = str(os.getpid())
    pids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _proc_stat(entry)
            if fields and fields[1] == me:
                pids.add(entry)
    return pids


def _process_cpu_s(pid):
    """User and system time of a process and of the children it waited for, in seconds."""
    fields = _proc_stat(pid)
    if not fields:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / float(CLOCK_TICKS)  # utime stime cutime cstime


def _own_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.output = os.environ.get("BENCH_TIMINGS_FILE", "bench_timings.json")
        self.simulator_url = os.environ.get("BENCH_SIMULATOR_URL", "").rstrip("/")
        self.records = []
        self.current = None

    def v2_playbook_on_start(self, playbook):
        self._read_log()  # drop whatever came before the first task

    def v2_playbook_on_task_start(self, task, is_conditional):
        children = _children()
        self.current = dict(name=task.get_name(), children=children, cpu_start=_own_cpu_s(), start=time.perf_counter())

    def _finish(self, status, result):
        end = time.perf_counter()
        if self.current is None:
            return
        own_cpu = _own_cpu_s() - self.current.pop("cpu_start")
        record, self.current = self.current, None
        data = _result_dict(result)
        record.update(end=end, ms=(end - record["start"]) * 1000.0, status=status,
                      changed=bool(data.get("changed")), msg=str(data.get("msg", ""))[:300])
        record["cpu_ms"] = self._task_cpu_ms(record.pop("children"), own_cpu)
        record["requests"] = self._read_log()
        self.records.append(record)

    @staticmethod
    def _task_cpu_ms(children_before, own_cpu):
        """Controller CPU during the task plus the CPU of the worker(s) forked for it; None without /proc."""
        children_now = _children()
        if children_before is None or children_now is None:
            return None
        workers = children_now - children_before
        return (own_cpu + sum(_process_cpu_s(pid) for pid in workers)) * 1000.0

    def v2_runner_on_ok(self, result):
        self._finish("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._finish("failed", result)

    def v2_runner_on_skipped(self, result):
        self._finish("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._finish("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        with open(self.output, "w") as handle:
            json.dump(dict(tasks=self.records), handle, indent=1)

    def _control(self, method):
        request = urllib.request.Request(self.simulator_url + "/_simulator/requests", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:  # nosec: loopback simulator only
            return json.loads(response.read() or b"null")

    def _read_log(self):
        """The simulator's logged requests since the last read, as 'METHOD path' strings; then clear it."""
        if not self.simulator_url:
            return None
        entries = (self._control("GET") or {}).get("requests", [])
        self._control("DELETE")
        return ["%s %s" % (entry.get("method"), entry.get("path")) for entry in entries]
