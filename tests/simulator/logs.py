# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runtime and access logs: GET /applications/{id}/runtime-logs and GET /applications/{id}/access-logs.

Entries come from the seed (`seconds_ago` before each reset), from activity (an exec writes the command and its
output, a cron trigger the lines of its run, each tagged with the process key as `container`) and from the control
hook POST /_simulator/logs. Answers are newest first; past `limit`, the newest entries are kept.
"""

from __future__ import annotations

import calendar
import collections
import copy
import json
import re
import shlex
import threading
import time
from datetime import datetime, timezone

from .deployments import checked
from .limits import LogReadLimit
from .validation import schema_error, validate, validate_body
from .wire import ApiError, json_response

SERVICES = {"runtime": "APP_RUNTIME", "access": "APP_ACCESS"}
WINDOW_MICROS = 3600 * 1000000  # the routes read the last hour unless given `from`
DEFAULT_LIMIT = 1000
TOP_LEVEL_KEYS = ("id", "message", "service", "severity")
STAMP = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?Z$")


def micros_of(stamp):
    """Microseconds since the epoch of a timestamp matching common.json's pattern (a fraction past 6 digits is cut)."""
    year, month, day, hour, minute, second, fraction = STAMP.match(stamp).groups()
    seconds = calendar.timegm((int(year), int(month), int(day), int(hour), int(minute), int(second or 0)))
    return seconds * 1000000 + int((fraction or "")[:6].ljust(6, "0"))


def format_micros(micros):
    """The entries' `timestamp`: UTC, "YYYY-MM-DD HH:MM:SS.mmm", as in the API reference's example."""
    moment = datetime.fromtimestamp(micros // 1000000, timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S") + ".%03d" % (micros % 1000000 // 1000)


def check_seed(entries, apps):
    """seed.json logs: known applications and, for each entry, a process of that application; ValueError otherwise."""
    keys = {app["id"]: {process["key"] for process in app["processes"]} for app in apps}
    for number, entry in enumerate(entries):
        problem = schema_error("log_seed", entry, "logs.%d" % number)
        if problem:
            raise ValueError(problem)
        if entry["process_key"] not in keys.get(entry["app_id"], ()):
            raise ValueError("logs.%d: application %s has no process '%s'" % (number, entry["app_id"], entry["process_key"]))


class AppLogs:
    """Every application's runtime and access entries, with the log read limit; its own lock guards them."""

    def __init__(self, state, reads=None, clock=time.time):
        self.state = state
        self.reads = reads or LogReadLimit()
        self.clock = clock
        self.lock = threading.RLock()
        self.entries = collections.defaultdict(list)

    def reset(self):
        """Back to the seed's entries, written relative to now; the state calls it once its applications are loaded."""
        with self.lock:
            self.entries = collections.defaultdict(list)  # (app id, source) -> [(unix_timestamp, sequence, entry)]
            self.sequence = 0
            self.last_now = 0
            now = self.now()
            for item in self.state.seed.get("logs", []):
                self.add(item["app_id"], item["source"], item, now - int(item["seconds_ago"] * 1000000))

    def now(self):
        """Now in microseconds, strictly after the previous `now`, so activity entries keep their order."""
        with self.lock:
            self.last_now = max(int(self.clock() * 1000000), self.last_now + 1)
            return self.last_now

    def add(self, app_id, source, item, micros=None):
        """Store one entry from {message, severity, process_key, tags, attributes}; return its API form."""
        with self.lock:
            micros = self.now() if micros is None else micros
            self.sequence += 1
            tags = dict(item.get("tags", {}), idApp=app_id, container=item["process_key"])
            entry = {"id": "%s-%06d" % (source, self.sequence), "message": item["message"], "service": SERVICES[source],
                     "severity": item.get("severity", "INFO"), "timestamp": format_micros(micros), "tags": tags,
                     "attributes": copy.deepcopy(item.get("attributes", {})), "unix_timestamp": micros}
            self.entries[(app_id, source)].append((micros, self.sequence, entry))
            return copy.deepcopy(entry)

    def clear(self):
        with self.lock:
            self.entries = collections.defaultdict(list)

    def read(self, app_id, source, query, filters):
        """The matching entries between `from` and `to` (both inclusive), newest first, the newest `limit` of them."""
        with self.lock:
            now = self.now()
            start = micros_of(query["from"]) if "from" in query else now - WINDOW_MICROS
            end = micros_of(query["to"]) if "to" in query else now
            found = [(micros, number, entry) for micros, number, entry in self.entries[(app_id, source)]
                     if start <= micros <= end and all(matches(entry, rule) for rule in filters)]
            found.sort(key=lambda item: item[:2], reverse=True)
            return copy.deepcopy([entry for _micros, _number, entry in found[:query.get("limit", DEFAULT_LIMIT)]])

    # --- activity (called by operations.exec_process and deployments.trigger_process) ---

    def exec_ran(self, app_id, process_key, command, stdout, stderr):
        """An exec: the command, then each non-blank line of stdout (INFO), then of stderr (ERROR)."""
        lines = [("INFO", "exec: %s" % shlex.join(command))]
        lines += [("INFO", line) for line in stdout.splitlines() if line.strip()]
        lines += [("ERROR", line) for line in stderr.splitlines() if line.strip()]
        with self.lock:
            for severity, message in lines:
                self.add(app_id, "runtime", {"message": message, "severity": severity, "process_key": process_key})

    def cron_ran(self, app_id, process):
        """A triggered cron run: started, a line of output, finished."""
        command = process["entrypoint"] or process["key"]
        lines = ["Cron run started: %s (schedule '%s', %s)" % (command, process["schedule"], process["time_zone"] or "UTC"),
                 "%s: done" % command, "Cron run finished with exit code 0"]
        with self.lock:
            for message in lines:
                self.add(app_id, "runtime", {"message": message, "process_key": process["key"]})


def matches(entry, rule):
    """Whether an entry passes one filter; a field the entry lacks passes only the NOT_ operators."""
    actual = field_of(entry, rule["key"])
    operator = rule["operator"]
    if operator in ("IN", "NOT_IN"):
        found = actual is not None and text(actual) in {text(value) for value in rule["values"]}
    elif operator in ("EQUALS", "NOT_EQUALS"):
        found = actual is not None and text(actual) == text(rule["value"])
    else:
        found = actual is not None and text(rule["value"]) in text(actual)
    return not found if operator.startswith("NOT_") else found


def field_of(entry, key):
    if key in TOP_LEVEL_KEYS:
        return entry[key]
    group, _dot, name = key.partition(".")
    if group in ("tags", "attributes") and name:
        return entry[group].get(name)
    return entry["tags"].get(key, entry["attributes"].get(key))


def text(value):
    """Values compare as text, case-sensitively: strings as they are, numbers and booleans as JSON (200, true)."""
    return value if isinstance(value, str) else json.dumps(value)


def parse_filters(raw):
    """The decoded `filters` query parameter; 400 when it is not JSON or not a list of filters."""
    if raw is None:
        return []
    try:
        filters = json.loads(raw)
    except ValueError as error:
        raise ApiError(400, "query.filters: not valid JSON (%s)" % error, "invalid-filters") from error
    validate("log_filters", filters, "query.filters")
    return filters


# --- operations (see operations.py for the order of checks) ---

def _read(state, params, query, source):
    allowed, headers = state.logs.reads.hit()
    if not allowed:
        raise ApiError(429, "the limit of %d log reads per 60 s for the company is reached; retry in %s s"
                       % (state.logs.reads.limit, headers["Retry-After"]), "log-rate-limited", headers=headers)
    filters = parse_filters(query.get("filters"))
    state.application(params["id"])
    response = json_response(checked("app_logs", state.logs.read(params["id"], source, query, filters)))
    response.headers = headers  # the log limit's window when it is on; the read limit's otherwise
    return response


def runtime_logs(state, _request, params, query):
    return _read(state, params, query, "runtime")


def access_logs(state, _request, params, query):
    return _read(state, params, query, "access")


# --- control hooks (under /_simulator/, see control.py) ---

def add_entries(simulator, request):
    body = validate_body("logs_control", request.body)
    state = simulator.state
    state.application(body["app_id"])
    with state.logs.lock:
        added = [state.logs.add(body["app_id"], body["source"], item,
                                micros_of(item["timestamp"]) if "timestamp" in item else None)
                 for item in body["entries"]]
    return json_response({"ok": True, "entries": added})


def clear_entries(simulator, _request):
    simulator.state.logs.clear()
    return json_response({"ok": True})
