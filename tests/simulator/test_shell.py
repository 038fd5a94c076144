# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The exec shell's sh -c and working directory: on a process's shell directly, then through the exec route."""

from __future__ import annotations

import time

import pytest
import requests

from simulator.server import DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY
from simulator.shell import READ_ONLY_COMMANDS
from simulator.testing import IDS
from simulator.state import SimulatorState

SPACES = "/app/dir with spaces"
QUOTES = "/app/it's \"quoted\""
CD_AND_RUN = 'cd "$1" && shift && exec "$@"'


@pytest.fixture(scope="module")
def state():
    return SimulatorState()


@pytest.fixture
def shell(state):
    """The demo web process's shell, as the seed has it."""
    state.reset()
    return state.shell(IDS["demo_app"], IDS["demo_web"])


def sh(shell, script, *args, timeout=15):
    return shell.run(["sh", "-c", script] + list(args), timeout)


@pytest.mark.parametrize("script, args, expected", [
    # ; && || and $?
    ("echo a; false; echo $?", [], ("a\n1\n", "", 0)),
    ("true && echo yes && false && echo no", [], ("yes\n", "", 1)),
    ("false || echo fallback || echo never", [], ("fallback\n", "", 0)),
    ("false && echo no || echo yes; true || echo no", [], ("yes\n", "", 0)),
    ("false; echo $?; true; echo $?", [], ("1\n0\n", "", 0)),
    ("echo a\n\necho b &&\n echo c", [], ("a\nb\nc\n", "", 0)),
    # variables and quotes
    ("echo $APP_NAME ${APP_NAME}-x $UNSET. $HOME", [], ("demo demo-x . /app\n", "", 0)),
    ("echo '$HOME \"x\"' \"$HOME 'y'\" \"a\\\"b\" c\\ d", [], ("$HOME \"x\" /app 'y' a\"b c d\n", "", 0)),
    ("echo \"\" x", [], (" x\n", "", 0)),
    # positional parameters, shift
    ("echo $0 $#", [], ("sh 0\n", "", 0)),
    ('echo $0 $# $1 "$2"', ["name", "a", "b  c"], ("name 2 a b  c\n", "", 0)),
    ("echo $2", ["name", "a", "b  c"], ("b c\n", "", 0)),
    ('echo "${1}" "$*"', ["name", "a", "b"], ("a a b\n", "", 0)),
    ("shift 2; echo $# $1; shift; echo $#", ["n", "a", "b", "c"], ("1 c\n0\n", "", 0)),
    ("shift 5 || echo refused $?", ["n", "a"], ("refused 2\n", "sh: shift: can't shift that many\n", 0)),
    ('cat "$@"', ["n", SPACES + "/notes.txt"], ("a directory whose name has spaces\n", "", 0)),
    ("cat $@", ["n", SPACES + "/notes.txt"],
     ("", "cat: /app/dir: No such file or directory\ncat: with: No such file or directory\n"
          "cat: spaces/notes.txt: No such file or directory\n", 1)),
    ('echo "x$@y"', ["n", "a b", "c"], ("xa b cy\n", "", 0)),
    ('test "$@" || echo none', ["n"], ("none\n", "", 0)),
    # cd and the working directory, pwd, exec, exit
    ("cd src && pwd && ls && cat migrate.js", [], ("/app/src\nmigrate.js\nconsole.log('no pending migrations');\n", "", 0)),
    ("cd; pwd; cd /tmp; cd ..; pwd", [], ("/app\n/\n", "", 0)),
    ("cd /nope && echo no; echo $?", [], ("2\n", "sh: cd: can't cd to /nope\n", 0)),
    ("cd /tmp && sh -c pwd", [], ("/tmp\n", "", 0)),
    ("exec echo hi; echo never", [], ("hi\n", "", 0)),
    ("exec false; echo never", [], ("", "", 1)),
    ("exit 3; echo never", [], ("", "", 3)),
    ("nope; echo $?", [], ("127\n", "sh: nope: not found\n", 0)),
    # > and >>
    ("echo $HOME > /tmp/home && cat /tmp/home", [], ("/app\n", "", 0)),
    ("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; echo three > /tmp/f; cat /tmp/f", [],
     ("one\ntwo\nthree\n", "", 0)),
    ("cd /tmp && echo rel >relative && cat /tmp/relative", [], ("rel\n", "", 0)),
    ('echo hi > "$1" && cat "$1"', ["n", SPACES + "/out file"], ("hi\n", "", 0)),
    ("echo gone > /dev/null; echo kept", [], ("kept\n", "", 0)),
    ("echo x > /nope/f; echo $?", [], ("2\n", "sh: cannot create /nope/f: Directory nonexistent\n", 0)),
    ("echo x > /tmp", [], ("", "sh: cannot create /tmp: Is a directory\n", 2)),
    ("echo old > /tmp/e; > /tmp/e; cat /tmp/e; >> /tmp/new && test -f /tmp/new && echo made", [], ("made\n", "", 0)),
    ("exec; echo still here", [], ("still here\n", "", 0)),
])
def test_sh_runs_simple_commands(shell, script, args, expected):
    assert sh(shell, script, *args) == expected


@pytest.mark.parametrize("directory, command, output", [
    (SPACES, ["ls", "-la"], "-rw-r--r-- 1 app app    34 Jan 30 10:15 notes.txt\n"),
    (QUOTES, ["cat", "notes.txt"], "a directory whose name has quotes\n"),
    (QUOTES, ["pwd"], QUOTES + "\n"),
])
def test_cd_then_exec_passes_awkward_names_safely(shell, directory, command, output):
    stdout, stderr, status = sh(shell, CD_AND_RUN, "sh", directory, *command)
    assert (stderr, status) == ("", 0) and stdout.endswith(output)


def test_arguments_are_never_parsed_again(shell):
    tricky = ["$(touch /tmp/owned)", "; touch /tmp/owned", "`touch /tmp/owned`", "*", "$HOME", "a'b\"c", "x > /tmp/owned"]
    assert sh(shell, 'exec "$@"', "sh", "echo", *tricky) == (" ".join(tricky) + "\n", "", 0)
    assert sh(shell, "test -e /tmp/owned") == ("", "", 1)


@pytest.mark.parametrize("script, words", [
    ("ls | wc -l", "pipes"),
    ("echo $(pwd)", "command substitution"),
    ("echo `pwd`", "command substitution"),
    ('echo "`pwd`"', "command substitution"),
    ("ls *.js", "globbing"),
    ("cat /app/?", "globbing"),
    ("[ -d /tmp ]", "globbing"),
    ("sleep 1 &", "background"),
    ("cat < /etc/hostname", "input redirects"),
    ("(cd /tmp)", "subshells"),
    ("echo ${HOME:-/}", "${HOME:-/}"),
    ("echo $$", "$$"),
    ("if true; then echo; fi", "'if'"),
    ("FOO=1 env", "variable assignments"),
    ("echo hi 2> /tmp/err", "file descriptors (2>)"),
    ("echo hi # note", "comments"),
    ("cd ~", "tilde"),
])
def test_unsupported_syntax_is_refused_before_anything_runs(shell, script, words):
    stdout, stderr, status = sh(shell, "touch /tmp/ran; " + script)
    assert (stdout, status) == ("", 2)
    assert stderr.startswith("sh: unsupported syntax in the simulator's sh: ") and words in stderr
    assert sh(shell, "test -e /tmp/ran")[2] == 1, "nothing of the script ran"


@pytest.mark.parametrize("argv, message", [
    (["sh", "-c", "echo 'open"], "sh: syntax error: unterminated quoted string\n"),
    (["sh", "-c", 'echo "open'], "sh: syntax error: unterminated quoted string\n"),
    (["sh", "-c", "&& echo"], "sh: syntax error near '&&'\n"),
    (["sh", "-c", "echo a;; echo b"], "sh: syntax error near ';'\n"),
    (["sh", "-c", "echo a ||"], "sh: syntax error: the script ends after ||\n"),
    (["sh", "-c", "echo a >"], "sh: syntax error: > needs a file name\n"),
    (["sh", "-c"], "sh: -c: option requires an argument\n"),
    (["sh"], "sh: only 'sh -c SCRIPT [NAME [ARG...]]' is supported here\n"),
    (["sh", "/app/script.sh"], "sh: only 'sh -c SCRIPT [NAME [ARG...]]' is supported here\n"),
])
def test_sh_syntax_and_usage_errors_exit_2(shell, argv, message):
    assert shell.run(argv, 15) == ("", message, 2)


def test_the_timeout_covers_the_whole_script(shell):
    started = time.monotonic()
    stdout, stderr, status = sh(shell, "sleep 0.6; echo middle; sleep 0.6; echo never", timeout=1)
    assert (stdout, stderr, status) == ("middle\n", "command timed out after 1 seconds\n", 124)
    assert 0.9 <= time.monotonic() - started < 1.5


def test_commands_outside_sh_run_in_app_and_pwd_is_read_only(shell):
    assert shell.run(["pwd"], 15) == ("/app\n", "", 0)
    assert shell.run(["ls"], 15)[0].startswith("README.md\ndir with spaces\nit's \"quoted\"\npackage.json\n")
    assert shell.run(["cat", "src/migrate.js"], 15)[2] == 0
    assert "pwd" in READ_ONLY_COMMANDS and "sh" not in READ_ONLY_COMMANDS


# --- Through the exec route --------------------------------------------------

def run(sim, command, key=DEFAULT_API_KEY):
    path = "/applications/%s/processes/%s/exec" % (IDS["demo_app"], IDS["demo_web"])
    return requests.post(sim.api_url + path, headers={"Authorization": "Bearer " + key}, json={"command": command},
                         timeout=30)


def test_exec_runs_sh_lines_from_the_docs(sim):
    home = run(sim, ["sh", "-c", "echo $HOME > /tmp/home && cat /tmp/home"])
    assert home.status_code == 200 and home.json() == {"stdout": "/app\n", "stderr": "", "exit_code": 0}
    listed = run(sim, ["sh", "-c", CD_AND_RUN, "sh", SPACES, "ls", "-la"]).json()
    assert listed["exit_code"] == 0 and listed["stdout"].endswith(" notes.txt\n")
    quoted = run(sim, ["sh", "-c", CD_AND_RUN, "sh", QUOTES, "pwd"]).json()
    assert quoted == {"stdout": QUOTES + "\n", "stderr": "", "exit_code": 0}
    assert run(sim, ["sh", "-c", "ls | wc -l"]).json()["exit_code"] == 2


def test_the_read_only_key_may_not_run_sh_but_may_run_pwd(sim):
    refused = run(sim, ["sh", "-c", "echo x > /tmp/x"], key=DEFAULT_READONLY_API_KEY)
    assert refused.status_code == 403 and "not 'sh'" in refused.json()["data"]["message"]
    assert run(sim, ["test", "-e", "/tmp/x"]).json()["exit_code"] == 1
    assert run(sim, ["pwd"], key=DEFAULT_READONLY_API_KEY).json() == {"stdout": "/app\n", "stderr": "", "exit_code": 0}
