# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The transport: the one Sevalla API client, its errors, the shared options and input checks.

Resources (processes, applications, deployments) live in modules of their own beside this one."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random
import re
import time
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.parameters import env_fallback

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = "0.1.0"
DEFAULT_API_URL = "https://api.sevalla.com/v3"
USER_AGENT = "sevalla.cloud/%s (Ansible collection)" % COLLECTION_VERSION

MAX_PAGE_SIZE = 100
MAX_RATE_LIMIT_WAIT = 60
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
# A 5xx or a broken connection may hide a request that ran: only these are safe to send again.
RETRY_SAFE_METHODS = frozenset(("GET", "PATCH"))
MAX_NAMES_LISTED = 30

# The API's UUID pattern for path identifiers.
UUID_RE = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$"
)
UUID_EXAMPLE = "fb5e5168-4281-4bec-94c5-0d1584e9e657"


class SevallaError(Exception):
    """A failure to report to the user; `details` become structured result keys."""

    def __init__(self, message, **details):
        super(SevallaError, self).__init__(message)
        self.details = details


class SevallaAPIError(SevallaError):
    """A failed API call, with the facts the API gave about it."""

    def __init__(self, method, path, status=None, reason=None, message=None, code=None,
                 request_id=None, detail=None, note=None):
        self.status = status
        self.request_id = request_id
        facts = dict(method=method, path=path, status=status, reason=reason, message=message,
                     code=code, request_id=request_id, detail=detail)
        super(SevallaAPIError, self).__init__(_describe_api_error(facts, note), api_error=facts)


def _describe_api_error(facts, note):
    if facts["status"] is None:
        text = "Sevalla API request {method} {path} failed: {message}".format(**facts)
    else:
        text = "Sevalla API returned {status} {reason} for {method} {path}: {message}".format(**facts)
        if facts["detail"] and facts["detail"] != facts["message"] and facts["status"] in (400, 403, 409, 422):
            text += " - %s" % facts["detail"]
    ids = ["%s %s" % (label, facts[key]) for key, label in (("code", "code"), ("request_id", "request id")) if facts[key]]
    if ids:
        text += " (%s)" % ", ".join(ids)
    if note:
        text += "; %s" % note
    return text


def _seconds(value):
    """A header value as seconds, or None when it is absent or not a number."""
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def rate_limit_wait(headers):
    """How long a 429 asks us to wait: Retry-After, else x-ratelimit-reset, capped."""
    for name in ("Retry-After", "x-ratelimit-reset"):
        seconds = _seconds(headers.get(name))
        if seconds is not None:
            return min(seconds, MAX_RATE_LIMIT_WAIT)
    return None


def backoff_delay(attempt):
    """Exponential backoff with jitter: about 1, 2, 4 ... seconds, capped."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


class SevallaClient:
    """A small REST client: Bearer auth, JSON, bounded retries, one error type."""

    def __init__(self, api_key, api_url=DEFAULT_API_URL, timeout=30, retries=5, validate_certs=True, sleep=None):
        self.base_url = api_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self._sleep = sleep or time.sleep
        # Per request, not on the session: requests lets REQUESTS_CA_BUNDLE override a session's verify=False.
        self.verify = validate_certs
        self.session = requests.Session()
        self.session.headers.update({
            "Authorization": "Bearer %s" % api_key,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        })

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def patch(self, path, body):
        return self.request("PATCH", path, body=body)

    def post(self, path, body, timeout=None):
        return self.request("POST", path, body=body, timeout=timeout)

    def delete(self, path):
        return self.request("DELETE", path)

    def list(self, path, params=None):
        """Every item of an offset-paginated collection, fetched at the largest page size."""
        items = []
        while True:
            page_params = dict(params or {}, limit=MAX_PAGE_SIZE, offset=len(items))
            page = self.get(path, params=page_params)
            data, total = _page_contents(page, path)
            items.extend(data)
            if not data or len(items) >= total:
                return items

    def request(self, method, path, body=None, params=None, timeout=None):
        """Send one call, retrying what is safe to retry; return the decoded JSON body."""
        timeout = timeout or self.timeout
        attempt = 0
        while True:
            try:
                response = self.session.request(method, self.base_url + path, json=body, params=params,
                                                timeout=timeout, verify=self.verify)
            except requests.exceptions.RequestException as exc:
                if attempt >= self.retries or method not in RETRY_SAFE_METHODS or not _is_transient(exc):
                    raise _transport_error(method, path, exc, timeout, attempt, timeout == self.timeout)
                delay = backoff_delay(attempt)
            else:
                delay = self._retry_delay(method, response, attempt)
                if delay is None:
                    return _decode(method, path, response, attempt)
            self._sleep(delay)
            attempt += 1

    def _retry_delay(self, method, response, attempt):
        """Seconds to wait before sending again, or None to keep this response."""
        if attempt >= self.retries:
            return None
        if response.status_code == 429:  # not processed: safe for every method
            wait = rate_limit_wait(response.headers)
            return backoff_delay(attempt) if wait is None else wait
        if response.status_code >= 500 and method in RETRY_SAFE_METHODS:
            return backoff_delay(attempt)
        return None


def _is_transient(exc):
    ssl_error = isinstance(exc, requests.exceptions.SSLError)
    return not ssl_error and isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout))


def _tries(attempt):
    return "after %d attempt%s" % (attempt + 1, "" if attempt == 0 else "s")


def _transport_error(method, path, exc, timeout, attempt, is_api_timeout):
    if isinstance(exc, requests.exceptions.Timeout):
        label = " (api_timeout)" if is_api_timeout else ""
        message = "timed out after %s s%s, %s" % (timeout, label, _tries(attempt))
    elif isinstance(exc, requests.exceptions.SSLError):
        message = "TLS error: %s. Check validate_certs, or point REQUESTS_CA_BUNDLE at your CA bundle" % exc
    elif isinstance(exc, requests.exceptions.ConnectionError):
        message = "could not connect or the connection was dropped, %s: %s" % (_tries(attempt), exc)
    else:
        message = "%s: %s" % (type(exc).__name__, exc)
    return SevallaAPIError(method, path, message=message)


def _decode(method, path, response, attempt):
    request_id = response.headers.get("x-request-id")
    if response.status_code >= 400:
        raise _status_error(method, path, response, request_id, attempt)
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise SevallaAPIError(method, path, response.status_code, response.reason,
                              message="the response body is not JSON", request_id=request_id)


def _status_error(method, path, response, request_id, attempt):
    try:
        body = response.json()
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    message = body.get("message") or response.reason or "no message"
    note = None
    if response.status_code == 429:
        wait = rate_limit_wait(response.headers)
        reset = "" if wait is None else ", the rate limit resets in %d s" % wait
        note = "gave up %s%s" % (_tries(attempt), reset)
    elif response.status_code >= 500 and attempt:
        note = "gave up %s" % _tries(attempt)
    return SevallaAPIError(method, path, response.status_code, response.reason, message,
                           code=data.get("code"), request_id=request_id, detail=data.get("message"), note=note)


def _page_contents(page, path):
    if not isinstance(page, dict) or not isinstance(page.get("data"), list) or not isinstance(page.get("total"), int):
        raise SevallaAPIError("GET", path, message="unexpected response shape: expected an object with a 'data' list and a 'total' count")
    return page["data"], page["total"]


# ---------------------------------------------------------------------------
# Shared options: keep in step with plugins/doc_fragments/api.py.

def sevalla_argument_spec(**module_options):
    """The connection options every module takes, plus the module's own."""
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
    """AnsibleModule with the shared options, their checks, and the API client."""

    def __init__(self, argument_spec, **kwargs):
        super(SevallaModule, self).__init__(argument_spec=sevalla_argument_spec(**argument_spec), **kwargs)
        self.params["api_url"] = self.params["api_url"] or DEFAULT_API_URL  # an empty SEVALLA_API_URL means unset
        if REQUESTS_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self._client = None
        self.run_checks(check_connection_options)

    @property
    def client(self):
        if self._client is None:
            p = self.params
            self._client = SevallaClient(p["api_key"], p["api_url"], p["api_timeout"], p["api_retries"], p["validate_certs"])
        return self._client

    def run_checks(self, *checks):
        """Run input checks before any request; the first problem fails the task."""
        try:
            for check in checks:
                check(self.params)
        except SevallaError as error:
            self.fail_from(error)

    def fail_from(self, error, **result):
        result.update(error.details)
        self.fail_json(msg=str(error), **result)

    def run(self, action):
        """Exit with what action(module) returns; turn a SevallaError into a clean failure."""
        try:
            result = action(self)
        except SevallaError as error:
            self.fail_from(error)
        self.exit_json(**result)


# ---------------------------------------------------------------------------
# Input checks: each raises SevallaError naming the option and what it accepts.

def check_connection_options(params):
    if not params["api_key"]:
        raise SevallaError("No Sevalla API key: set the api_key option or the SEVALLA_API_KEY environment variable")
    if not re.match(r"^https?://[^/\s]+", params["api_url"] or ""):
        raise SevallaError("api_url must be an http:// or https:// URL, got %r" % params["api_url"])
    check_range("api_timeout", params["api_timeout"], 1, 3600)
    check_range("api_retries", params["api_retries"], 0, 10)


def check_uuid(name, value):
    if not isinstance(value, str) or not UUID_RE.fullmatch(value):
        raise SevallaError("%s must be a UUID such as %s, got %r" % (name, UUID_EXAMPLE, value))


def check_range(name, value, low, high):
    if value is not None and not low <= value <= high:
        raise SevallaError("%s must be between %d and %d, got %d" % (name, low, high, value))


def check_length(name, value, low, high):
    if value is not None and not low <= len(value) <= high:
        raise SevallaError("%s must be %d to %d characters long, got %d" % (name, low, high, len(value)))


def explained(error, explanation):
    """The error with an explanation in front, keeping its structured facts."""
    return SevallaError("%s. %s" % (explanation, error), **error.details)


def explain_not_found(error, target):
    return explained(error, "%s was not found" % target) if error.status == 404 else error
