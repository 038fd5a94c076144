# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Log entries: the runtime and access log paths, the query (time window, filters, limit) checked before any
request, the shape check of an answer, the order (oldest first) and the one way an entry becomes a line.

Deployment logs (deployment.py) share the shape check, the order and the line."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import time

from datetime import datetime, timedelta, timezone

from ansible_collections.sevalla.cloud.plugins.module_utils.base import check_length, check_range
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaError, explain_not_found

SOURCES = {"runtime": "runtime-logs", "access": "access-logs"}
MAX_LOG_ENTRIES = 5000  # the most a logs endpoint returns in one answer
DEFAULT_WINDOW = timedelta(hours=1)  # the API's default window: the last hour
MAX_SINCE = timedelta(days=3650)
SINCE_RE = re.compile(r"^(?:\d+[smhd])+$")
SINCE_PART_RE = re.compile(r"(\d+)([smhd])")
SINCE_UNITS = dict(s=1, m=60, h=3600, d=86400)
# ISO 8601 as playbooks write it: a date, optionally a time (T, t or a space before it; seconds and a fraction
# optional), optionally Z or an offset. YAML turns an unquoted timestamp into "2026-03-09 10:15:00+00:00".
TIME_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?"
                     r" ?(?:([Zz])|([+-])(\d\d)(?::?(\d\d))?)?$")
TIME_EXAMPLE = "2026-03-09T10:15:00Z"
FILTER_KEYS = frozenset(("key", "operator", "value", "values"))
FILTER_EXAMPLE = "{key: severity, operator: EQUALS, value: ERROR}"


def utc_now():
    """The controller's clock, in UTC: the one clock the time windows are built from (tests replace it)."""
    return datetime.now(timezone.utc)


# ---------------------------------------------------------------------------
# The query, checked before any request.

def parse_since(value):
    """A duration such as 30s, 15m, 2h, 1d or 1h30m, as a timedelta."""
    text = value.strip()
    if not SINCE_RE.match(text):
        raise SevallaError("since must be a duration: a number and a unit, s, m, h or d, such as 30s, 15m, 2h, 1d or "
                           "1h30m, got %r" % value)
    seconds = sum(int(number) * SINCE_UNITS[unit] for number, unit in SINCE_PART_RE.findall(text))
    if not 0 < seconds <= MAX_SINCE.total_seconds():
        raise SevallaError("since must be more than 0s and at most %dd, got %r" % (MAX_SINCE.days, value))
    return timedelta(seconds=seconds)


def parse_time(name, value):
    """An ISO 8601 date and time as an aware UTC datetime; without Z or an offset, it is UTC."""
    match = TIME_RE.match(value.strip())
    if match:
        year, month, day, hour, minute, second, fraction, zulu, sign, off_hours, off_minutes = match.groups()
        try:
            offset = timedelta(hours=int(off_hours or 0), minutes=int(off_minutes or 0))
            zone = timezone(-offset if sign == "-" else offset) if sign else timezone.utc
            moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                              int((fraction or "")[:6].ljust(6, "0")), zone)
            return moment.astimezone(timezone.utc)
        except (ValueError, OverflowError):
            pass  # a day, hour or offset out of range: said below
    raise SevallaError("%s must be an ISO 8601 date and time such as %s (UTC when it has no Z or offset), got %r"
                       % (name, TIME_EXAMPLE, value))


def api_time(moment):
    """A moment as the API's from and to take it: UTC, to the millisecond, with Z (2026-03-09T10:15:02.000Z)."""
    moment = moment.astimezone(timezone.utc)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, moment.microsecond // 1000)


def time_window(since, start, end, now):
    """(from, to) as datetimes: the last `since`, or from `start` to `end`; the last hour by default.

    Only start: up to now. Only end: the hour before it."""
    if since is not None and (start is not None or end is not None):
        raise SevallaError("since cannot be combined with from or to: give a duration (since) or a window (from, to)")
    if since is not None:
        return now - parse_since(since), now
    end_time = parse_time("to", end) if end is not None else now
    start_time = parse_time("from", start) if start is not None else end_time - DEFAULT_WINDOW
    if start_time > end_time:
        end_name = "to" if end is not None else "now"
        raise SevallaError("from (%s) is after %s (%s)" % (api_time(start_time), end_name, api_time(end_time)))
    return start_time, end_time


def checked_filters(filters):
    """The filter objects as the API documents them: key, operator, and value or values (a list)."""
    for number, item in enumerate(filters):
        where = "filters[%d]" % number
        if not isinstance(item, dict):
            raise SevallaError("%s must be an object such as %s, got %r" % (where, FILTER_EXAMPLE, item))
        for name in ("key", "operator"):
            if not isinstance(item.get(name), str) or not item[name].strip():
                raise SevallaError("%s needs both key and operator, as text, for example %s; got %r"
                                   % (where, FILTER_EXAMPLE, item))
        unknown = sorted(set(item) - FILTER_KEYS)
        if unknown:
            raise SevallaError("%s has %s: a filter takes only key, operator, and value or values"
                               % (where, ", ".join(repr(name) for name in unknown)))
        if ("value" in item) == ("values" in item):
            raise SevallaError("%s needs either value or values (a list, for operators such as IN), not %s"
                               % (where, "both" if "value" in item else "neither"))
        if "values" in item and not isinstance(item["values"], list):
            raise SevallaError("%s: values must be a list, got %r" % (where, item["values"]))
    return filters


def severity_filters(severity):
    """severity as API filters: one level with EQUALS, several with IN; levels upper-cased (ERROR, WARN, ...)."""
    levels = [level.strip().upper() for level in severity or []]
    if any(not level for level in levels):
        raise SevallaError("severity must hold levels such as ERROR or WARN, got an empty one")
    if not levels:
        return []
    if len(levels) == 1:
        return [dict(key="severity", operator="EQUALS", value=levels[0])]
    return [dict(key="severity", operator="IN", values=levels)]


def log_query(params, clock=None):
    """The query of one logs GET from the options since, from, to, severity, filters and lines: from and to
    always, from the controller's clock (clock(), utc_now by default). Raises SevallaError on bad input."""
    check_range("lines", params["lines"], 1, MAX_LOG_ENTRIES)
    if params.get("process_key") is not None:
        check_length("process_key", params["process_key"], 1, 64)
    start, end = time_window(params["since"], params["from"], params["to"], (clock or utc_now)())
    query = {"from": api_time(start), "to": api_time(end), "limit": params["lines"]}
    filters = severity_filters(params["severity"]) + checked_filters(params["filters"] or [])
    if filters:
        query["filters"] = json.dumps(filters, separators=(",", ":"))
    return query


# ---------------------------------------------------------------------------
# Reading.

def checked_log_entries(body):
    if not isinstance(body, list) or not all(isinstance(entry, dict) for entry in body):
        raise SevallaError("unexpected response shape: expected a list of log entries")
    if not all(isinstance(entry.get("unix_timestamp", 0), (int, float)) for entry in body):
        raise SevallaError("unexpected response shape: expected log entries with a numeric unix_timestamp")
    return body


def read_log(client, app, source, query, process_key=None):
    """One GET of a runtime or access log: {entries, log_lines, truncated}, oldest first.

    truncated: the API sent query['limit'] entries, so the window may hold more. process_key keeps the entries
    of that process (tags.container), after the limit."""
    try:
        entries = client.get(app.path(SOURCES[source]), params=query, shape=checked_log_entries)
    except SevallaError as error:
        if error.not_found:
            raise explain_not_found(error, "Application %s" % app)
        raise error.explain("Could not read the %s log of application %s" % (source, app))
    truncated = len(entries) >= query["limit"]
    if process_key is not None:
        entries = [entry for entry in entries if (entry.get("tags") or {}).get("container") == process_key]
    entries = oldest_first(entries)
    return dict(entries=entries, log_lines=[log_line(entry) for entry in entries], truncated=truncated)


def read_run_log(client, app, process_key, started, wait_seconds):
    """What a process logged since `started` (a datetime), read after `wait_seconds`: {entries, log_lines,
    truncated}. The window ends at the API's now, so the API's clock decides where it ends."""
    time.sleep(wait_seconds)
    return read_log(client, app, "runtime", {"from": api_time(started), "limit": MAX_LOG_ENTRIES}, process_key)


def oldest_first(entries):
    """The entries sorted by unix_timestamp. Entries of the same moment stay in the order they were written: an
    answer that starts with its newest entry (the order is not documented) is read from its end."""
    def moment(entry):
        return entry.get("unix_timestamp") or 0
    if entries and moment(entries[0]) > moment(entries[-1]):
        entries = entries[::-1]
    return sorted(entries, key=moment)  # stable


def log_line(entry):
    """An entry as one line: timestamp, severity and message."""
    return " ".join(str(entry.get(key)) for key in ("timestamp", "severity", "message") if entry.get(key) is not None)
