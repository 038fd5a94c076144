# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
name: sevalla_json
type: stdout
short_description: Every task result as one JSON document, for the collection's tests
version_added: 0.1.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Collects each task result (play, task name, host, status, seconds the task ran, the result itself)
    and writes them as one JSON document when the run ends.
  - The document goes to the file named by E(SEVALLA_JSON_CALLBACK_FILE), or to stdout when it is not set.
  - ansible-core 2.19 has no JSON stdout callback (it lives in ansible.posix), hence this test-only one.
"""

import json
import os
import time

from ansible.parsing.ajson import AnsibleJSONEncoder
from ansible.plugins.callback import CallbackBase

OUTPUT_ENV = "SEVALLA_JSON_CALLBACK_FILE"


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "sevalla_json"

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._play = None
        self._started = {}
        self._tasks = []

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name()

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.monotonic()

    def _record(self, status, result):
        # Warnings and deprecations are also shown as the default callback shows them, so that the tests that check
        # the output for them see them; on a copy, since this takes them out of the result.
        self._handle_warnings(dict(result._result))
        key = (result._host.get_name(), result._task._uuid)
        started = self._started.pop(key, None)
        self._tasks.append(dict(
            play=self._play,
            task=result._task.get_name(),
            action=result._task.action,
            host=key[0],
            status=status,
            seconds=None if started is None else round(time.monotonic() - started, 3),
            result=result._result,
        ))

    def v2_runner_on_ok(self, result):
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("failed", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._record("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed)
        document = dict(tasks=self._tasks, stats=dict((host, stats.summarize(host)) for host in hosts))
        text = json.dumps(document, cls=AnsibleJSONEncoder, indent=2, sort_keys=True)
        path = os.environ.get(OUTPUT_ENV)
        if path:
            with open(path, "w") as output:
                output.write(text)
        else:
            self._display.display(text)
