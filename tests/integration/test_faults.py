# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults injected into the simulator, and how real ad-hoc and playbook runs of the modules handle them.

Task durations come from the sevalla_json callback (module run time, without Ansible's start-up).
Each measured figure is printed as "MEASURED ..." (see them with pytest -s); docs/reliability.md quotes them.
"""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest

from conftest import API_KEY, READONLY_API_KEY
from reliability import IDS, run_env, run_module, run_playbook_file
from reliability.tls import make_certificates, start_tls_simulator

APP = IDS["demo_app"]
WEB = IDS["demo_web"]
WORKER = IDS["demo_worker"]
PROCESS_PATH = "/v3/applications/%s/processes/%s" % (APP, WEB)
WORKER_PATH = "/v3/applications/%s/processes/%s" % (APP, WORKER)
API_MESSAGES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 409: "Conflict",
                429: "Too many requests", 500: "Internal server error"}


def measured(what, **figures):
    print("MEASURED %s: %s" % (what, ", ".join("%s=%s" % item for item in figures.items())))


def read_web(simulator, **args):
    return run_module(simulator, "sevalla_process_info", dict(app_id=APP, process_id=WEB, **args))


def rename_worker(simulator, name, **args):
    return run_module(simulator, "sevalla_process", dict(app_id=APP, process_id=WORKER, display_name=name, **args))


def run_in_web(simulator, argv, **args):
    return run_module(simulator, "sevalla_process_exec", dict(app_id=APP, process_id=WEB, argv=argv, **args))


def statuses(simulator, method=None):
    return [entry["status"] for entry in simulator.requests(method)]


def succeeded(run):
    assert run.returncode == 0 and run.tasks[0]["status"] == "ok", str(run)
    run.assert_no_traceback()
    return run.result


def failed(run):
    assert run.returncode != 0 and run.tasks[0]["status"] == "failed", str(run)
    run.assert_no_traceback()
    return run.result


def assert_names_request(result, entry):
    """The failure names the status, the API's message and the request id the simulator logged."""
    status = entry["status"]
    assert re.search(r"\b%d\b" % status, result["msg"]), result["msg"]
    assert result["api_error"]["message"] and result["api_error"]["message"] in result["msg"], result["msg"]
    if entry["fault"] == "status":  # the simulator's own message for an injected status
        assert result["api_error"]["message"] == API_MESSAGES[status]
    assert "request id %s" % entry["request_id"] in result["msg"], result["msg"]
    assert result["api_error"]["status"] == status
    assert result["api_error"]["request_id"] == entry["request_id"]


@pytest.fixture
def arrivals(simulator, monkeypatch):
    """(monotonic time, response headers) of each request the in-process simulator logs, in log order."""
    log = simulator.server.simulator.log
    seen = []
    record = log.record

    def timed_record(request, response):
        seen.append((time.monotonic(), dict(response.headers)))
        record(request, response)

    monkeypatch.setattr(log, "record", timed_record)
    return seen


@pytest.fixture(scope="module")
def baseline_seconds(simulator_server):
    """How long reading one process takes without faults (the best of two runs; the first warms caches)."""
    simulator_server.reset()
    runs = [read_web(simulator_server), read_web(simulator_server)]
    for run in runs:
        succeeded(run)
    return min(run.task_seconds for run in runs)


# ---------------------------------------------------------------------------
# 429 Too Many Requests.

def test_429_waits_for_the_reset_then_succeeds(simulator, arrivals, baseline_seconds):
    simulator.inject(method="GET", path=PROCESS_PATH + "$", count=1, status=429, headers={"x-ratelimit-reset": "1"})
    run = read_web(simulator)
    assert succeeded(run)["processes"][0]["id"] == WEB
    assert statuses(simulator) == [429, 200]
    waited = run.task_seconds - baseline_seconds
    gap = arrivals[1][0] - arrivals[0][0]
    measured("429 then success", baseline_s=baseline_seconds, task_s=run.task_seconds, waited_s=round(waited, 2),
             gap_between_requests_s=round(gap, 2), requests=2)
    assert 1.0 <= gap < 1.5  # the wait itself, measured where the requests arrive
    assert 0.5 <= waited < 5  # the same seen from the task's duration, noisier


def test_429_more_often_than_api_retries_allows_fails(simulator, arrivals):
    simulator.inject(method="GET", path=PROCESS_PATH + "$", count=3, status=429, headers={"x-ratelimit-reset": "1"})
    run = read_web(simulator, api_retries=2)
    result = failed(run)
    assert "gave up after 3 attempts, the rate limit resets in 1 s" in result["msg"], result["msg"]
    assert statuses(simulator) == [429, 429, 429]
    assert_names_request(result, simulator.requests()[-1])
    span = arrivals[-1][0] - arrivals[0][0]
    measured("429 x3 with api_retries=2", task_s=run.task_seconds, first_to_last_request_s=round(span, 2), requests=3)
    assert 2.0 <= span < 3


def test_real_rate_limit_third_update_waits_for_the_window(simulator, arrivals, monkeypatch):
    """mutation_limit 2 on the simulator's real limiter: the third PATCH gets 429, waits, and succeeds.

    The limiter's window is a fixed 60 s. So that the wait takes seconds, not up to a minute, the full window
    is aged once (in-process) to end REMAINING seconds later; the limiter does the counting, the rejection and
    the x-ratelimit-reset header.
    """
    remaining = 2
    limiter = simulator.server.simulator.limiter
    hit = limiter.hit
    aged = []

    def hit_in_an_aged_window(role, method):
        with limiter.lock:
            window = limiter.windows.get((role, "mutation"))
            if method != "GET" and not aged and window and window[1] >= limiter.limits["mutation"]:
                window[0] = limiter.clock() - (60 - remaining)
                aged.append(role)
        return hit(role, method)

    monkeypatch.setattr(limiter, "hit", hit_in_an_aged_window)
    simulator.control("POST", "config", {"mutation_limit": 2})
    try:
        run = run_playbook_file(simulator, "rate_limit.yml")
    finally:
        simulator.control("POST", "config", {"mutation_limit": 0})
    assert run.returncode == 0, str(run)
    entries = simulator.requests()
    patches = [(entry, seen) for entry, seen in zip(entries, arrivals) if entry["method"] == "PATCH"]
    assert [entry["status"] for entry, seen in patches] == [200, 200, 429, 200], json.dumps(entries, indent=1)
    assert [entry["fault"] for entry, seen in patches] == [None] * 4  # the 429 came from the limiter
    reset = int(patches[2][1][1]["x-ratelimit-reset"])
    gap = patches[3][1][0] - patches[2][1][0]
    seconds = [task["seconds"] for task in run.tasks if task["action"] == "sevalla.cloud.sevalla_process"]
    measured("real rate limit, mutation_limit=2", task_s=seconds, patch_statuses=[200, 200, 429, 200],
             advertised_reset_s=reset, gap_429_to_retry_s=round(gap, 2))
    assert aged and reset == remaining
    assert reset <= gap < reset + 1


def test_real_rate_limit_names_the_reset_when_retries_are_off(simulator):
    simulator.control("POST", "config", {"mutation_limit": 1})
    try:
        succeeded(rename_worker(simulator, "first"))
        result = failed(rename_worker(simulator, "second", api_retries=0))
    finally:
        simulator.control("POST", "config", {"mutation_limit": 0})
    entry = simulator.requests("PATCH")[-1]
    assert entry["status"] == 429 and entry["fault"] is None
    assert re.search(r"the rate limit resets in \d+ s, at \d\d:\d\d:\d\d UTC", result["msg"]), result["msg"]
    assert_names_request(result, entry)


# ---------------------------------------------------------------------------
# 5xx, dropped connections and timeouts.

@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_on_get_is_retried(simulator, status):
    simulator.inject(method="GET", path=PROCESS_PATH + "$", count=1, status=status)
    run = read_web(simulator)
    succeeded(run)
    assert statuses(simulator) == [status, 200]
    measured("%d on GET" % status, task_s=run.task_seconds, GET=2)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_on_patch_is_retried(simulator, status):
    name = "Worker after a %d" % status
    simulator.inject(method="PATCH", path=WORKER_PATH + "$", count=1, status=status)
    run = rename_worker(simulator, name)
    result = succeeded(run)
    assert result["changed"] and result["process"]["display_name"] == name
    assert statuses(simulator, "GET") == [200]
    assert statuses(simulator, "PATCH") == [status, 200]
    measured("%d on PATCH" % status, task_s=run.task_seconds, GET=1, PATCH=2)


def test_500_on_exec_is_not_retried(simulator):
    simulator.inject(method="POST", path="/exec$", count=1, status=500)
    run = run_in_web(simulator, ["touch", "/tmp/once"])
    result = failed(run)
    posts = simulator.requests("POST")
    assert [entry["status"] for entry in posts] == [500]
    assert_names_request(result, posts[0])
    assert "may or may not have run" in result["msg"]
    measured("500 on exec POST", task_s=run.task_seconds, POST=1)


def test_delay_beyond_api_timeout_fails_in_bounded_time(simulator, baseline_seconds):
    api_timeout, api_retries, delay = 1, 1, 3
    simulator.inject(method="GET", path=PROCESS_PATH + "$", count=api_retries + 1, delay=delay)
    try:
        run = read_web(simulator, api_timeout=api_timeout, api_retries=api_retries)
    finally:
        # The delayed answers are still pending; left alone they would land in the next test's log.
        time.sleep(delay)
    result = failed(run)
    assert "timed out after 1 s (api_timeout), after 2 attempts" in result["msg"], result["msg"]
    # Each attempt waits api_timeout, one backoff of at most 1 s between them, plus a fault-free run and 1 s.
    bound = round(api_timeout * (api_retries + 1) + 1 + baseline_seconds + 1, 2)
    measured("GET delayed %d s, api_timeout=%d, api_retries=%d" % (delay, api_timeout, api_retries),
             task_s=run.task_seconds, bound_s=bound)
    assert run.task_seconds < bound
    # Both attempts reached the simulator: the rule is used up. (The simulator does not log a request whose
    # client left before the answer, so the log cannot count them.)
    assert simulator.control("GET", "faults")["count"] == 0


def test_dropped_connection_on_get_is_retried(simulator):
    simulator.inject(method="GET", path=PROCESS_PATH + "$", count=1, drop=True)
    run = read_web(simulator)
    succeeded(run)
    assert statuses(simulator) == [None, 200]
    measured("dropped GET", task_s=run.task_seconds, GET=2)


def test_dropped_connection_on_exec_is_not_retried(simulator):
    simulator.inject(method="POST", path="/exec$", count=1, drop=True)
    result = failed(run_in_web(simulator, ["true"]))
    assert statuses(simulator, "POST") == [None]
    assert "connection was dropped" in result["msg"] and "may or may not have run" in result["msg"]


# ---------------------------------------------------------------------------
# API errors: 400, 401, 403, 404 and 409.

def test_400_injected(simulator):
    simulator.inject(method="GET", path=PROCESS_PATH + "$", count=1, status=400)
    result = failed(read_web(simulator))
    assert_names_request(result, simulator.requests()[0])


def test_400_from_simulator_validation(simulator):
    unknown_resource_type = IDS["unknown_process"]  # a valid UUID that is no resource type
    result = failed(run_module(simulator, "sevalla_process",
                               dict(app_id=APP, process_id=WORKER, resource_type_id=unknown_resource_type)))
    entry = simulator.requests("PATCH")[0]
    assert_names_request(result, entry)
    assert "is not a known process resource type" in result["msg"]  # the API's detail


def test_401_wrong_key(simulator):
    result = failed(run_module(simulator, "sevalla_process_info", dict(app_id=APP, process_id=WEB),
                               api_key="not-the-simulator-key"))
    entry = simulator.requests()[0]
    assert entry["auth"] == "invalid"
    assert_names_request(result, entry)


def test_403_read_only_key_on_patch(simulator):
    result = failed(run_module(simulator, "sevalla_process", dict(app_id=APP, process_id=WORKER, display_name="no"),
                               api_key=READONLY_API_KEY))
    entry = simulator.requests("PATCH")[0]
    assert entry["role"] == "readonly"
    assert_names_request(result, entry)


def test_403_read_only_key_on_write_exec(simulator):
    result = failed(run_module(simulator, "sevalla_process_exec", dict(app_id=APP, process_id=WEB, argv=["rm", "-rf", "/tmp"]),
                               api_key=READONLY_API_KEY))
    assert_names_request(result, simulator.requests("POST")[0])
    assert "read-only" in result["msg"]


def test_404_unknown_process(simulator):
    result = failed(run_module(simulator, "sevalla_process", dict(app_id=APP, process_id=IDS["unknown_process"], port=8080)))
    assert_names_request(result, simulator.requests()[0])
    assert "Process not found" in result["msg"]


def test_404_unknown_application(simulator):
    result = failed(run_module(simulator, "sevalla_process_info", dict(app_id=IDS["unknown_app"])))
    assert_names_request(result, simulator.requests()[0])


def test_409_exec_in_a_process_scaled_to_zero(simulator):
    result = failed(run_module(simulator, "sevalla_process_exec", dict(app_id=APP, process_id=IDS["demo_idle"], argv=["ls"])))
    assert_names_request(result, simulator.requests("POST")[0])
    assert "scaled to zero" in result["msg"]


# ---------------------------------------------------------------------------
# Answers that are not JSON, or JSON of the wrong shape. Every case is one task of one generated playbook;
# the fault rules are registered up front in the same order, and the simulator applies the first rule that
# matches a request, so each case gets its own bad answer (and an unexpected extra request would show in the
# request count). About 0.35 s a case, against 1.1 s for an ad-hoc run each.

NOT_JSON = "the response body is not JSON"
SHAPE = "unexpected response shape"
BODIES = [
    ("html", "<html>Bad gateway</html>", NOT_JSON),
    ("truncated", '{"id": "', NOT_JSON),
    ("empty", "", SHAPE),
    ("object", '{"unexpected": 1}', SHAPE),
    ("list", "[1, 2]", SHAPE),
    ("string", '"a string"', SHAPE),
]
READ_ONE = ("sevalla_process_info", dict(app_id=APP, process_id=WEB), "GET", PROCESS_PATH + "$")
READ_LIST = ("sevalla_process_info", dict(app_id=APP), "GET", "/processes$")
UPDATE = ("sevalla_process", dict(app_id=APP, process_id=WORKER, display_name="Worker with a bad answer"),
          "PATCH", WORKER_PATH + "$")
EXEC = ("sevalla_process_exec", dict(app_id=APP, process_id=WEB, argv=["true"]), "POST", "/exec$")


def body_case(name, call, body, expected):
    module, args, method, path = call
    return pytest.param(name, module, args, {"method": method, "path": path, "count": 1, "body": body}, expected,
                        id=name)


BODY_CASES = (
    [body_case("get-" + name, READ_ONE, body, expected) for name, body, expected in BODIES]
    + [body_case("get-process-without-id", READ_ONE, '{"key": "web", "type": "web"}', SHAPE)]
    + [body_case("list-" + name, READ_LIST, body, expected) for name, body, expected in BODIES]
    + [body_case("list-item-without-id", READ_LIST, '{"data": [{"key": "web"}], "total": 1}', SHAPE),
       body_case("list-data-not-a-list", READ_LIST, '{"data": {}, "total": 1}', SHAPE)]
    + [body_case("patch-" + name, UPDATE, body, expected) for name, body, expected in BODIES]
    + [body_case("patch-process-without-id", UPDATE, '{"key": "worker", "type": "worker"}', SHAPE)]
    + [body_case("exec-" + name, EXEC, body, expected) for name, body, expected in BODIES]
    + [body_case("exec-no-exit-code", EXEC, '{"stdout": "x", "stderr": ""}', SHAPE),
       body_case("exec-exit-code-string", EXEC, '{"stdout": "", "stderr": "", "exit_code": "0"}', SHAPE),
       body_case("exec-exit-code-bool", EXEC, '{"stdout": "", "stderr": "", "exit_code": true}', SHAPE),
       body_case("exec-stdout-not-a-string", EXEC, '{"stdout": 5, "stderr": "", "exit_code": 0}', SHAPE),
       body_case("exec-stderr-a-list", EXEC, '{"stdout": "", "stderr": ["a"], "exit_code": 0}', SHAPE)]
)


def write_bad_body_playbook(path):
    tasks = [{"name": param.values[0], "sevalla.cloud." + param.values[1]: param.values[2], "ignore_errors": True}
             for param in BODY_CASES]
    path.write_text(json.dumps([{"name": "Bad answers", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]))


@pytest.fixture(scope="module")
def bad_body_run(simulator_server, tmp_path_factory):
    simulator_server.reset()
    for param in BODY_CASES:
        simulator_server.inject(**param.values[3])
    playbook = tmp_path_factory.mktemp("bad_bodies") / "bad_bodies.yml"
    write_bad_body_playbook(playbook)
    run = run_playbook_file(simulator_server, playbook)
    return run, simulator_server.requests(), simulator_server.control("GET", "faults")


def test_bad_bodies_each_hit_one_request(bad_body_run):
    run, requests, faults = bad_body_run
    assert faults["count"] == 0, "fault rules left unused: %s" % faults
    modules = [param.values[1] for param in BODY_CASES]
    # One request a case (the update reads the process first): a bad answer is never asked again.
    assert len(requests) == len(modules) + modules.count("sevalla_process")
    assert len([entry for entry in requests if entry["method"] == "POST"]) == modules.count("sevalla_process_exec")


@pytest.mark.parametrize("name, module, args, fault, expected", BODY_CASES)
def test_bad_body_fails_cleanly(bad_body_run, name, module, args, fault, expected):
    run, requests, faults = bad_body_run
    task = run.task(name)
    msg = str(task["result"].get("msg"))
    assert not msg.startswith("Task failed: Module failed:"), "the module crashed: " + msg
    assert "Traceback" not in json.dumps(task["result"])
    assert task["status"] == "failed", json.dumps(task["result"], indent=1)
    assert expected in msg, msg
    assert task["result"]["api_error"]["method"] == fault["method"]


def test_bad_body_output_has_no_traceback(bad_body_run):
    run, requests, faults = bad_body_run
    for marker in ("Traceback (most recent call last)", "MODULE FAILURE"):
        assert marker not in run.output


# ---------------------------------------------------------------------------
# TLS: certificates are verified by default; a private CA is trusted through REQUESTS_CA_BUNDLE.

@pytest.mark.parametrize("module", ["sevalla_process", "sevalla_process_exec", "sevalla_process_info"])
def test_validate_certs_defaults_to_true_in_the_docs(module):
    output = subprocess.run(["ansible-doc", "--json", "sevalla.cloud." + module], capture_output=True, text=True,
                            check=True).stdout
    option = json.loads(output)["sevalla.cloud." + module]["doc"]["options"]["validate_certs"]
    assert option["type"] == "bool" and option["default"] is True


@pytest.fixture(scope="module")
def tls_simulator(tmp_path_factory):
    certificates = make_certificates(tmp_path_factory.mktemp("tls"))
    server = start_tls_simulator(certificates, API_KEY, READONLY_API_KEY)
    yield server, certificates
    server.stop()


def read_web_over_tls(tls_simulator, ca_bundle=None, **args):
    server, certificates = tls_simulator
    server.simulator.reset()
    server.httpd.connections = 0
    env = run_env(server)
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTPS_PROXY", "https_proxy"):
        env.pop(name, None)
    if ca_bundle:
        env["REQUESTS_CA_BUNDLE"] = str(certificates[ca_bundle])
    return run_module(server, "sevalla_process_info", dict(app_id=APP, process_id=WEB, **args), env=env)


def test_untrusted_certificate_fails_and_is_not_retried(tls_simulator):
    server, certificates = tls_simulator
    result = failed(read_web_over_tls(tls_simulator, api_retries=3))
    assert "TLS error" in result["msg"] and "REQUESTS_CA_BUNDLE" in result["msg"], result["msg"]
    assert "CERTIFICATE_VERIFY_FAILED" in result["msg"], result["msg"]
    assert server.httpd.connections == 1  # one handshake, not api_retries + 1
    assert server.simulator.log.select() == []


def test_private_ca_trusted_through_requests_ca_bundle(tls_simulator):
    server, certificates = tls_simulator
    assert succeeded(read_web_over_tls(tls_simulator, ca_bundle="ca.pem"))["processes"][0]["id"] == WEB
    assert [entry["status"] for entry in server.simulator.log.select()] == [200]


def test_validate_certs_false_accepts_the_certificate(tls_simulator):
    server, certificates = tls_simulator
    succeeded(read_web_over_tls(tls_simulator, validate_certs=False))
    assert [entry["auth"] for entry in server.simulator.log.select()] == ["valid"]
