# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The log of API requests that tests read back; it never holds the API key itself."""

from __future__ import annotations

import copy
import threading

from .wire import NOT_JSON, flatten_query


class RequestLog:
    """Entries in completion order, numbered from 1 after each clear.

    A request still in flight when the log is cleared (e.g. one held by a delay fault) is not recorded
    afterwards: each clear starts a new epoch, and requests carry the epoch they arrived in.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []
        self.epoch = 0

    def clear(self):
        with self.lock:
            self.entries = []
            self.epoch += 1

    def record(self, request, response):
        entry = {
            "seq": None,
            "method": request.method,
            "path": request.path,
            "query": flatten_query(request.query),
            "status": None if response.drop else response.status,
            "auth": request.auth,
            "role": request.role,
            "body": None if request.body is NOT_JSON else request.body,
            "request_id": request.request_id,
            "fault": response.fault,
        }
        with self.lock:
            if request.epoch != self.epoch:
                return
            entry["seq"] = len(self.entries) + 1
            self.entries.append(entry)

    def select(self, method=None, path=None):
        with self.lock:
            entries = copy.deepcopy(self.entries)
        return [entry for entry in entries
                if (method is None or entry["method"] == method.upper()) and (path is None or path in entry["path"])]
