# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's runtime and access logs, the log read limit and the startup lines, over loopback HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests

from simulator.server import DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY, start_simulator
from simulator.validation import schema_error
from simulator.testing import IDS, api, control

HERE = Path(__file__).resolve().parent
APP = "/applications/%s" % IDS["demo_app"]
RUNTIME = APP + "/runtime-logs"
ACCESS = APP + "/access-logs"
SEEDED_RUNTIME_IN_LAST_HOUR = 7  # seed.json: 8 demo runtime entries, one of them 90 minutes old


def entries(sim, path=RUNTIME, **params):
    response = api(sim, "GET", path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def filtered(sim, path, *rules):
    return entries(sim, path, filters=json.dumps(list(rules)))


def iso(seconds_ago):
    moment = datetime.fromtimestamp(time.time() - seconds_ago, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def detail(response, status):
    assert response.status_code == status, response.text
    return response.json()["data"]["message"]


def test_a_fresh_simulator_has_runtime_entries_in_the_last_hour(sim):
    found = entries(sim)
    assert len(found) == SEEDED_RUNTIME_IN_LAST_HOUR
    assert schema_error("app_logs", found, "answer") is None
    assert {entry["service"] for entry in found} == {"APP_RUNTIME"}
    assert [entry["message"] for entry in found if entry["severity"] == "ERROR"] == [
        "Error: upstream payments-api timed out after 30000 ms"]
    assert {entry["tags"]["container"] for entry in found} == {"web", "worker"}
    assert {entry["tags"]["idApp"] for entry in found} == {IDS["demo_app"]}
    for entry in found:
        moment = datetime.fromtimestamp(entry["unix_timestamp"] / 1000000, timezone.utc)
        assert entry["timestamp"] == moment.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (moment.microsecond // 1000)
        assert 0 < time.time() - entry["unix_timestamp"] / 1000000 <= 3600
    assert len(entries(sim, "/applications/%s/runtime-logs" % IDS["big_app"])) == 2
    assert entries(sim, "/applications/%s/runtime-logs" % IDS["shop_eu_app"]) == []


def test_entries_come_newest_first(sim):
    stamps = [entry["unix_timestamp"] for entry in entries(sim)]
    assert stamps == sorted(stamps, reverse=True) and len(set(stamps)) == len(stamps)
    assert stamps != sorted(stamps), "oldest first would let a client's missing sort go unnoticed"
    assert entries(sim)[0]["message"] == "Cache warmed: 128 keys"


def test_from_and_to_choose_the_window(sim):
    assert len(entries(sim, **{"from": iso(7200)})) == SEEDED_RUNTIME_IN_LAST_HOUR + 1
    window = entries(sim, **{"from": iso(3500), "to": iso(2000)})
    assert [entry["message"] for entry in window] == [
        "Slow query: SELECT * FROM orders took 1532 ms", "Worker started, waiting for jobs on queue 'emails'",
        "Connected to database demo"]
    assert len(entries(sim, to=iso(1000))) == 5, "to alone: from an hour ago"
    assert entries(sim, **{"from": iso(100), "to": iso(200)}) == [], "from after to: nothing"
    coarse = datetime.fromtimestamp(time.time() - 7200, timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    assert len(entries(sim, **{"from": coarse})) == SEEDED_RUNTIME_IN_LAST_HOUR + 1, "a timestamp without seconds"
    assert "query.from" in detail(api(sim, "GET", RUNTIME, params={"from": "yesterday"}), 400)
    assert "query.to" in detail(api(sim, "GET", RUNTIME, params={"to": "2026-03-01T10:00:00+01:00"}), 400)


def test_limit_keeps_the_newest_entries(sim):
    everything = entries(sim)
    assert entries(sim, limit=2) == everything[:2]
    assert entries(sim, limit=5000) == everything
    assert "query.limit" in detail(api(sim, "GET", RUNTIME, params={"limit": 0}), 400)
    assert "query.limit" in detail(api(sim, "GET", RUNTIME, params={"limit": 5001}), 400)
    assert "'offset' was unexpected" in detail(api(sim, "GET", RUNTIME, params={"offset": 1}), 400), "no offset here"


def test_severity_filters(sim):
    errors = filtered(sim, RUNTIME, {"key": "severity", "operator": "EQUALS", "value": "ERROR"})
    assert [entry["severity"] for entry in errors] == ["ERROR"]
    loud = filtered(sim, RUNTIME, {"key": "severity", "operator": "IN", "values": ["ERROR", "WARN"]})
    assert [entry["severity"] for entry in loud] == ["ERROR", "WARN"]
    quiet = filtered(sim, RUNTIME, {"key": "severity", "operator": "NOT_IN", "values": ["ERROR", "WARN"]})
    assert len(quiet) == SEEDED_RUNTIME_IN_LAST_HOUR - 2 and "ERROR" not in {entry["severity"] for entry in quiet}
    assert filtered(sim, RUNTIME, {"key": "severity", "operator": "EQUALS", "value": "error"}) == [], "case-sensitive"


def test_filters_on_tags_attributes_and_message_all_apply(sim):
    worker = filtered(sim, RUNTIME, {"key": "container", "operator": "EQUALS", "value": "worker"})
    assert len(worker) == 3 and {entry["tags"]["container"] for entry in worker} == {"worker"}
    both = filtered(sim, RUNTIME, {"key": "tags.container", "operator": "EQUALS", "value": "worker"},
                    {"key": "message", "operator": "CONTAINS", "value": "jobs"})
    assert [entry["message"] for entry in both] == [
        "Processed 42 jobs from queue 'emails'", "Worker started, waiting for jobs on queue 'emails'"]
    failing = filtered(sim, ACCESS, {"key": "attributes.status_code", "operator": "IN", "values": [404, 500]})
    assert [entry["attributes"]["status_code"] for entry in failing] == [500, 404]
    assert filtered(sim, ACCESS, {"key": "nothing", "operator": "EQUALS", "value": "x"}) == []
    assert len(filtered(sim, ACCESS, {"key": "nothing", "operator": "NOT_EQUALS", "value": "x"})) == 5


@pytest.mark.parametrize("raw, words", [
    ("not json", "query.filters: not valid JSON"),
    ('{"key": "severity", "operator": "EQUALS", "value": "ERROR"}', "is not of type 'array'"),
    ('["severity"]', "query.filters.0: 'severity' is not of type 'object'"),
    ('[{"key": "severity"}]', "'operator' is a required property"),
    ('[{"operator": "EQUALS", "value": "ERROR"}]', "'key' is a required property"),
    ('[{"key": "severity", "operator": "LIKE", "value": "ERROR"}]', "query.filters.0.operator"),
    ('[{"key": "severity", "operator": "IN", "value": "ERROR"}]', "'values' is a required property"),
    ('[{"key": "severity", "operator": "EQUALS", "values": ["ERROR"]}]', "'value' is a required property"),
    ('[{"key": "severity", "operator": "EQUALS", "value": {"a": 1}}]', "query.filters.0.value"),
    ("7", "query.filters: 7 is not of type 'string'"),
])
@pytest.mark.parametrize("path", [RUNTIME, ACCESS])
def test_malformed_filters_are_400(sim, raw, words, path):
    assert words in detail(api(sim, "GET", path, params={"filters": raw}), 400)


def test_filters_twice_is_400(sim):
    rule = json.dumps([{"key": "severity", "operator": "EQUALS", "value": "ERROR"}])
    assert "query.filters" in detail(api(sim, "GET", RUNTIME, params=[("filters", rule), ("filters", rule)]), 400)


def test_an_exec_writes_the_command_and_its_output_tagged_with_the_process_key(sim):
    path = APP + "/processes/%s/exec"
    answer = api(sim, "POST", path % IDS["demo_web"], json={"command": ["cat", "/app/README.md", "nope"]}).json()
    assert answer["exit_code"] == 1
    newest = entries(sim, limit=4)
    assert [(entry["severity"], entry["message"]) for entry in newest] == [
        ("ERROR", "cat: nope: No such file or directory"),
        ("INFO", "Sample service deployed on the Sevalla simulator (process web)."),
        ("INFO", "# demo"),
        ("INFO", "exec: cat /app/README.md nope")]
    assert {entry["tags"]["container"] for entry in newest} == {"web"}
    api(sim, "POST", path % IDS["demo_worker"], json={"command": ["echo", "hello world"]})
    worker = entries(sim, limit=2)
    assert [(entry["tags"]["container"], entry["message"]) for entry in worker] == [
        ("worker", "hello world"), ("worker", "exec: echo 'hello world'")]
    assert api(sim, "POST", path % IDS["demo_idle"], json={"command": ["true"]}).status_code == 409
    assert entries(sim, limit=2) == worker, "an exec that did not run writes nothing"
    assert len(entries(sim, ACCESS)) == 5, "an exec writes no access entry"


def test_a_cron_trigger_writes_its_run_tagged_with_the_process_key(sim):
    trigger = APP + "/processes/%s/trigger"
    assert api(sim, "POST", trigger % IDS["demo_cron"]).status_code == 200
    run = entries(sim, limit=3)
    assert [entry["message"] for entry in run] == [
        "Cron run finished with exit code 0", "node src/cleanup.js: done",
        "Cron run started: node src/cleanup.js (schedule '0 */6 * * *', Europe/Amsterdam)"]
    assert {(entry["tags"]["container"], entry["service"]) for entry in run} == {("clock", "APP_RUNTIME")}
    assert api(sim, "POST", trigger % IDS["demo_web"]).status_code == 400
    assert entries(sim, limit=3) == run, "a refused trigger writes nothing"


def test_access_entries_are_seeded_for_the_web_process(sim):
    found = entries(sim, ACCESS)
    assert [entry["message"] for entry in found] == [
        "GET /api/orders 500 30004ms", "GET /missing 404 2ms", "POST /api/orders 201 35ms", "GET /api/orders 200 12ms",
        "GET / 200 3ms"]
    assert [entry["severity"] for entry in found] == ["ERROR", "WARN", "INFO", "INFO", "INFO"]
    assert {(entry["service"], entry["tags"]["container"]) for entry in found} == {("APP_ACCESS", "web")}
    assert found[0]["attributes"] == {"method": "GET", "path": "/api/orders", "status_code": 500, "duration_ms": 30004}
    assert schema_error("app_logs", found, "answer") is None


def test_the_control_hook_adds_and_clears_entries(sim):
    body = {"app_id": IDS["demo_app"], "source": "access", "entries": [
        {"message": "GET /old 200 1ms", "process_key": "web", "timestamp": iso(1800), "attributes": {"status_code": 200}},
        {"message": "GET /boom 502 9ms", "severity": "ERROR", "process_key": "web", "tags": {"region": "eu"}}]}
    added = control(sim, "POST", "logs", json=body)
    assert added.status_code == 200 and [entry["service"] for entry in added.json()["entries"]] == ["APP_ACCESS"] * 2
    found = entries(sim, ACCESS)
    assert found[0]["message"] == "GET /boom 502 9ms" and found[0]["tags"] == {
        "region": "eu", "idApp": IDS["demo_app"], "container": "web"}
    assert found[0]["severity"] == "ERROR" and found[0]["attributes"] == {}
    assert "GET /old 200 1ms" in [entry["message"] for entry in found] and len(found) == 7
    assert [entry["message"] for entry in filtered(sim, ACCESS, {"key": "region", "operator": "EQUALS", "value": "eu"})] == [
        "GET /boom 502 9ms"]
    assert len(entries(sim)) == SEEDED_RUNTIME_IN_LAST_HOUR, "the runtime log is apart"
    assert control(sim, "POST", "logs", json=dict(body, source="build")).status_code == 400
    assert control(sim, "POST", "logs", json=dict(body, entries=[{"message": "no process key"}])).status_code == 400
    assert control(sim, "POST", "logs", json=dict(body, entries=[])).status_code == 400
    assert control(sim, "POST", "logs", json=dict(body, app_id=IDS["unknown_app"])).status_code == 404
    assert control(sim, "DELETE", "logs").json() == {"ok": True}
    assert entries(sim, ACCESS) == [] and entries(sim) == []
    control(sim, "POST", "reset")
    assert len(entries(sim, ACCESS)) == 5 and len(entries(sim)) == SEEDED_RUNTIME_IN_LAST_HOUR


def test_reading_logs_needs_a_known_application_and_any_valid_key(sim):
    assert api(sim, "GET", RUNTIME, key=DEFAULT_READONLY_API_KEY).status_code == 200
    assert "no application" in detail(api(sim, "GET", "/applications/%s/access-logs" % IDS["unknown_app"]), 404)
    assert "path.id" in detail(api(sim, "GET", "/applications/not-a-uuid/runtime-logs"), 400)
    assert api(sim, "GET", RUNTIME, key="wrong").status_code == 401
    assert "use GET" in detail(api(sim, "POST", RUNTIME, json={}), 405)


def test_the_log_limit_is_off_by_default_and_shared_by_every_key(sim):
    assert control(sim, "GET", "config").json()["log_limit"] == 0
    assert all(api(sim, "GET", ACCESS).status_code == 200 for _read in range(40))
    assert control(sim, "POST", "config", json={"log_limit": 3}).json()["log_limit"] == 3
    first = api(sim, "GET", RUNTIME)
    assert (first.headers["x-ratelimit-limit"], first.headers["x-ratelimit-remaining"]) == ("3", "2")
    assert api(sim, "GET", ACCESS, key=DEFAULT_READONLY_API_KEY).status_code == 200
    assert api(sim, "GET", RUNTIME, params={"filters": "bad"}).status_code == 400, "a read that reaches the filters counts"
    limited = api(sim, "GET", ACCESS, key=DEFAULT_READONLY_API_KEY)
    assert "log reads per 60 s" in detail(limited, 429)
    assert 1 <= int(limited.headers["Retry-After"]) <= 60 and limited.headers["x-ratelimit-remaining"] == "0"
    assert limited.headers["x-ratelimit-reset"] == limited.headers["Retry-After"]
    assert api(sim, "GET", APP + "/env-vars").status_code == 200, "other reads are not log reads"
    assert "query.limit" in detail(api(sim, "GET", RUNTIME, params={"limit": 0}), 400), "a bad query is refused first"
    control(sim, "POST", "reset")
    assert control(sim, "GET", "config").json()["log_limit"] == 0 and api(sim, "GET", RUNTIME).status_code == 200


def test_the_log_limit_from_the_start():
    running = start_simulator(log_limit=1)
    try:
        statuses = [api(running, "GET", RUNTIME).status_code for _read in range(2)]
    finally:
        running.stop()
    assert statuses == [200, 429]


def test_the_log_limit_on_the_command_line():
    from simulator.__main__ import parse_args  # pylint: disable=import-outside-toplevel
    assert parse_args([]).log_limit == 0 and parse_args(["--log-limit", "30"]).log_limit == 30
    with pytest.raises(SystemExit):
        parse_args(["--log-limit", "-1"])


def test_the_command_line_prints_a_ready_line_to_export():
    process = subprocess.Popen([sys.executable, "-m", "simulator", "--port", "0", "--log-limit", "30",
                                "--api-key", "key with space"],
                               cwd=str(HERE.parent), stdout=subprocess.PIPE, text=True)
    try:
        first, second = process.stdout.readline(), process.stdout.readline()
        assert first.startswith("SEVALLA_SIMULATOR_URL=http://127.0.0.1:")
        url = first.strip().split("=", 1)[1]
        assert second == "export SEVALLA_API_URL=%s/v3 SEVALLA_API_KEY='key with space'\n" % url
        shell = subprocess.run(["sh", "-c", second + 'printf "%s|%s" "$SEVALLA_API_URL" "$SEVALLA_API_KEY"'],
                               capture_output=True, text=True, check=True)
        api_url, key = shell.stdout.split("|")
        answer = requests.get(api_url + "/applications/global-env-vars", headers={"Authorization": "Bearer " + key},
                              timeout=10)
        assert answer.status_code == 200 and answer.json()["total"] == 3
        assert requests.get(url + "/_simulator/config", timeout=10).json()["log_limit"] == 30
    finally:
        process.terminate()
        process.wait(timeout=15)
    default_key = subprocess.Popen([sys.executable, "-m", "simulator", "--port", "0"], cwd=str(HERE.parent),
                                   stdout=subprocess.PIPE, text=True)
    try:
        default_key.stdout.readline()
        assert default_key.stdout.readline().endswith(" SEVALLA_API_KEY=%s\n" % DEFAULT_API_KEY)
    finally:
        default_key.terminate()
        default_key.wait(timeout=15)
