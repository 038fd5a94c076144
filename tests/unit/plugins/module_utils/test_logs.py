# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for module_utils/logs.py: the window, the filters, the order and the line, on a fixed clock."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.sevalla.cloud.plugins.module_utils import logs
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaError

NOW = datetime(2026, 3, 9, 10, 15, 2, 345678, timezone.utc)


def params(**given):
    return dict(dict(since=None, to=None, severity=None, filters=None, process_key=None, lines=100, **{"from": None}),
                **given)


def query(**given):
    return logs.log_query(params(**given), clock=lambda: NOW)


def refused(words, **given):
    with pytest.raises(SevallaError) as caught:
        query(**given)
    assert words in str(caught.value), str(caught.value)
    return str(caught.value)


# --- since -------------------------------------------------------------------------

@pytest.mark.parametrize("since, seconds", [
    ("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), (" 10m ", 600), ("3650d", 3650 * 86400),
])
def test_since_durations(since, seconds):
    assert logs.parse_since(since) == timedelta(seconds=seconds)


@pytest.mark.parametrize("since", ["10", "m", "10x", "10 m", "-5m", "1.5h", "15M", "1w", "", "h1"])
def test_a_malformed_since_names_the_forms_it_takes(since):
    assert "such as 30s, 15m, 2h, 1d or 1h30m, got %r" % since in refused("since must be a duration", since=since)


@pytest.mark.parametrize("since", ["0s", "0m0s", "3651d"])
def test_since_out_of_range(since):
    refused("since must be more than 0s and at most 3650d, got %r" % since, since=since)


def test_since_ends_now_and_starts_that_long_before():
    assert query(since="10m") == {"from": "2026-03-09T10:05:02.345Z", "to": "2026-03-09T10:15:02.345Z", "limit": 100}


# --- from and to -----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2026-03-09T10:15:00Z", "2026-03-09T10:15:00.000Z"),
    ("2026-03-09T10:15:00.123456Z", "2026-03-09T10:15:00.123Z"),
    ("2026-03-09T10:15:00.1Z", "2026-03-09T10:15:00.100Z"),
    ("2026-03-09t10:15z", "2026-03-09T10:15:00.000Z"),
    ("2026-03-09T12:15:00+02:00", "2026-03-09T10:15:00.000Z"),
    ("2026-03-09T05:45:00-0430", "2026-03-09T10:15:00.000Z"),
    ("2026-03-09T11:15:00+01", "2026-03-09T10:15:00.000Z"),
    ("2026-03-09T10:15:00", "2026-03-09T10:15:00.000Z"),  # no zone: UTC
    ("2026-03-09 10:15:00.000", "2026-03-09T10:15:00.000Z"),  # an entry's timestamp
    ("2026-03-09 10:15:00+00:00", "2026-03-09T10:15:00.000Z"),  # what YAML makes of an unquoted timestamp
    ("2026-03-09", "2026-03-09T00:00:00.000Z"),
    ("2026-03-09T00:30:00+01:00", "2026-03-08T23:30:00.000Z"),  # the day changes with the zone
    ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"),
])
def test_times_are_sent_in_utc_with_z_to_the_millisecond(text, expected):
    assert logs.api_time(logs.parse_time("from", text)) == expected


@pytest.mark.parametrize("text", ["yesterday", "2026-03-09T25:00:00Z", "2026-02-30", "2025-02-29T00:00:00Z",
                                  "2026-3-9", "2026-03-09T10:15:00+25:00", "1741515300", "2026-03-09T10:15:00 UTC", ""])
def test_a_malformed_time_names_the_form_it_takes(text):
    refused("from must be an ISO 8601 date and time such as 2026-03-09T10:15:00Z (UTC when it has no Z or offset), "
            "got %r" % text, **{"from": text})


def test_from_and_to_are_sent_as_given():
    assert query(**{"from": "2026-03-09T09:00:00Z", "to": "2026-03-09T09:30:00+00:00"}) == {
        "from": "2026-03-09T09:00:00.000Z", "to": "2026-03-09T09:30:00.000Z", "limit": 100}


def test_only_from_ends_now():
    assert query(**{"from": "2026-03-09T09:00:00Z"})["to"] == "2026-03-09T10:15:02.345Z"


def test_only_to_is_the_hour_before_it():
    assert query(to="2026-03-01T12:00:00Z") == {"from": "2026-03-01T11:00:00.000Z", "to": "2026-03-01T12:00:00.000Z",
                                                "limit": 100}


def test_the_default_window_is_the_last_hour():
    assert query() == {"from": "2026-03-09T09:15:02.345Z", "to": "2026-03-09T10:15:02.345Z", "limit": 100}


def test_from_equal_to_to_is_a_window():
    assert query(**{"from": "2026-03-09T09:00:00Z", "to": "2026-03-09T09:00:00Z"})["from"] == "2026-03-09T09:00:00.000Z"


def test_from_after_to_fails():
    refused("from (2026-03-09T10:00:00.000Z) is after to (2026-03-09T09:00:00.000Z)",
            **{"from": "2026-03-09T12:00:00+02:00", "to": "2026-03-09T09:00:00Z"})


def test_from_after_now_without_to_fails():
    refused("from (2026-03-09T11:00:00.000Z) is after now (2026-03-09T10:15:02.345Z)", **{"from": "2026-03-09T11:00:00Z"})


@pytest.mark.parametrize("window", [{"from": "2026-03-09T09:00:00Z"}, {"to": "2026-03-09T09:00:00Z"},
                                    {"from": "2026-03-09T09:00:00Z", "to": "2026-03-09T10:00:00Z"}])
def test_since_with_from_or_to_fails(window):
    refused("since cannot be combined with from or to", since="10m", **window)


# --- lines, severity, filters, process_key ------------------------------------------------------

@pytest.mark.parametrize("lines", [0, -1, 5001])
def test_lines_out_of_range(lines):
    refused("lines must be between 1 and 5000, got %d" % lines, lines=lines)


@pytest.mark.parametrize("lines", [1, 5000])
def test_lines_is_the_limit(lines):
    assert query(lines=lines)["limit"] == lines


@pytest.mark.parametrize("severity, expected", [
    (["ERROR"], [{"key": "severity", "operator": "EQUALS", "value": "ERROR"}]),
    (["error"], [{"key": "severity", "operator": "EQUALS", "value": "ERROR"}]),
    (["ERROR", "warn"], [{"key": "severity", "operator": "IN", "values": ["ERROR", "WARN"]}]),
])
def test_severity_is_sent_as_a_filter(severity, expected):
    assert json.loads(query(severity=severity)["filters"]) == expected


def test_no_filter_no_filters_parameter():
    assert "filters" not in query(severity=[], filters=[])


def test_an_empty_severity_fails():
    refused("severity must hold levels such as ERROR or WARN", severity=["ERROR", " "])


def test_filters_are_sent_as_given_after_severity_in_compact_json():
    given = [{"key": "tags.container", "operator": "EQUALS", "value": "clock"},
             {"key": "attributes.status_code", "operator": "IN", "values": [500, 502]}]
    sent = query(severity=["ERROR"], filters=given)["filters"]
    assert sent == json.dumps([{"key": "severity", "operator": "EQUALS", "value": "ERROR"}] + given, separators=(",", ":"))


@pytest.mark.parametrize("item, words", [
    ({"value": "ERROR"}, "filters[0] needs both key and operator"),
    ({"key": "severity", "value": "ERROR"}, "filters[0] needs both key and operator"),
    ({"operator": "EQUALS", "value": "ERROR"}, "filters[0] needs both key and operator"),
    ({"key": "", "operator": "EQUALS", "value": "ERROR"}, "filters[0] needs both key and operator"),
    ({"key": "severity", "operator": 1, "value": "ERROR"}, "filters[0] needs both key and operator"),
    ({"key": "severity", "operator": "EQUALS"}, "filters[0] needs either value or values"),
    ({"key": "severity", "operator": "IN", "value": "A", "values": ["A"]}, "not both"),
    ({"key": "severity", "operator": "IN", "values": "ERROR"}, "filters[0]: values must be a list"),
    ({"key": "severity", "operator": "EQUALS", "value": "ERROR", "op": "x"}, "filters[0] has 'op'"),
    ("severity=ERROR", "filters[0] must be an object"),
])
def test_a_bad_filter_fails(item, words):
    refused(words, filters=[item])


def test_the_failing_filter_is_named_by_its_place():
    refused("filters[1] needs both key and operator",
            filters=[{"key": "severity", "operator": "EQUALS", "value": "ERROR"}, {"value": "x"}])


def test_a_bad_process_key_fails():
    refused("process_key must be 1 to 64 characters long", process_key="")


# --- the answer -------------------------------------------------------------------------

def entry(micros, message, severity="INFO", container="web"):
    return {"id": message, "message": message, "severity": severity, "timestamp": "t%d" % micros,
            "tags": {"container": container}, "unix_timestamp": micros}


def test_oldest_first_from_an_answer_newest_first_keeps_the_written_order_of_ties():
    # Written a, b, c (b and c at the same moment), d; the answer is newest first, so ties come c before b.
    answer = [entry(3, "d"), entry(2, "c"), entry(2, "b"), entry(1, "a")]
    assert [e["message"] for e in logs.oldest_first(answer)] == ["a", "b", "c", "d"]


def test_oldest_first_keeps_an_answer_that_is_oldest_first():
    answer = [entry(1, "a"), entry(2, "b"), entry(2, "c"), entry(3, "d")]
    assert [e["message"] for e in logs.oldest_first(answer)] == ["a", "b", "c", "d"]


def test_oldest_first_sorts_any_order():
    answer = [entry(2, "b"), entry(4, "d"), entry(1, "a"), entry(3, "c")]
    assert [e["message"] for e in logs.oldest_first(answer)] == ["a", "b", "c", "d"]
    assert logs.oldest_first([]) == []


def test_log_line():
    assert logs.log_line(entry(1, "started")) == "t1 INFO started"
    assert logs.log_line({"message": "no time"}) == "no time"


@pytest.mark.parametrize("body", [{}, None, ["line"], [{"unix_timestamp": "1"}], [{"unix_timestamp": None}]])
def test_a_bad_answer_fails(body):
    with pytest.raises(SevallaError) as caught:
        logs.checked_log_entries(body)
    assert "unexpected response shape" in str(caught.value)
