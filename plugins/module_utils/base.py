# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The module base: SevallaModule, the connection options, the input checks and the wording of lists of names.

Every task's result, success or failure, is built in SevallaModule.run, here."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.parameters import env_fallback

from ansible_collections.sevalla.cloud.plugins.module_utils.client import (
    DEFAULT_API_URL,
    REQUESTS_IMPORT_ERROR,
    SevallaClient,
    SevallaError,
    url_secrets,
)

try:  # ansible-core 2.22 masks on the controller the secrets a module registers here
    from ansible.module_utils.secrets import register_secrets
except ImportError:
    register_secrets = None

MAX_NAMES_LISTED = 30
# The API's UUID pattern for path identifiers.
UUID_RE = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$"
)
UUID_EXAMPLE = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
# What an HTTP header value can carry as a token: visible ASCII, no whitespace.
API_KEY_RE = re.compile(r"^[\x21-\x7e]+$")
SPACE_OR_CONTROL_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
HOST_RE = re.compile(r"^([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])$")


def sevalla_argument_spec(**module_options):
    """The connection options every module takes, plus the module's own; keep in step with doc_fragments/api.py."""
    spec = dict(
        api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["SEVALLA_API_KEY"])),
        api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["SEVALLA_API_URL"])),
        api_timeout=dict(type="int", default=30),
        validate_certs=dict(type="bool", default=True),
        api_retries=dict(type="int", default=5),
    )
    spec.update(module_options)
    return spec


class SevallaModule(AnsibleModule):
    """AnsibleModule with the connection options, their checks, the API client and the task's result.

    `result` holds the keys that every result of the module carries, failures included, even one of the
    argument spec. The task's code adds to module.result as it goes, so a failure part-way carries what
    was done; run() owns how a task ends."""

    def __init__(self, argument_spec, result=None, **kwargs):
        self.result = dict(result or dict(changed=False))
        self._client = None
        super(SevallaModule, self).__init__(argument_spec=sevalla_argument_spec(**argument_spec), **kwargs)
        self.params["api_url"] = self.params["api_url"] or DEFAULT_API_URL  # an empty SEVALLA_API_URL means unset
        self.params["api_key"] = clean_api_key(self.params["api_key"])
        self.mask([self.params["api_key"]] + url_secrets(self.params["api_url"]))
        if REQUESTS_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self.run_checks(check_connection_options)
        warning = clear_text_warning(self.params["api_url"])
        if warning:
            self.warn(warning)

    def mask(self, values):
        """Never show these values: in msg, in the result or in the task's invocation, on every ansible-core."""
        values = [value for value in values if value]
        self.no_log_values.update(values)
        if register_secrets is not None:
            register_secrets(values)

    def log(self, msg, log_args=None):
        """AnsibleModule.__init__ logs the task's arguments to syslog before __init__ above can mask anything, and
        from ansible-core 2.22 on it masks there only registered secrets, no longer a password in a URL."""
        self.mask(url_secrets(getattr(self, "params", {}).get("api_url")))
        super(SevallaModule, self).log(msg, log_args=log_args)

    @property
    def client(self):
        if self._client is None:
            p = self.params
            self._client = SevallaClient(p["api_key"], p["api_url"], p["api_timeout"], p["api_retries"], p["validate_certs"],
                                         secrets=self.no_log_values)
        return self._client

    def run_checks(self, *checks):
        """Run input checks before any request; the first problem fails the task."""
        try:
            for check in checks:
                check(self.params)
        except SevallaError as error:
            self.fail_from(error)

    def run(self, action):
        """End the task with module.result, updated with what action(module) returns; a SevallaError fails it."""
        try:
            self.result.update(action(self) or {})
        except SevallaError as error:
            self.fail_from(error)
        self.exit_json(**self.result)

    def fail_from(self, error):
        result = dict(error.details)
        result["msg"] = str(error)
        self.fail_json(**result)

    def fail_json(self, msg, **kwargs):
        # Also on a failure of the argument spec, before __init__ has masked anything.
        self.mask(url_secrets(getattr(self, "params", {}).get("api_url")))
        result = dict(self.result, **kwargs)
        result.pop("msg", None)
        super(SevallaModule, self).fail_json(msg=msg, **self._with_waits(result))

    def exit_json(self, **kwargs):
        super(SevallaModule, self).exit_json(**self._with_waits(kwargs))

    def _with_waits(self, result):
        """The result with api_waits, and a warning for each request sent more than once."""
        waits = self._client.waits if self._client is not None else []
        if waits:
            result["api_waits"] = waits
            for warning in wait_warnings(waits):
                self.warn(warning)
        return result


def wait_warnings(waits):
    """One line per request that was sent more than once: what was waited for, how long, how many attempts."""
    requests = []
    for wait in waits:
        if wait["attempt"] == 1:
            requests.append([])
        requests[-1].append(wait)
    for request in requests:
        reasons = ", ".join("%s s for a %s" % (wait["seconds"], wait["reason"]) for wait in request)
        yield ("%s %s took %d attempts: waited %s s in all (%s)"
               % (request[0]["method"], request[0]["path"], len(request) + 1,
                  round(sum(wait["seconds"] for wait in request), 1), reasons))


# ---------------------------------------------------------------------------
# Input checks: each raises SevallaError naming the option and what it accepts, never a secret.

def clean_api_key(api_key):
    """The key without surrounding whitespace (a pasted key often ends with a newline); None when empty."""
    return (api_key.strip() or None) if api_key else None


def check_connection_options(params):
    if not params["api_key"]:
        raise SevallaError("No Sevalla API key: set the api_key option or the SEVALLA_API_KEY environment variable")
    if not API_KEY_RE.match(params["api_key"]):
        raise SevallaError("api_key holds characters that cannot be sent in an HTTP header: inner whitespace, "
                           "control characters or non-ASCII characters (the value is not shown)")
    check_api_url(params["api_url"])
    check_range("api_timeout", params["api_timeout"], 1, 3600)
    check_range("api_retries", params["api_retries"], 0, 10)


def check_api_url(url):
    """http or https, a host, an optional port and path; nothing else."""
    expected = "api_url must be an http:// or https:// URL with a host, an optional port and an optional path"
    if "@" in url.partition("//")[2]:
        raise SevallaError("%s, without user info (user:password@): pass the key with api_key; the URL is not shown"
                           % expected)
    if SPACE_OR_CONTROL_RE.search(url):
        raise SevallaError("%s, without whitespace or control characters, got %r" % (expected, url))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise SevallaError("%s, got %r: %s" % (expected, url, error))
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise SevallaError("%s, got %r" % (expected, url))
    host = parts.netloc.rpartition(":")[0] if port is not None or parts.netloc.endswith(":") else parts.netloc
    if not HOST_RE.match(host):
        raise SevallaError("%s, got %r: %r is not a host name or IP address" % (expected, url, host))
    if port is not None and not 1 <= port <= 65535:
        raise SevallaError("%s, got %r: the port must be between 1 and 65535" % (expected, url))
    if "?" in url or "#" in url:
        raise SevallaError("%s, without a query or fragment, got %r" % (expected, url))


def clear_text_warning(url):
    """A warning when the key would travel unencrypted to a host that is not this machine."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "http" or _is_loopback(parts.hostname or ""):
        return None
    return ("api_url uses http:// to %s, which is not a loopback address: the API key is sent in clear text. "
            "Use https://" % parts.hostname)


def _is_loopback(host):
    if host.rstrip(".").lower() == "localhost" or host.startswith("127.") or host in ("::1", "[::1]"):
        return True  # the usual forms, without importing ipaddress
    import ipaddress
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_id_or_name(params, id_option, name_option, max_length):
    """The id option, when set, is a UUID; the name option, when set, is 1 to max_length characters."""
    if params.get(id_option) is not None:
        check_uuid(id_option, params[id_option])
    if params.get(name_option) is not None:
        check_length(name_option, params[name_option], 1, max_length)


def check_uuid(name, value):
    if not isinstance(value, str) or not UUID_RE.fullmatch(value):
        raise SevallaError("%s must be a UUID such as %s, got %r" % (name, UUID_EXAMPLE, value))


def check_range(name, value, low, high):
    if value is not None and not low <= value <= high:
        raise SevallaError("%s must be between %d and %d, got %d" % (name, low, high, value))


def check_length(name, value, low, high):
    if value is not None and not low <= len(value) <= high:
        raise SevallaError("%s must be %d to %d characters long, got %d" % (name, low, high, len(value)))


# ---------------------------------------------------------------------------
# Names in messages.

def listed_names(names):
    """At most MAX_NAMES_LISTED names, comma-separated, with the count when there are more."""
    text = ", ".join(names[:MAX_NAMES_LISTED])
    if len(names) > MAX_NAMES_LISTED:
        text += ", ... (%d in all)" % len(names)
    return text


def did_you_mean(name, names):
    """' Did you mean 'x'?' naming the names closest to name, or '' when none is close."""
    import difflib  # only a failure needs it
    close = difflib.get_close_matches(name, list(dict.fromkeys(names)), n=3, cutoff=0.6)
    return " Did you mean %s?" % " or ".join(repr(candidate) for candidate in close) if close else ""
