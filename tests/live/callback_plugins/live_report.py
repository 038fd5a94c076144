# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What each task of the live suite cost, for tests/live/run.py.

Enable with ANSIBLE_CALLBACK_PLUGINS=tests/live/callback_plugins and ANSIBLE_CALLBACKS_ENABLED=live_report.
LIVE_REPORT_FILE names the JSON file written when the run ends. When LIVE_SIMULATOR_URL is set, the simulator's
request log is read after each task result, so that each task's requests are known exactly.

Only figures are recorded, never a value of the task's arguments or a whole result.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = """
    name: live_report
    type: aggregate
    short_description: per-task time, requests, 429 waits and deployments of the live suite
    description:
      - Writes one record per task result (name, action, status, changed, seconds, requests, api_waits,
        deployment) to the file named by E(LIVE_REPORT_FILE).
    requirements:
      - enabled in ANSIBLE_CALLBACKS_ENABLED
"""

import json
import os
import time
import urllib.request

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "live_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._started = None
        self._tasks = []
        self._seen_seq = 0
        self._simulator = os.environ.get("LIVE_SIMULATOR_URL")

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started = time.monotonic()

    def v2_playbook_on_handler_task_start(self, task):
        self._started = time.monotonic()

    def _new_requests(self):
        """The simulator's log entries since the last task result (method, path, status): none when real."""
        if not self._simulator:
            return None
        with urllib.request.urlopen(self._simulator + "/_simulator/requests", timeout=10) as answer:  # nosec: loopback
            entries = json.loads(answer.read())["requests"]
        new = [entry for entry in entries if entry["seq"] > self._seen_seq]
        if entries:
            self._seen_seq = max(self._seen_seq, max(entry["seq"] for entry in entries))
        return [dict(method=entry["method"], path=entry["path"], status=entry["status"]) for entry in new]

    def _record(self, status, result):
        returned = result._result
        record = dict(
            task=result._task.get_name(),
            action=result._task.action,
            status=status,
            changed=bool(returned.get("changed")),
            seconds=None if self._started is None else round(time.monotonic() - self._started, 3),
            requests=self._new_requests(),
            api_waits=returned.get("api_waits") or [],
        )
        process = returned.get("process")
        if isinstance(process, dict) and process.get("id"):
            record["process"] = dict(id=process["id"], key=process.get("key"))
        created = returned.get("created") if result._task.action.endswith("sevalla_env_var") else None
        if created:  # the ids of the variables this task created, from the scope's variables after it
            record["variables"] = [item["id"] for item in returned.get("env_vars") or []
                                   if isinstance(item, dict) and item.get("key") in created and item.get("id")]
        deployment = returned.get("deployment")
        if isinstance(deployment, dict):
            record["deployment"] = dict(id=deployment.get("id"), status=deployment.get("status"),
                                        elapsed=returned.get("elapsed"))
        self._tasks.append(record)

    def v2_runner_on_ok(self, result):
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("failed", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._record("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("LIVE_REPORT_FILE")
        if path:
            with open(path, "w") as output:
                json.dump(dict(tasks=self._tasks), output, indent=1)
