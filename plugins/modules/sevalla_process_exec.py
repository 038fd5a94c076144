#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_process_exec
short_description: Run a command in a Sevalla application process
version_added: 0.1.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Runs one command in a running instance of a Sevalla application process with
    C(POST /applications/{id}/processes/{process_id}/exec), and returns its exit code and output.
  - Follows the contract of M(ansible.builtin.command) - the same return values, O(creates) and O(removes)
    skips, O(strip_empty_ends) and check mode behaviour - so C(register), C(changed_when) and C(failed_when)
    work the same way.
  - The API runs the argument vector directly, B(not through a shell). Pipes, redirects, globbing, variables
    and chaining with C(;) or C(&&) are passed to the command literally. To run a shell line, run the
    shell yourself, O(argv=[sh, -c, "..."]), when the image has one.
  - O(chdir) runs the command in another directory, as in M(ansible.builtin.command), through C(sh).
  - A command may run for at most 60 seconds (O(timeout)). For longer work, such as a data migration, create
    a process of type C(job) with M(sevalla.cloud.sevalla_process) and a
    O(sevalla.cloud.sevalla_process#module:job_start_policy), and run a deployment with
    M(sevalla.cloud.sevalla_deployment). The job runs before or after the deployment, without the time limit
    of the exec API.
  - A non-zero exit code fails the task with C(msg=non-zero return code) and every return value.
  - The command is sent at most once, see O(api_retries). When it may have run all the same, the task fails
    and says that the command may or may not have run.
  - With O(process_id) the command costs one request. With O(process_key) the process list is read first,
    all pages of it. With O(app_name) the application list is read first, all pages of it.
  - Every option is checked before the first request.
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.application
  - sevalla.cloud.api.process
attributes:
  check_mode:
    description: Does not run the command.
    support: partial
    details:
      - The command is not run. O(creates) and O(removes) are still evaluated, with a read-only
        C(test -e) command in the process, and the result tells whether the command would have run.
      - Without O(creates) and O(removes) nothing is sent, not even the look-up of O(app_name) or
        O(process_key). With them, O(app_name) and O(process_key) are resolved first.
  diff_mode:
    description: Returns no diff.
    support: none
options:
  argv:
    description:
      - The command as a list of arguments, the program first, for example V([ls, -la, /app]).
      - Sent as is, from 1 to 100 items. The first item, the program, must not be empty or blank, and no
        item may contain a NUL character.
      - Quote items that YAML would read as another type, for example V("false") or V("0644"); an unquoted
        V(false) becomes the string V(False).
      - Exactly one of O(argv) and O(cmd) is required.
    type: list
    elements: str
    aliases:
      - command
  cmd:
    description:
      - The command as one string, split into arguments with Python's C(shlex.split), so quotes group words
        as in a shell, for example V(ls -la "/app/my dir").
      - No shell runs it. When O(cmd) holds unquoted shell syntax (C(|), C(>), C(<), C(;), C(&&), C(||),
        C($(), backticks, C(*), C(?) or C([)) the module warns that it is passed literally.
      - A string that splits into no argument, or into more than 100, fails.
      - Exactly one of O(argv) and O(cmd) is required.
    type: str
  chdir:
    description:
      - Directory in the process to run the command in, as in M(ansible.builtin.command). A relative path is
        relative to the process's working directory.
      - The API has no such option, so the command is run as
        C(sh -c 'cd "$1" && shift && exec "$@"' sh DIR COMMAND...), with the directory and every argument
        passed as arguments to C(sh), never pasted into its script, so any path is safe. RV(cmd) shows that
        argument vector. The process image needs C(sh), and a read-only API key cannot use O(chdir) (C(sh)
        is not a read-only command).
      - A directory that does not exist fails the task with the exit code of C(sh) (V(2) in most shells)
        and its message in RV(stderr).
      - Relative O(creates) and O(removes) paths are relative to O(chdir), as in M(ansible.builtin.command).
      - An empty value is ignored, as in M(ansible.builtin.command). It must not start with C(-) (write
        V(./-dir)) or contain a NUL character.
    type: str
  timeout:
    description:
      - Seconds the API lets the command run before aborting it, from 1 to 60.
      - The module waits for the answer O(timeout) plus 10 seconds, or O(api_timeout) if that is longer.
        That bounds the request as a whole, including reading the output.
    type: int
    default: 15
  creates:
    description:
      - Path inside the process. When it exists, the command is not run.
      - An empty value is ignored and the command runs, as in M(ansible.builtin.command).
      - Checked first, with the command C(test -e PATH) in the process, so the image needs C(test). The path
        is not a pattern; globs are not expanded. With O(chdir), a relative path is relative to it.
    type: str
  removes:
    description:
      - Path inside the process. When it does not exist, the command is not run.
      - An empty value is ignored and the command runs, as in M(ansible.builtin.command).
      - Checked after O(creates), with the command C(test -e PATH) in the process. The path is not a
        pattern; globs are not expanded. With O(chdir), a relative path is relative to it.
    type: str
  strip_empty_ends:
    description:
      - Strip trailing newlines and carriage returns from C(stdout) and C(stderr), as
        M(ansible.builtin.command) does.
    type: bool
    default: true
notes:
  - A read-only API key can run read-only commands only, such as C(ls), C(cat), C(env), C(ps) or C(grep).
    Other commands fail with C(403 Forbidden), and so does O(chdir), which runs C(sh).
  - The exec API lets a command run for at most 60 seconds. Run longer work as a C(job) process started by a
    deployment, see the description.
  - A process with no running instance, for example one scaled to zero, cannot run commands
    (C(409 Conflict)).
seealso:
  - module: ansible.builtin.command
  - module: sevalla.cloud.sevalla_process_info
  - module: sevalla.cloud.sevalla_process
    description: A C(job) process runs longer work around a deployment.
  - module: sevalla.cloud.sevalla_deployment
"""

EXAMPLES = r"""
# Ad hoc, with the key in SEVALLA_API_KEY (Ansible prints the arguments of a failed ad-hoc task):
#   ansible localhost -m sevalla.cloud.sevalla_process_exec \
#     -a 'app_id=fb5e5168-4281-4bec-94c5-0d1584e9e657 process_key=web cmd="ls -la /app"'

- name: Read a file from the web process
  sevalla.cloud.sevalla_process_exec:
    app_id: "{{ app_id }}"
    process_key: web
    cmd: cat /app/package.json
  register: package_json
  changed_when: false

- name: Show it
  ansible.builtin.debug:
    var: package_json.stdout_lines

- name: Record the environment once; creates skips the command when the file exists
  sevalla.cloud.sevalla_process_exec:
    app_id: "{{ app_id }}"
    process_key: web
    argv: [sh, -c, 'echo "$NODE_ENV" > /tmp/node-env && cat /tmp/node-env']
    creates: /tmp/node-env
    timeout: 60

- name: List a directory whose name has spaces; chdir passes it to sh as an argument
  sevalla.cloud.sevalla_process_exec:
    app_id: "{{ app_id }}"
    process_key: web
    chdir: /app/dir with spaces
    argv: [ls, -la]
  changed_when: false

- name: Look for a maintenance flag; test exits with 1 when it is missing
  sevalla.cloud.sevalla_process_exec:
    app_id: "{{ app_id }}"
    process_id: "{{ web_process_id }}"
    argv: [test, -f, /app/.maintenance]
  register: maintenance
  changed_when: false
  failed_when: maintenance.rc not in [0, 1]

- name: Clear the cache only when it exists
  sevalla.cloud.sevalla_process_exec:
    app_id: "{{ app_id }}"
    process_key: web
    cmd: rm -rf /tmp/cache
    removes: /tmp/cache
"""

RETURN = r"""
rc:
  description:
    - Exit code of the command, as the API reports it. V(0) when the command was skipped or not run in
      check mode.
    - V(null) when the task failed before the command ran, for example on an API error. ansible-core 2.21
      and later leave a V(null) RV(rc) out of the task result, so test it with C(rc | default(none)).
  returned: always
  type: int
  sample: 0
stdout:
  description:
    - Standard output of the command, without trailing newlines when O(strip_empty_ends=true).
    - Text that Ansible cannot return, such as a lone UTF-16 surrogate, is replaced with U+FFFD.
  returned: always
  type: str
  sample: "total 8\ndrwxr-xr-x 2 app app 4096 Jan 1 00:00 ."
stderr:
  description:
    - Standard error of the command, without trailing newlines when O(strip_empty_ends=true).
    - Text that Ansible cannot return, such as a lone UTF-16 surrogate, is replaced with U+FFFD.
  returned: always
  type: str
  sample: ""
stdout_lines:
  description: RV(stdout) split into lines.
  returned: always
  type: list
  elements: str
  sample: ["total 8", "drwxr-xr-x 2 app app 4096 Jan 1 00:00 ."]
stderr_lines:
  description: RV(stderr) split into lines.
  returned: always
  type: list
  elements: str
  sample: []
cmd:
  description:
    - The argument vector sent to the API. With O(chdir), the command behind the C(sh -c) that changes
      directory.
    - V(null) when the task failed on its input, before the command could be read.
  returned: always
  type: list
  elements: str
  sample: [ls, -la, /app]
start:
  description: Local time the command was sent, or V(null) when it was not sent.
  returned: always
  type: str
  sample: "2026-03-09 10:15:02.163410"
end:
  description: Local time the answer arrived, or V(null) when the command was not sent.
  returned: always
  type: str
  sample: "2026-03-09 10:15:02.571203"
delta:
  description: Time the command took, from RV(start) to RV(end), or V(null) when it was not sent.
  returned: always
  type: str
  sample: "0:00:00.407793"
msg:
  description:
    - Empty when the command ran and exited with 0.
    - C(non-zero return code) when it exited with another code; why it was skipped or not run otherwise.
  returned: always
  type: str
  sample: "Did not run command since '/tmp/migrated' exists"
changed:
  description: Whether the command ran, or would have run in check mode with O(creates) or O(removes).
  returned: always
  type: bool
  sample: true
skipped:
  description:
    - Set in check mode without O(creates) and O(removes), where the command is not run, as
      M(ansible.builtin.command) does.
    - ansible-core 2.22 deprecates C(skipped) in module results; this module keeps returning it for as long as
      M(ansible.builtin.command) does (ansible-core plans to stop in 2.25).
  returned: when skipped in check mode
  type: bool
  sample: true
api_error:
  description: What the API said about a failed request.
  returned: when an API request failed
  type: dict
  contains:
    method:
      description: HTTP method of the request.
      type: str
      sample: POST
    path:
      description: Path of the request, after the API URL.
      type: str
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/processes/0c2d1a7e-5f6b-4c1d-9e8f-7a6b5c4d3e2f/exec
    status:
      description: HTTP status, or V(null) when no answer arrived.
      type: int
      sample: 403
    reason:
      description: HTTP reason phrase.
      type: str
      sample: Forbidden
    message:
      description: The API's message, or what went wrong in transport.
      type: str
      sample: Forbidden
    code:
      description: The API's error code, when it gave one.
      type: str
    request_id:
      description: The API's request ID, to quote to Sevalla support.
      type: str
    detail:
      description: The API's detailed message, when it gave one.
      type: str
api_waits:
  description:
    - Every wait before a request was sent again, in order (see O(api_retries)). Each request sent more than
      once also gave a warning.
  returned: when a request was sent again
  type: list
  elements: dict
  contains:
    method:
      description: HTTP method of the request.
      type: str
      sample: GET
    path:
      description: Path of the request, after the API URL.
      type: str
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/processes
    reason:
      description:
        - What was waited for, C(rate limit (429)), C(server error (503)) (with the status), C(timeout),
          C(dropped connection) or C(refused connection).
      type: str
      sample: rate limit (429)
    seconds:
      description: How long the wait was.
      type: float
      sample: 12.0
    attempt:
      description: The attempt it followed, 1 for the first.
      type: int
      sample: 1
"""

import datetime
import re
import shlex

from ansible_collections.sevalla.cloud.plugins.module_utils.application import resolve_app
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule, check_range
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaAPIError, SevallaError, post_once
from ansible_collections.sevalla.cloud.plugins.module_utils.process import (
    check_process_selector,
    find_process,
    process_selector_spec,
)

MAX_ARGUMENTS = 100
# chdir runs the command through sh; the directory and the arguments are sh's parameters, never its script.
CHDIR_SCRIPT = 'cd "$1" && shift && exec "$@"'
# The result of a command that did not run; every result starts as this, failures of the input checks too.
NOT_RUN = dict(changed=False, rc=None, cmd=None, start=None, end=None, delta=None, msg="",
               stdout="", stderr="", stdout_lines=[], stderr_lines=[])
READ_TIMEOUT_MARGIN = 10
SHELL_SYNTAX = ("&&", "||", "$(", "`", "|", ">", "<", ";", "*", "?", "[")
# Quoted strings and escaped characters: a shell would not interpret what they hold.
QUOTED = re.compile(r"""'[^']*'|"(?:\\.|[^"\\])*"|\\.""")
# What the API's refusals mean for a command.
EXEC_REFUSALS = {
    403: "The API key is not allowed to run this command in the {0}: read-only keys can run only read-only "
         "commands such as ls, cat, env, ps or grep",
    404: "The {0} was not found",
    409: "The {0} has no running instance to run the command in",
}


def command_argv(params):
    """The argument vector to send: argv as given, or cmd split as a shell would, without one."""
    if params["argv"] is not None:
        return params["argv"]
    try:
        return shlex.split(params["cmd"])
    except ValueError as error:
        raise SevallaError("cmd could not be split into arguments (%s): %r" % (error, params["cmd"]))


def in_directory(argv, chdir):
    """The argument vector that runs argv in the directory chdir (none: argv itself)."""
    if not chdir:
        return argv
    return ["sh", "-c", CHDIR_SCRIPT, "sh", chdir] + argv


def check_command(params):
    argv = command_argv(params)
    name = "argv" if params["argv"] is not None else "cmd"
    most = MAX_ARGUMENTS - len(in_directory([], params["chdir"]))
    if not 1 <= len(argv) <= most:
        raise SevallaError("%s must hold 1 to %d arguments%s, got %d"
                           % (name, most, " with chdir, which adds the sh -c around it" if params["chdir"] else "", len(argv)))
    if not argv[0].strip():
        raise SevallaError("%s: the program name, the first argument, must not be empty or blank, got %r" % (name, argv[0]))
    for index, argument in enumerate(argv):
        if "\0" in argument:
            raise SevallaError("%s: argument %d contains a NUL character, which no command can receive" % (name, index))
    check_range("timeout", params["timeout"], 1, 60)
    for option in ("chdir", "creates", "removes"):  # an empty path is ignored, as ansible.builtin.command does
        if params[option] and "\0" in params[option]:
            raise SevallaError("%s contains a NUL character, which no path can hold" % option)
    if (params["chdir"] or "").startswith("-"):
        raise SevallaError("chdir must not start with '-', which cd would read as an option: write ./%s" % params["chdir"])


def shell_syntax(cmd):
    """The shell operators in cmd outside quotes, in the order of SHELL_SYNTAX."""
    unquoted = QUOTED.sub(" ", cmd)
    return [token for token in SHELL_SYNTAX if token in unquoted]


def warn_about_shell_syntax(module):
    found = shell_syntax(module.params["cmd"] or "")
    if found:
        module.warn(
            "cmd contains shell syntax (%s) that is passed to the command literally: the API runs commands "
            "without a shell. To run a shell line, use argv: [sh, -c, \"...\"] when the image has a shell."
            % " ".join(found))


def checked_exec_answer(answer):
    exit_code = answer.get("exit_code") if isinstance(answer, dict) else None
    if not isinstance(exit_code, int) or isinstance(exit_code, bool) or not all(
            isinstance(answer.get(name), str) for name in ("stdout", "stderr") if answer.get(name) is not None):
        raise SevallaError("unexpected response shape: expected an object with string stdout and stderr and an "
                           "integer exit_code")
    return answer


class ProcessExec:
    """Runs commands in one process, saying which process in every failure."""

    def __init__(self, module):
        p = module.params
        self.client = module.client
        self.timeout = p["timeout"]
        self.chdir = p["chdir"]
        self.read_timeout = max(p["api_timeout"], p["timeout"] + READ_TIMEOUT_MARGIN)
        app = resolve_app(self.client, p)
        if p["process_id"]:
            self.label = "process %s of application %s" % (p["process_id"], app)
            process_id = p["process_id"]
        else:
            self.label = "process with the key %r of application %s" % (p["process_key"], app)
            process_id = find_process(self.client, app, process_key=p["process_key"])["id"]
        self.path = app.path("processes", process_id, "exec")

    def run(self, command):
        """The API's answer to running command (in chdir): a dict with stdout, stderr and exit_code."""
        try:
            return post_once(self.client, self.path, {"command": in_directory(command, self.chdir), "timeout": self.timeout},
                             timeout=self.read_timeout, shape=checked_exec_answer,
                             effect="the command may or may not have run in the %s" % self.label,
                             advice="Check its effect before running it again")
        except SevallaAPIError as error:
            if error.may_have_acted:
                raise
            refusal = EXEC_REFUSALS.get(error.status, "Could not run the command in the {0}").format(self.label)
            if error.status == 403 and self.chdir:
                refusal += "; chdir runs the command through sh, which is not one"
            raise error.explain(refusal)


def path_exists(runner, option, path):
    answer = runner.run(["test", "-e", path])
    if answer["exit_code"] not in (0, 1):
        raise SevallaError("Could not check %s=%s: 'test -e %s'%s exited with %d in the %s: %s" % (
            option, path, path, " in %s" % runner.chdir if runner.chdir else "", answer["exit_code"], runner.label,
            answer.get("stderr") or "no error output"))
    return answer["exit_code"] == 0


def skip_reason(module, runner):
    """(path, 'exists' or 'does not exist') when creates or removes says not to run, else None."""
    creates, removes = module.params["creates"], module.params["removes"]
    if creates and path_exists(runner, "creates", creates):
        return creates, "exists"
    if removes and not path_exists(runner, "removes", removes):
        return removes, "does not exist"
    return None


def set_output(result, stdout, stderr, strip):
    if strip:
        stdout, stderr = stdout.rstrip("\r\n"), stderr.rstrip("\r\n")
    result.update(stdout=stdout, stderr=stderr, stdout_lines=stdout.splitlines(), stderr_lines=stderr.splitlines())


def timed_run(runner, argv, result):
    """Run argv, recording start, end and delta as ansible.builtin.command does, even on failure."""
    start = datetime.datetime.now()
    try:
        return runner.run(argv)
    finally:
        end = datetime.datetime.now()
        result.update(start=str(start), end=str(end), delta=str(end - start))


def execute(module):
    p, result = module.params, module.result
    argv = command_argv(p)
    result["cmd"] = in_directory(argv, p["chdir"])
    guarded = bool(p["creates"] or p["removes"])
    if module.check_mode and not guarded:  # like command: skipped, and nothing is sent
        result.update(rc=0, msg="Command would have run if not in check mode", skipped=True)
        return
    runner = ProcessExec(module)
    skip = skip_reason(module, runner)
    if skip:
        path, state = skip
        result.update(rc=0, msg="%s not run command since '%s' %s" % ("Would" if module.check_mode else "Did", path, state))
        set_output(result, "skipped, since %s %s" % (path, state), "", False)
    elif module.check_mode:
        result.update(rc=0, changed=True, msg="Command would have run if not in check mode")
    else:
        answer = timed_run(runner, argv, result)
        result.update(changed=True, rc=answer["exit_code"])
        set_output(result, answer.get("stdout") or "", answer.get("stderr") or "", p["strip_empty_ends"])
        if result["rc"] != 0:
            raise SevallaError("non-zero return code")


def main():
    spec, options = process_selector_spec(required=True)
    spec.update(
        argv=dict(type="list", elements="str", aliases=["command"]),
        cmd=dict(type="str"),
        chdir=dict(type="str"),
        timeout=dict(type="int", default=15),
        creates=dict(type="str"),
        removes=dict(type="str"),
        strip_empty_ends=dict(type="bool", default=True),
    )
    module = SevallaModule(
        spec,
        result=NOT_RUN,
        supports_check_mode=True,
        mutually_exclusive=options["mutually_exclusive"] + [("argv", "cmd")],
        required_one_of=options["required_one_of"] + [("argv", "cmd")],
    )
    module.run_checks(check_process_selector, check_command)
    warn_about_shell_syntax(module)
    module.run(execute)


if __name__ == "__main__":
    main()
