# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for sevalla_process_exec: ansible.builtin.command's contract over the exec API."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

import pytest
import requests

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.sevalla.cloud.plugins.modules import sevalla_process_exec
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
WEB_ID = "11111111-1111-4111-8111-111111111111"
PROCESSES_URL = "%s/applications/%s/processes" % (API, APP_ID)
EXEC_URL = "%s/%s/exec" % (PROCESSES_URL, WEB_ID)
RESULT_KEYS = {"rc", "stdout", "stderr", "stdout_lines", "stderr_lines", "cmd", "start", "end", "delta", "msg", "changed"}
BY_ID = {"app_id": APP_ID, "process_id": WEB_ID}


def answer(stdout="", stderr="", exit_code=0):
    return {"stdout": stdout, "stderr": stderr, "exit_code": exit_code}


def api_error(status, message):
    return {"message": message, "status": status, "data": {"code": "err-%d" % status, "message": message}}


def bodies(requests_mock):
    return [request.json() for request in requests_mock.request_history if request.method == "POST"]


@pytest.fixture
def warnings(monkeypatch):
    seen = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, message: seen.append(message))
    return seen


@pytest.fixture
def run(run_module):
    def run_exec(check_mode=False, **args):
        return run_module(sevalla_process_exec, dict(BY_ID, **args), check_mode=check_mode)
    return run_exec


@pytest.fixture
def test_e(requests_mock):
    """Answer `test -e PATH` with rc 0 for the paths in `existing`, 1 otherwise; other commands succeed."""
    existing = set()

    def respond(request, context):
        command = request.json()["command"]
        if command[:2] == ["test", "-e"]:
            return answer(exit_code=0 if command[2] in existing else 1)
        return answer(stdout="ran\n")

    requests_mock.post(EXEC_URL, json=respond)
    return existing


# --- Forms of the command ---------------------------------------------------

def test_argv_runs_with_one_post(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer("total 8\n.\n"))
    result = run(argv=["ls", "-la", "/app"])
    assert not result["failed"] and result["changed"]
    assert result["rc"] == 0 and result["msg"] == ""
    assert result["stdout"] == "total 8\n." and result["stdout_lines"] == ["total 8", "."]
    assert result["cmd"] == ["ls", "-la", "/app"]
    assert bodies(requests_mock) == [{"command": ["ls", "-la", "/app"], "timeout": 15}]
    assert requests_mock.call_count == 1
    assert RESULT_KEYS <= set(result)


def test_command_is_an_alias_of_argv(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer())
    run(command=["env"])
    assert bodies(requests_mock) == [{"command": ["env"], "timeout": 15}]


def test_cmd_is_split_like_a_shell_line(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer())
    result = run(cmd="""grep -r 'two words' "/app/my dir" it\\'s""")
    assert result["cmd"] == ["grep", "-r", "two words", "/app/my dir", "it's"]
    assert bodies(requests_mock)[0]["command"] == result["cmd"]


def test_start_end_delta_have_command_format(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer())
    result = run(argv=["true"])
    stamp = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$"
    assert re.match(stamp, result["start"]) and re.match(stamp, result["end"])
    assert re.match(r"^\d+:\d\d:\d\d(\.\d+)?$", result["delta"])


def test_by_key_lists_then_posts(run_module, requests_mock):
    requests_mock.get(PROCESSES_URL, json={"data": [{"id": WEB_ID, "key": "web", "type": "web"}], "total": 1})
    requests_mock.post(EXEC_URL, json=answer())
    result = run_module(sevalla_process_exec, {"app_id": APP_ID, "process_key": "web", "cmd": "ls"})
    assert not result["failed"]
    assert [request.method for request in requests_mock.request_history] == ["GET", "POST"]


def test_unknown_key_fails_before_exec(run_module, requests_mock):
    requests_mock.get(PROCESSES_URL, json={"data": [{"id": WEB_ID, "key": "web", "type": "web"}], "total": 1})
    result = run_module(sevalla_process_exec, {"app_id": APP_ID, "process_key": "nope", "cmd": "ls"})
    assert result["failed"] and "Existing keys: web" in result["msg"]
    assert requests_mock.call_count == 1


# --- Exit codes ----------------------------------------------------------------

@pytest.mark.parametrize("exit_code, stderr", [(1, ""), (127, "exec: \"nope\": executable file not found\n")])
def test_non_zero_exit_fails_with_every_key(run, requests_mock, exit_code, stderr):
    requests_mock.post(EXEC_URL, json=answer(stdout="partial\n", stderr=stderr, exit_code=exit_code))
    result = run(argv=["nope"])
    assert result["failed"] and result["changed"]
    assert result["msg"] == "non-zero return code"
    assert result["rc"] == exit_code
    assert result["stdout"] == "partial" and result["stderr"] == stderr.rstrip("\n")
    assert result["stderr_lines"] == stderr.splitlines()
    assert RESULT_KEYS <= set(result) and result["start"] and result["delta"]


def test_lines_follow_the_output(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer(stdout="a\nb\r\n\n", stderr="warn 1\nwarn 2\n"))
    result = run(argv=["x"])
    assert result["stdout"] == "a\nb" and result["stdout_lines"] == ["a", "b"]
    assert result["stderr"] == "warn 1\nwarn 2" and result["stderr_lines"] == ["warn 1", "warn 2"]


def test_strip_empty_ends_false_keeps_newlines(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer(stdout="a\n\n", stderr="e\n"))
    result = run(argv=["x"], strip_empty_ends=False)
    assert result["stdout"] == "a\n\n" and result["stderr"] == "e\n"
    assert result["stdout_lines"] == ["a", ""] and result["stderr_lines"] == ["e"]


# --- creates and removes -------------------------------------------------------

def test_creates_existing_skips(run, test_e, requests_mock):
    test_e.add("/tmp/done")
    result = run(argv=["migrate"], creates="/tmp/done")
    assert not result["failed"] and not result["changed"]
    assert result["rc"] == 0
    assert result["stdout"] == "skipped, since /tmp/done exists"
    assert result["stdout_lines"] == ["skipped, since /tmp/done exists"]
    assert result["msg"] == "Did not run command since '/tmp/done' exists"
    assert result["start"] is None and result["delta"] is None
    assert bodies(requests_mock) == [{"command": ["test", "-e", "/tmp/done"], "timeout": 15}]


def test_creates_missing_runs(run, test_e, requests_mock):
    result = run(argv=["migrate"], creates="/tmp/done")
    assert result["changed"] and result["stdout"] == "ran"
    assert [body["command"] for body in bodies(requests_mock)] == [["test", "-e", "/tmp/done"], ["migrate"]]


def test_removes_missing_skips(run, test_e, requests_mock):
    result = run(argv=["rm", "/tmp/x"], removes="/tmp/x")
    assert not result["changed"] and result["rc"] == 0
    assert result["stdout"] == "skipped, since /tmp/x does not exist"
    assert result["msg"] == "Did not run command since '/tmp/x' does not exist"
    assert len(bodies(requests_mock)) == 1


def test_removes_existing_runs(run, test_e, requests_mock):
    test_e.add("/tmp/x")
    result = run(argv=["rm", "/tmp/x"], removes="/tmp/x")
    assert result["changed"] and len(bodies(requests_mock)) == 2


def test_creates_is_checked_before_removes(run, test_e, requests_mock):
    test_e.update(["/tmp/done", "/tmp/x"])
    result = run(argv=["x"], creates="/tmp/done", removes="/tmp/x")
    assert result["msg"] == "Did not run command since '/tmp/done' exists"
    assert len(bodies(requests_mock)) == 1


def test_test_command_failing_otherwise_fails_clearly(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer(stderr="test: not found", exit_code=127))
    result = run(argv=["x"], creates="/tmp/done")
    assert result["failed"]
    assert "Could not check creates=/tmp/done" in result["msg"] and "127" in result["msg"]
    assert "test: not found" in result["msg"]
    assert len(bodies(requests_mock)) == 1


# --- Check mode ------------------------------------------------------------------

def test_check_mode_sends_nothing(run, requests_mock):
    result = run(check_mode=True, argv=["touch", "/tmp/x"])
    assert requests_mock.call_count == 0
    assert result["skipped"] and not result["changed"] and not result["failed"]
    assert result["rc"] == 0 and result["msg"] == "Command would have run if not in check mode"
    assert result["cmd"] == ["touch", "/tmp/x"] and result["start"] is None


def test_check_mode_by_key_sends_nothing(run_module, requests_mock):
    result = run_module(sevalla_process_exec, {"app_id": APP_ID, "process_key": "web", "argv": ["true"]}, check_mode=True)
    assert requests_mock.call_count == 0
    assert result["skipped"] and not result["changed"]


def test_check_mode_creates_missing_reports_change(run, test_e, requests_mock):
    result = run(check_mode=True, argv=["migrate"], creates="/tmp/done")
    assert result["changed"] and "skipped" not in result
    assert result["rc"] == 0 and result["msg"] == "Command would have run if not in check mode"
    assert [body["command"] for body in bodies(requests_mock)] == [["test", "-e", "/tmp/done"]]


def test_check_mode_creates_existing_would_not_run(run, test_e, requests_mock):
    test_e.add("/tmp/done")
    result = run(check_mode=True, argv=["migrate"], creates="/tmp/done")
    assert not result["changed"] and result["rc"] == 0
    assert result["msg"] == "Would not run command since '/tmp/done' exists"
    assert len(bodies(requests_mock)) == 1


def test_check_mode_removes_missing_would_not_run(run, test_e, requests_mock):
    result = run(check_mode=True, argv=["rm", "/tmp/x"], removes="/tmp/x")
    assert not result["changed"]
    assert result["msg"] == "Would not run command since '/tmp/x' does not exist"


def test_check_mode_removes_existing_reports_change(run, test_e, requests_mock):
    test_e.add("/tmp/x")
    result = run(check_mode=True, argv=["rm", "/tmp/x"], removes="/tmp/x")
    assert result["changed"] and len(bodies(requests_mock)) == 1


# --- chdir, through sh with the directory as an argument -------------------------

CHDIR = ["sh", "-c", 'cd "$1" && shift && exec "$@"', "sh"]


@pytest.mark.parametrize("directory", ["/app/src", "/app/dir with spaces", "/app/it's \"quoted\"", "$(reboot); `x`", "src"])
def test_chdir_passes_the_directory_and_argv_to_sh_as_arguments(run, requests_mock, directory):
    requests_mock.post(EXEC_URL, json=answer("/app/src\n"))
    result = run(argv=["ls", "-la", "a b"], chdir=directory)
    sent = CHDIR + [directory, "ls", "-la", "a b"]
    assert bodies(requests_mock) == [{"command": sent, "timeout": 15}]
    assert result["cmd"] == sent and result["rc"] == 0 and result["changed"]


def test_chdir_with_cmd_splits_the_command_only(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer())
    run(cmd="cat 'my file'", chdir="/app")
    assert bodies(requests_mock)[0]["command"] == CHDIR + ["/app", "cat", "my file"]


def test_an_empty_chdir_is_ignored_like_command(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer())
    assert run(argv=["pwd"], chdir="")["cmd"] == ["pwd"]
    assert bodies(requests_mock)[0]["command"] == ["pwd"]


def test_creates_and_removes_are_tested_in_chdir(run, requests_mock):
    requests_mock.post(EXEC_URL, [{"json": answer(exit_code=1)}, {"json": answer(exit_code=0)}, {"json": answer()}])
    result = run(argv=["touch", "done"], chdir="/app", creates="done", removes="/app/input")
    assert [body["command"] for body in bodies(requests_mock)] == [
        CHDIR + ["/app", "test", "-e", "done"],
        CHDIR + ["/app", "test", "-e", "/app/input"],
        CHDIR + ["/app", "touch", "done"],
    ]
    assert result["changed"]


def test_a_chdir_that_cannot_be_entered_fails_the_creates_check_clearly(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer(stderr="sh: cd: can't cd to /nope\n", exit_code=2))
    result = run(argv=["touch", "done"], chdir="/nope", creates="done")
    assert result["failed"] and len(bodies(requests_mock)) == 1
    assert result["msg"] == ("Could not check creates=done: 'test -e done' in /nope exited with 2 in the process %s "
                             "of application %s: sh: cd: can't cd to /nope\n" % (WEB_ID, APP_ID))


def test_95_arguments_are_accepted_with_chdir(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer())
    assert not run(argv=["x"] * 95, chdir="/app")["failed"]
    assert len(bodies(requests_mock)[0]["command"]) == 100


def test_chdir_in_check_mode_sends_nothing(run, requests_mock):
    result = run(check_mode=True, argv=["ls"], chdir="/app")
    assert result["skipped"] and requests_mock.call_count == 0


# --- Validation: nothing is sent ----------------------------------------------

@pytest.mark.parametrize("args, message", [
    ({"argv": ["ls"], "timeout": 0}, "timeout must be between 1 and 60, got 0"),
    ({"argv": ["ls"], "timeout": 61}, "timeout must be between 1 and 60, got 61"),
    ({"argv": ["ls"], "cmd": "ls"}, "mutually exclusive"),
    ({}, "one of the following is required: argv, cmd"),
    ({"argv": []}, "argv must hold 1 to 100 arguments, got 0"),
    ({"argv": ["x"] * 101}, "argv must hold 1 to 100 arguments, got 101"),
    ({"cmd": "   "}, "cmd must hold 1 to 100 arguments, got 0"),
    ({"cmd": "echo 'unclosed"}, "cmd could not be split into arguments"),
    ({"argv": [""]}, "argv: the program name, the first argument, must not be empty or blank, got ''"),
    ({"argv": [" \t", "x"]}, "argv: the program name, the first argument, must not be empty or blank"),
    ({"cmd": "'' ls"}, "cmd: the program name, the first argument, must not be empty or blank"),
    ({"argv": ["ls", "a\0b"]}, "argv: argument 1 contains a NUL character"),
    ({"argv": ["l\0s"]}, "argv: argument 0 contains a NUL character"),
    ({"cmd": "ls a\0b"}, "cmd: argument 1 contains a NUL character"),
    ({"argv": ["ls"], "creates": "/tmp/\0x"}, "creates contains a NUL character"),
    ({"argv": ["ls"], "removes": "\0"}, "removes contains a NUL character"),
    ({"argv": ["ls"], "chdir": "/app/\0"}, "chdir contains a NUL character"),
    ({"argv": ["ls"], "chdir": "-P"}, "chdir must not start with '-', which cd would read as an option: write ./-P"),
    ({"argv": ["x"] * 96, "chdir": "/app"}, "argv must hold 1 to 95 arguments with chdir"),
    ({"argv": ["ls"], "process_id": "not-a-uuid"}, "process_id must be a UUID"),
])
def test_invalid_input_sends_nothing(run, requests_mock, args, message):
    result = run(**args)
    assert requests_mock.call_count == 0
    if "NUL" in message and result["msg"].startswith("Failed to log to syslog (embedded null character)"):
        message = "embedded null character"  # ansible-core 2.21 logs the arguments first, and refuses them itself
    assert result["failed"] and message in result["msg"]


@pytest.mark.parametrize("option", ["creates", "removes"])
def test_an_empty_creates_or_removes_is_ignored_like_command(run, requests_mock, option):
    requests_mock.post(EXEC_URL, json=answer("ran\n"))
    result = run(argv=["migrate"], **{option: ""})
    assert not result["failed"] and result["changed"] and result["stdout"] == "ran"
    assert bodies(requests_mock) == [{"command": ["migrate"], "timeout": 15}]


@pytest.mark.parametrize("option", ["creates", "removes"])
def test_an_empty_creates_or_removes_in_check_mode_sends_nothing(run, requests_mock, option):
    result = run(check_mode=True, argv=["migrate"], **{option: ""})
    assert result["skipped"] and not result["changed"] and requests_mock.call_count == 0


def test_process_id_and_key_together_fail(run_module, requests_mock):
    result = run_module(sevalla_process_exec, {"app_id": APP_ID, "process_id": WEB_ID, "process_key": "web",
                                               "argv": ["ls"]})
    assert result["failed"] and "mutually exclusive" in result["msg"]
    assert requests_mock.call_count == 0


def test_100_arguments_are_accepted(run, requests_mock):
    requests_mock.post(EXEC_URL, json=answer())
    assert not run(argv=["x"] * 100)["failed"]


# --- Transport: timeouts and retries --------------------------------------------

@pytest.mark.parametrize("timeout, api_timeout, read_timeout", [(15, 30, 30), (60, 30, 70), (25, 5, 35)])
def test_read_timeout_outlasts_the_command(run, requests_mock, timeout, api_timeout, read_timeout):
    requests_mock.post(EXEC_URL, json=answer())
    run(argv=["sleep", "1"], timeout=timeout, api_timeout=api_timeout)
    request = requests_mock.request_history[0]
    assert request.json()["timeout"] == timeout
    assert request.timeout == read_timeout and request.timeout > timeout


def test_500_is_sent_once(run, requests_mock, no_sleep):
    requests_mock.post(EXEC_URL, status_code=500, reason="Internal Server Error",
                       json=api_error(500, "Internal Server Error"), headers={"x-request-id": "req-500"})
    result = run(argv=["migrate"])
    assert requests_mock.call_count == 1 and no_sleep == []
    assert result["failed"] and not result["changed"] and result["rc"] is None
    assert "may or may not have run" in result["msg"] and "not sent again" in result["msg"]
    assert "500" in result["msg"] and "req-500" in result["msg"]
    assert result["api_error"]["status"] == 500 and result["api_error"]["request_id"] == "req-500"
    assert RESULT_KEYS <= set(result) and result["cmd"] == ["migrate"]


def test_read_timeout_is_sent_once(run, requests_mock):
    requests_mock.post(EXEC_URL, exc=requests.exceptions.ReadTimeout("read timed out"))
    result = run(argv=["migrate"])
    assert requests_mock.call_count == 1
    assert result["failed"] and "may or may not have run" in result["msg"]
    assert result["api_error"]["status"] is None


def test_429_then_200_retries(run, requests_mock, no_sleep):
    requests_mock.post(EXEC_URL, [
        {"status_code": 429, "json": api_error(429, "Too Many Requests"), "headers": {"Retry-After": "2"}},
        {"json": answer("ok\n")},
    ])
    result = run(argv=["ls"])
    assert requests_mock.call_count == 2 and no_sleep == [2.0]
    assert not result["failed"] and result["stdout"] == "ok"


# --- API errors ------------------------------------------------------------------

def test_403_explains_read_only_keys(run, requests_mock):
    requests_mock.post(EXEC_URL, status_code=403, reason="Forbidden", json=api_error(403, "Forbidden"),
                       headers={"x-request-id": "req-403"})
    result = run(argv=["touch", "/tmp/x"])
    assert result["failed"] and requests_mock.call_count == 1
    assert "The API key is not allowed to run this command" in result["msg"]
    assert "read-only keys can run only read-only commands" in result["msg"]
    assert "403" in result["msg"] and "Forbidden" in result["msg"] and "req-403" in result["msg"]
    assert result["api_error"]["status"] == 403 and result["api_error"]["method"] == "POST"


def test_403_with_chdir_says_that_sh_is_not_read_only(run, requests_mock):
    requests_mock.post(EXEC_URL, status_code=403, reason="Forbidden", json=api_error(403, "Forbidden"))
    result = run(argv=["ls"], chdir="/app")
    assert result["failed"] and requests_mock.call_count == 1
    assert ("read-only keys can run only read-only commands such as ls, cat, env, ps or grep; chdir runs the command "
            "through sh, which is not one") in result["msg"]


def test_404_names_the_process(run, requests_mock):
    requests_mock.post(EXEC_URL, status_code=404, reason="Not Found", json=api_error(404, "Not Found"))
    result = run(argv=["ls"])
    assert result["failed"]
    assert "process %s of application %s was not found" % (WEB_ID, APP_ID) in result["msg"]
    assert result["api_error"]["status"] == 404


def test_404_on_the_list_names_the_application(run_module, requests_mock):
    requests_mock.get(PROCESSES_URL, status_code=404, reason="Not Found", json=api_error(404, "Not Found"))
    result = run_module(sevalla_process_exec, {"app_id": APP_ID, "process_key": "web", "cmd": "ls"})
    assert result["failed"] and "Application %s was not found" % APP_ID in result["msg"]


def test_409_says_no_running_instance(run_module, requests_mock):
    requests_mock.get(PROCESSES_URL, json={"data": [{"id": WEB_ID, "key": "idle", "type": "worker"}], "total": 1})
    requests_mock.post(EXEC_URL, status_code=409, reason="Conflict", json=api_error(409, "No running instances"))
    result = run_module(sevalla_process_exec, {"app_id": APP_ID, "process_key": "idle", "cmd": "ls"})
    assert result["failed"]
    assert "process with the key 'idle' of application %s has no running instance" % APP_ID in result["msg"]
    assert "409" in result["msg"]


@pytest.mark.parametrize("answer", [
    {"stdout": "x"},
    {"stdout": 1, "stderr": "", "exit_code": 0},
    {"stdout": "", "stderr": ["e"], "exit_code": 0},
    {"stdout": "", "stderr": "", "exit_code": "0"},
    {"stdout": "", "stderr": "", "exit_code": True},
    ["not", "an", "object"],
])
def test_unexpected_answer_fails(run, requests_mock, answer):
    requests_mock.post(EXEC_URL, json=answer)
    result = run(argv=["ls"])
    assert result["failed"] and "unexpected response shape" in result["msg"]
    assert result["msg"].startswith("The command may or may not have run in the process %s" % WEB_ID)
    assert requests_mock.call_count == 1


@pytest.mark.parametrize("text", ["<html>ok</html>", "{truncated", "[" * 100000 + "]" * 100000])
def test_a_200_that_cannot_be_read_may_or_may_not_have_run(run, requests_mock, text):
    requests_mock.post(EXEC_URL, text=text, headers={"x-request-id": "req-200"})
    result = run(argv=["migrate"])
    assert result["failed"] and not result["changed"] and result["rc"] is None
    assert result["msg"].startswith("The command may or may not have run in the process %s" % WEB_ID)
    assert "not sent again" in result["msg"] and "req-200" in result["msg"]
    assert requests_mock.call_count == 1 and RESULT_KEYS <= set(result)


# --- Output that Ansible could not return --------------------------------------

SURROGATES = '{"stdout": "a\\ud800b\\n", "stderr": "\\udfff", "exit_code": 0}'


def test_lone_surrogates_in_the_output_are_replaced(run, requests_mock):
    requests_mock.post(EXEC_URL, text=SURROGATES)
    result = run(argv=["cat", "/app/binary"])
    assert not result["failed"] and result["changed"] and result["rc"] == 0
    assert result["stdout"] == "a\ufffdb" and result["stderr"] == "\ufffd"
    assert result["stdout_lines"] == ["a\ufffdb"]
    json.dumps(result, ensure_ascii=False).encode("utf-8")  # what Ansible's strict UTF-8 check needs


def test_lone_surrogates_survive_a_failure_result(run, requests_mock):
    requests_mock.post(EXEC_URL, text=SURROGATES.replace('"exit_code": 0', '"exit_code": 3'))
    result = run(argv=["cat", "/app/binary"])
    assert result["failed"] and result["rc"] == 3 and result["stderr"] == "\ufffd"
    json.dumps(result, ensure_ascii=False).encode("utf-8")


# --- Shell syntax warning ----------------------------------------------------------

@pytest.mark.parametrize("cmd, found", [
    ("ls /app | wc -l", "|"),
    ("echo hi > /tmp/x", ">"),
    ("cat < /tmp/x", "<"),
    ("true; false", ";"),
    ("true && false", "&&"),
    ("true || false", "||"),
    ("echo $(date)", "$("),
    ("echo `date`", "`"),
    ("ls /tmp/*.log", "*"),
    ("ls /tmp/?.log", "?"),
    ("ls /tmp/[ab].log", "["),
])
def test_shell_syntax_warns(run, requests_mock, warnings, cmd, found):
    requests_mock.post(EXEC_URL, json=answer())
    run(cmd=cmd)
    assert len(warnings) == 1
    assert "(%s" % found in warnings[0] or " %s" % found in warnings[0]
    assert "passed to the command literally" in warnings[0] and "[sh, -c" in warnings[0]


@pytest.mark.parametrize("args", [
    {"cmd": "ls -la /app"},
    {"cmd": "sh -c 'ls /app | wc -l'"},
    {"cmd": 'grep "a|b" /app/log'},
    {"argv": ["sh", "-c", "ls | wc -l"]},
])
def test_no_warning_without_unquoted_shell_syntax(run, requests_mock, warnings, args):
    requests_mock.post(EXEC_URL, json=answer())
    run(**args)
    assert warnings == []


# --- Output that is not UTF-8 -------------------------------------------------

def test_output_that_is_not_utf8_is_decoded_as_command_does(run, requests_mock):
    """Invalid bytes become U+FFFD and the task succeeds with the command's rc, as ansible.builtin.command does."""
    requests_mock.post(EXEC_URL, content=b'{"stdout": "caf\xe9\\n\xff\xfe", "stderr": "\x80", "exit_code": 3}')
    result = run(argv=["cat", "latin1.txt"])
    assert result["rc"] == 3 and result["msg"] == "non-zero return code"
    assert result["stdout"] == "caf\ufffd\n\ufffd\ufffd" and result["stderr"] == "\ufffd"
    assert "may or may not have run" not in result["msg"]
    assert requests_mock.call_count == 1


def test_output_that_is_not_utf8_with_rc_0_succeeds(run, requests_mock):
    requests_mock.post(EXEC_URL, content=b'{"stdout": "\xff", "stderr": "", "exit_code": 0}')
    result = run(argv=["cat", "x"])
    assert result["failed"] is False and result["rc"] == 0 and result["stdout"] == "\ufffd"
