# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every module gets from SevallaModule: the connection option checks, secrets kept out of results, and
RETURN docs that hold for every module in plugins/modules, present and future."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import json
import os
import syslog

import pytest
import yaml

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.ansible_release import __version__ as ansible_version
from ansible_collections.sevalla.cloud.plugins.modules import sevalla_process_info
from ansible_collections.sevalla.cloud.tests.unit.plugins.modules.conftest import API, API_KEY, module_args

CORE_VERSION = tuple(int(part) for part in ansible_version.split(".")[:2])
APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
PROCESS_ID = "11111111-1111-4111-8111-111111111111"
PROCESSES_URL = "%s/applications/%s/processes" % (API, APP_ID)
PROCESS_URL = "%s/%s" % (PROCESSES_URL, PROCESS_ID)
PROCESS = {"id": PROCESS_ID, "key": "web", "type": "web", "display_name": "Web", "port": 8080}
APPLICATION = {"id": APP_ID, "name": "my-app", "display_name": "My App"}
DEPLOYMENTS_URL = "%s/applications/%s/deployments" % (API, APP_ID)
DEPLOYMENT = {"id": "33333333-3333-4333-8333-333333333333", "app_id": APP_ID, "status": "success"}
MODULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "modules")
# The real fail_json, before the run_module fixture replaces it: Ansible masks no_log values there.
REAL_FAIL_JSON = AnsibleModule.fail_json
# From ansible-core 2.21 on, a module adds the task's invocation to its result only when the controller asks.
INJECT_INVOCATION = {"_ansible_inject_invocation": True} if CORE_VERSION >= (2, 21) else {}
try:  # ansible-core 2.22 masks on the controller the secrets a module registers: the module's own output holds them
    from ansible.module_utils.secrets import mask_secrets
except ImportError:
    mask_secrets = None
# ansible-core 2.21 logs the arguments to syslog first, and fails itself on a NUL character in them.
NUL_REFUSED_BY_CORE = "Failed to log to syslog (embedded null character)"


@pytest.fixture
def warnings(monkeypatch):
    seen = []
    monkeypatch.setattr(AnsibleModule, "warn", lambda self, message: seen.append(message))
    return seen


@pytest.fixture
def read(run_module):
    def run(**args):
        return run_module(sevalla_process_info, dict({"app_id": APP_ID, "process_id": PROCESS_ID}, **args))
    return run


# --- api_key ---------------------------------------------------------------------

@pytest.mark.parametrize("key", [API_KEY + "\n", "  " + API_KEY + "\t\r\n"])
def test_surrounding_whitespace_of_the_key_is_stripped(read, requests_mock, key):
    requests_mock.get(PROCESS_URL, json=PROCESS)
    result = read(api_key=key)
    assert not result["failed"]
    assert requests_mock.last_request.headers["Authorization"] == "Bearer " + API_KEY


@pytest.mark.parametrize("between", [" ", "\t", "\n", "\r\n", "\0", "\x7f", "\u00e9", "\u00a0", "\u2028"])
def test_a_key_that_cannot_go_into_a_header_fails_without_showing_it(read, requests_mock, between):
    result = read(api_key="sk-Alpha42" + between + "sk-Beta42")
    assert result["failed"] and requests_mock.call_count == 0
    assert result["msg"].startswith("api_key holds characters that cannot be sent in an HTTP header")
    assert "Alpha42" not in json.dumps(result) and "Beta42" not in json.dumps(result)


@pytest.mark.parametrize("key", ["", "   ", "\n", "\t \r\n"])
def test_a_key_empty_after_stripping_is_missing(read, requests_mock, monkeypatch, key):
    monkeypatch.delenv("SEVALLA_API_KEY")
    result = read(api_key=key)
    assert result["failed"] and requests_mock.call_count == 0
    assert "No Sevalla API key" in result["msg"] and "SEVALLA_API_KEY" in result["msg"]


def test_a_key_from_the_environment_is_stripped(read, requests_mock, monkeypatch):
    monkeypatch.setenv("SEVALLA_API_KEY", API_KEY + "\n")
    requests_mock.get(PROCESS_URL, json=PROCESS)
    assert not read()["failed"]
    assert requests_mock.last_request.headers["Authorization"] == "Bearer " + API_KEY


# --- api_url -------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "HTTPS://api.sevalla.com/v3", "https://api.sevalla.com/v3/", "Http://127.0.0.1:8080/v3", "https://[::1]:443/v3",
    "https://api.sevalla.com", "https://gw.internal.example:65535/sevalla/v3", "http://localhost:1/v3",
])
def test_good_urls(read, requests_mock, url):
    requests_mock.get(url.rstrip("/") + PROCESS_URL[len(API):], json=PROCESS)
    assert not read(api_url=url)["failed"]
    assert requests_mock.call_count == 1


@pytest.mark.parametrize("url, words", [
    ("ftp://api.sevalla.com/v3", "got 'ftp://api.sevalla.com/v3'"),
    ("api.sevalla.com", "got 'api.sevalla.com'"),
    ("https://", "got 'https://'"),
    ("http:///v3", "got 'http:///v3'"),
    ("https://:8080/v3", "is not a host name"),
    ("https://api.sevalla.com/v3?debug=1", "without a query or fragment"),
    ("https://api.sevalla.com/v3#top", "without a query or fragment"),
    ("https://api.sevalla.com/v3?", "without a query or fragment"),
    ("https://api.sevalla.com /v3", "without whitespace or control characters"),
    ("https://api.sevalla.com/v3\n", "without whitespace or control characters"),
    ("https://api.sevalla.com/\x00", "without whitespace or control characters"),
    ("https://api.sevalla.com/\x85", "without whitespace or control characters"),
    ("https://api.sevalla.com:0/v3", "the port must be between 1 and 65535"),
    ("https://api.sevalla.com:65536/v3", "65536"),
    ("https://api.sevalla.com:abc/v3", "got 'https://api.sevalla.com:abc/v3'"),
    ("https://[::1/v3", "got 'https://[::1/v3'"),
    ("https://api.sev^alla.com/v3", "is not a host name"),
])
def test_bad_urls_fail_before_any_request(read, requests_mock, url, words):
    result = read(api_url=url)
    assert result["failed"] and requests_mock.call_count == 0
    if "\x00" in url and result["msg"].startswith(NUL_REFUSED_BY_CORE):
        return
    assert result["msg"].startswith("api_url must be an http:// or https:// URL with a host"), result["msg"]
    assert words in result["msg"], result["msg"]


def as_shown(output, secrets):
    """What the user sees of a module's output: on ansible-core 2.22 and later, the controller masks the secrets
    the module registered (in _ansible_new_secrets); before, the module masked them itself."""
    if mask_secrets is None:
        return output
    registered = json.loads(output).get("_ansible_new_secrets", [])
    assert all(secret in registered for secret in secrets), registered
    return mask_secrets(output)


@pytest.mark.parametrize("url, password", [
    ("https://someone:Pa55-word@api.sevalla.com/v3", "Pa55-word"),
    ("https://tok3n-only@api.sevalla.com/v3", "tok3n-only"),
    ("https://someone:pa/ss@api.sevalla.com/v3", "pa/ss"),  # a careless "/" moves the host into the path
    ("https://someone:p%40ss@api.sevalla.com/v3", "p@ss"),
])
def test_user_info_fails_and_the_password_is_not_shown(monkeypatch, capsys, requests_mock, url, password):
    """Through the real fail_json, so that the task's invocation is checked as Ansible builds it."""
    monkeypatch.setenv("SEVALLA_API_KEY", API_KEY)
    monkeypatch.setattr(AnsibleModule, "fail_json", REAL_FAIL_JSON)
    with module_args(dict({"app_id": APP_ID, "process_id": PROCESS_ID, "api_url": url}, **INJECT_INVOCATION)):
        with pytest.raises(SystemExit):
            sevalla_process_info.main()
    output = capsys.readouterr().out
    result = json.loads(output)
    assert result["failed"] and "without user info" in result["msg"]
    assert "invocation" in result and "api_url" in result["invocation"]["module_args"]
    shown = as_shown(output, [password, API_KEY])
    assert password not in shown and API_KEY not in shown
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("url, passwords", [
    ("https://someone:Pa55-word-%s@api.sevalla.com/v3", ["Pa55-word-%s"]),
    ("https://tok3n-only-%s@api.sevalla.com/v3", ["tok3n-only-%s"]),
    ("https://someone:p%%40ss-%s@api.sevalla.com/v3", ["p%%40ss-%s", "p@ss-%s"]),
])
def test_the_password_in_api_url_is_not_logged_to_syslog(monkeypatch, capsys, requests_mock, url, passwords):
    """AnsibleModule logs its arguments to syslog before SevallaModule masks anything; from ansible-core 2.22 on,
    it masks there only registered secrets, no longer a password in a URL. A fresh password per test, so that one
    registered by an earlier test in this process cannot hide a leak."""
    salt = os.urandom(4).hex()
    url, passwords = url % salt, [password % salt for password in passwords]
    logged = []
    monkeypatch.setattr(syslog, "openlog", lambda *args: None)
    monkeypatch.setattr(syslog, "syslog", lambda *args: logged.append(args[-1]))
    monkeypatch.setenv("SEVALLA_API_KEY", API_KEY)
    monkeypatch.setattr(AnsibleModule, "fail_json", REAL_FAIL_JSON)
    with module_args({"app_id": APP_ID, "process_id": PROCESS_ID, "api_url": url}):
        with pytest.raises(SystemExit):
            sevalla_process_info.main()
    capsys.readouterr()
    invocations = [message for message in logged if "Invoked with" in message]
    assert invocations and "api_url=" in invocations[0], logged
    assert not [message for message in logged for secret in passwords + [API_KEY] if secret in message]
    assert requests_mock.call_count == 0


def test_user_info_is_masked_in_a_failure_of_the_argument_spec(monkeypatch, capsys):
    monkeypatch.setattr(AnsibleModule, "fail_json", REAL_FAIL_JSON)
    with module_args({"app_id": APP_ID, "process_id": PROCESS_ID, "process_key": "web",
                      "api_url": "https://someone:Pa55-word@api.sevalla.com/v3"}):
        with pytest.raises(SystemExit):
            sevalla_process_info.main()
    output = capsys.readouterr().out
    assert "mutually exclusive" in json.loads(output)["msg"] and "Pa55-word" not in as_shown(output, ["Pa55-word"])


@pytest.mark.parametrize("url", ["http://api.sevalla.com/v3", "http://gateway.example:8080/v3", "HTTP://gw.example/v3"])
def test_http_to_a_remote_host_warns(read, requests_mock, warnings, url):
    requests_mock.get(url.lower() + PROCESS_URL[len(API):], json=PROCESS)
    read(api_url=url)
    assert len(warnings) == 1 and "clear text" in warnings[0] and "api_url uses http://" in warnings[0]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/v3", "http://127.1.2.3/v3", "http://localhost:8080/v3",
                                 "http://[::1]:8080/v3", "https://api.sevalla.com/v3"])
def test_loopback_and_https_do_not_warn(read, requests_mock, warnings, url):
    requests_mock.get(url + PROCESS_URL[len(API):], json=PROCESS)
    read(api_url=url)
    assert warnings == []


# --- Rule 8: RETURN docs are true, for every module ---------------------------------

def module_names():
    return sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith(".py") and name != "__init__.py")


def load(name):
    return importlib.import_module("ansible_collections.sevalla.cloud.plugins.modules." + name)


def always_returned(module):
    returned = yaml.safe_load(module.RETURN) or {}
    return set(key for key, doc in returned.items() if doc.get("returned") == "always")


def mock_process(requests_mock):
    requests_mock.get(PROCESS_URL, json=PROCESS)
    requests_mock.patch(PROCESS_URL, json=dict(PROCESS, port=9090))
    requests_mock.get(PROCESSES_URL, json={"data": [PROCESS], "total": 1})


def mock_exec(requests_mock):
    requests_mock.post(PROCESS_URL + "/exec", json={"stdout": "ok\n", "stderr": "", "exit_code": 0})


def mock_applications(requests_mock):
    requests_mock.get(API + "/applications/" + APP_ID, json=APPLICATION)


def mock_deployments(requests_mock):
    requests_mock.post(DEPLOYMENTS_URL, json=DEPLOYMENT)
    requests_mock.get(DEPLOYMENTS_URL, json={"data": [DEPLOYMENT], "total": 1})


def mock_logs(requests_mock):
    requests_mock.get(API + "/applications/" + APP_ID + "/runtime-logs", json=[])


def mock_env_vars(requests_mock):
    variable = {"id": PROCESS_ID, "app_id": APP_ID, "key": "NODE_ENV", "value": "production", "is_runtime": True,
                "is_buildtime": True, "created_at": "2026-03-09T10:15:02.000Z", "updated_at": "2026-03-09T10:15:02.000Z"}
    requests_mock.get(API + "/applications/%s/env-vars" % APP_ID, json={"data": [variable], "total": 1})


def mock_cron(requests_mock):
    requests_mock.get(PROCESS_URL, json=dict(PROCESS, type="cron"))
    requests_mock.post(PROCESS_URL + "/trigger", json={"message": "Cron job triggered"})


# A successful run of each module. A new module adds its row here; test_every_module_has_a_success_case says so.
SUCCESS = {
    "sevalla_process": ({"app_id": APP_ID, "process_id": PROCESS_ID, "port": 9090}, mock_process),
    "sevalla_process_exec": ({"app_id": APP_ID, "process_id": PROCESS_ID, "argv": ["ls"]}, mock_exec),
    "sevalla_process_info": ({"app_id": APP_ID, "process_id": PROCESS_ID}, mock_process),
    "sevalla_process_trigger": ({"app_id": APP_ID, "process_id": PROCESS_ID}, mock_cron),
    "sevalla_application_info": ({"app_id": APP_ID}, mock_applications),
    "sevalla_deployment": ({"app_id": APP_ID, "restart": True}, mock_deployments),
    "sevalla_deployment_info": ({"app_id": APP_ID}, mock_deployments),
    "sevalla_log_info": ({"app_id": APP_ID}, mock_logs),
    "sevalla_env_var": ({"app_id": APP_ID, "variables": [{"key": "NODE_ENV", "value": "production"}]}, mock_env_vars),
    "sevalla_env_var_info": ({"app_id": APP_ID}, mock_env_vars),
}
# Modules for which no arguments at all is a valid task.
NOTHING_REQUIRED = {"sevalla_application_info"}
# Input errors that every module must refuse before any request: the argument spec's and the shared checks'.
BAD_INPUTS = {
    "no arguments": lambda args: {},
    "unknown option": lambda args: dict(args, no_such_option=1),
    "bad api_url": lambda args: dict(args, api_url="ftp://api.sevalla.com/v3"),
    "api_timeout out of range": lambda args: dict(args, api_timeout=0),
    "bad api_key": lambda args: dict(args, api_key="two words"),
}


def test_every_module_has_a_success_case():
    missing = set(module_names()) - set(SUCCESS)
    assert not missing, "add a success case to SUCCESS in %s for: %s" % (__file__, ", ".join(sorted(missing)))


@pytest.mark.parametrize("name", module_names())
def test_always_keys_are_in_a_success(run_module, requests_mock, name):
    if name not in SUCCESS:
        pytest.skip("no success case (test_every_module_has_a_success_case fails)")
    args, mock = SUCCESS[name]
    mock(requests_mock)
    module = load(name)
    result = run_module(module, args)
    assert not result["failed"], result
    missing = always_returned(module) - set(result)
    assert not missing, "%s documents %s as returned always, but a success lacks them" % (name, sorted(missing))


@pytest.mark.parametrize("bad_input", sorted(BAD_INPUTS))
@pytest.mark.parametrize("name", module_names())
def test_always_keys_are_in_an_input_failure(run_module, requests_mock, name, bad_input):
    if bad_input == "no arguments" and name in NOTHING_REQUIRED:
        pytest.skip("%s needs no option: without any it reads everything" % name)
    module = load(name)
    args = BAD_INPUTS[bad_input](SUCCESS.get(name, ({}, None))[0])
    result = run_module(module, args)
    assert result["failed"] and requests_mock.call_count == 0, result
    missing = always_returned(module) - set(result)
    assert not missing, "%s documents %s as returned always, but a failure on %s lacks them" % (
        name, sorted(missing), bad_input)


def test_the_documented_keys_are_read():
    """Guard the test above: it must see keys, or it checks nothing."""
    assert {"rc", "stdout", "cmd", "changed"} <= always_returned(load("sevalla_process_exec"))
