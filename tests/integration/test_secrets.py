# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API key never shows: not in output at -vvvv, results, JSON callback output, Ansible's log or the API log.

A simulator of this module's own serves a distinctive key, given three ways: the api_key option (an extra
var), the SEVALLA_API_KEY environment variable, and module_defaults of group/sevalla.cloud.all.
"""

from __future__ import annotations

import base64
import json
import math
from urllib.parse import quote, quote_plus

import pytest
from ansible.release import __version__ as ansible_version

from conftest import Simulator
from reliability import IDS, run_env, run_module, run_playbook_file
from simulator.server import start_simulator

SECRET_KEY = "svk-Canary+7f3c/9e2b=41d8~XyZ"
READONLY_SECRET_KEY = "svk-ReadOnly+c0ffee/5a1b=9d~QrS"
CORE = tuple(int(part) for part in ansible_version.split(".")[:2])
# Before ansible-core 2.22 the module masked its no_log arguments itself; from 2.22 on, the controller masks every
# registered secret wherever it shows one (ansible.module_utils.secrets).
MASK = "$REDACTED$" if CORE >= (2, 22) else "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
KEY_ROUTES = ["option", "env", "module_defaults"]


def base64_fragments(secret):
    """The base64 characters that encode only the secret's bytes, at each of the three byte alignments."""
    data = secret.encode("utf-8")
    fragments = set()
    for offset in range(3):
        first = math.ceil(8 * offset / 6)
        last = (8 * (offset + len(data))) // 6  # exclusive
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            fragments.add(encode(b"\0" * offset + data).decode("ascii")[first:last])
    return fragments


def leak_forms(secret):
    """The secret as text, JSON-escaped, percent-encoded and base64-encoded, plus distinctive fragments."""
    forms = {secret, json.dumps(secret)[1:-1], quote(secret, safe=""), quote_plus(secret), quote(secret)}
    forms |= base64_fragments(secret)
    forms |= {secret[:12], secret[-12:]}
    return sorted(forms)


@pytest.fixture(scope="module")
def secret_simulator():
    server = start_simulator(api_key=SECRET_KEY, readonly_api_key=READONLY_SECRET_KEY)
    yield Simulator(server)
    server.stop()


def run_secrets_playbook(simulator, tmp_path, route, json_callback):
    """Run secrets.yml (or secrets_option.yml) at -vvvv with the key given one way; return the texts to search."""
    simulator.reset()
    results_file = tmp_path / ("results-%s-%s.json" % (route, "json" if json_callback else "default"))
    log_file = tmp_path / ("ansible-%s-%s.log" % (route, "json" if json_callback else "default"))
    extra_vars = {"results_file": str(results_file)}
    if route == "option":
        extra_vars["sevalla_option_key"] = SECRET_KEY
    elif route == "module_defaults":
        extra_vars["sevalla_defaults_key"] = SECRET_KEY
    vars_file = tmp_path / "extra-vars.json"  # the one file that holds the key; it is not searched
    vars_file.write_text(json.dumps(extra_vars))
    # ansible-core 2.21 adds the module arguments (invocation) to results only when asked to.
    env = run_env(simulator, api_key=SECRET_KEY if route == "env" else None, json_callback=json_callback,
                  ANSIBLE_LOG_PATH=str(log_file), ANSIBLE_INJECT_INVOCATION="true")
    playbook = "secrets_option.yml" if route == "option" else "secrets.yml"
    run = run_playbook_file(simulator, playbook, "-vvvv", "-e", "@%s" % vars_file, env=env)
    vars_file.unlink()
    assert run.returncode == 0, str(run)
    texts = searched_texts(run, results_file, log_file, json_callback)
    texts["simulator log"] = json.dumps(simulator.requests())
    return run, texts


def searched_texts(run, results_file, log_file, json_callback):
    """Every output of a playbook run that a secret must stay out of, by name."""
    texts = {
        "stdout": run.stdout,
        "stderr": run.stderr,
        "registered results": registered_results(results_file.read_text()),
        "ansible log": log_file.read_text(),
    }
    if json_callback:
        texts["JSON callback"] = json.dumps(run.tasks)
    return texts


def registered_results(text):
    """The registered results as searched for the key. From ansible-core 2.22 on, a registered variable keeps the
    module's arguments unmasked in its `invocation` (here only because ANSIBLE_INJECT_INVOCATION asks for it) and
    the controller masks them wherever it shows them, which the other texts check; the rest of each result
    must still be free of the key."""
    if CORE < (2, 22):
        return text
    results = json.loads(text)
    return json.dumps({name: {key: value for key, value in result.items() if key != "invocation"}
                       for name, result in results.items()})


@pytest.mark.parametrize("json_callback", [False, True], ids=["default-callback", "json-callback"])
@pytest.mark.parametrize("route", KEY_ROUTES)
def test_the_key_never_shows(secret_simulator, tmp_path, route, json_callback):
    run, texts = run_secrets_playbook(secret_simulator, tmp_path, route, json_callback)

    # Not vacuous: every API request carried the key, the tasks ran at -vvvv and showed their arguments.
    requests = secret_simulator.requests()
    assert {entry["method"] for entry in requests} == {"GET", "PATCH", "POST"}
    assert len(requests) >= 6
    assert all(entry["auth"] == "valid" and entry["role"] == "full" for entry in requests), requests
    results = json.loads(texts["registered results"])
    assert results["info_404"]["api_error"]["status"] == 404
    assert results["exec_rc1"]["rc"] == 1
    assert results["exec_500"]["api_error"]["status"] == 500
    module_tasks = [task for task in run.tasks if task["action"].startswith("sevalla.cloud.")]
    if json_callback:
        assert len(module_tasks) == 5 and all("invocation" in task["result"] for task in module_tasks)
    else:
        assert texts["stdout"].count('"module_args": {') >= 5, "-vvvv did not show the module arguments"

    leaks = ["%r in %s" % (form, where) for form in leak_forms(SECRET_KEY) + leak_forms(READONLY_SECRET_KEY)
             for where, text in texts.items() if form in text]
    assert not leaks, "the API key leaked: %s" % "; ".join(leaks)

    # The arguments shown hold the mask where the key was.
    for task in module_tasks:
        assert task["result"]["invocation"]["module_args"]["api_key"] == MASK, task["task"]
    if not json_callback:
        assert texts["stdout"].count('"api_key": "%s"' % MASK) >= 5


def test_leak_forms_cover_the_encodings():
    """The searched forms find the key in a Bearer header, base64-encoded at any offset, or percent-encoded."""
    forms = leak_forms(SECRET_KEY)
    for prefix in ("", "a", "ab", "Authorization: Bearer "):
        encoded = base64.b64encode((prefix + SECRET_KEY + "\n").encode()).decode()
        assert any(form in encoded for form in forms), prefix
    assert any(form in "key=" + quote_plus(SECRET_KEY) for form in forms)
    assert all(len(form) >= 8 for form in forms)


URL_PASSWORD = "pw-Canary+4e1a/77~Zq"
URL_WITH_PASSWORD = "https://someone:%s@api.sevalla.example/v3" % quote(URL_PASSWORD, safe="")


@pytest.mark.parametrize("json_callback", [False, True], ids=["default-callback", "json-callback"])
@pytest.mark.parametrize("route", ["option", "env"])
def test_a_password_in_api_url_never_shows(secret_simulator, tmp_path, route, json_callback):
    """api_url with user info fails before any request; at -vvvv, with the invocation injected, the password
    shows nowhere: not in the output, the JSON callback's results or Ansible's log."""
    secret_simulator.reset()
    log_file = tmp_path / "ansible.log"
    extra = {"ANSIBLE_LOG_PATH": str(log_file), "ANSIBLE_INJECT_INVOCATION": "1"}
    args = {"app_id": IDS["demo_app"], "process_key": "web"}
    if route == "option":
        args["api_url"] = URL_WITH_PASSWORD
    else:
        extra["SEVALLA_API_URL"] = URL_WITH_PASSWORD
    env = run_env(secret_simulator, api_key=SECRET_KEY, json_callback=json_callback, **extra)
    run = run_module(secret_simulator, "sevalla_process_info", args, "-vvvv", env=env)

    assert run.returncode != 0 and "without user info" in (run.result["msg"] if json_callback else run.output), run
    assert secret_simulator.requests() == []
    texts = {"stdout": run.stdout, "stderr": run.stderr, "ansible log": log_file.read_text()}
    if json_callback:
        texts["JSON callback"] = json.dumps(run.tasks)
        assert "api_url" in run.result["invocation"]["module_args"]
    else:
        assert '"api_url": "https://someone:' in run.stdout, "-vvvv did not show the module arguments"
    forms = leak_forms(URL_PASSWORD) + leak_forms(SECRET_KEY)
    leaks = ["%r in %s" % (form, where) for form in forms for where, text in texts.items() if form in text]
    assert not leaks, "a secret leaked: %s" % "; ".join(leaks)
