# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The transport: the one Sevalla API client, its errors, the shared options and input checks.

Resources (processes, applications, deployments) live in modules of their own beside this one."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import math
import random
import re
import signal
import threading
import time
import traceback

from urllib.parse import unquote, urlsplit

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.parameters import env_fallback

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.auth import AuthBase as _AuthBase
    from requests.exceptions import Timeout as _Timeout
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    _AuthBase = object
    _Timeout = Exception

COLLECTION_VERSION = "0.2.0"
DEFAULT_API_URL = "https://api.sevalla.com/v3"
USER_AGENT = "sevalla.cloud/%s (Ansible collection)" % COLLECTION_VERSION

MAX_PAGE_SIZE = 100
MAX_PAGES = 1000
MAX_RATE_LIMIT_WAIT = 60
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
# Counted after decompression. Exec output is the only large answer the API gives.
MAX_BODY_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
# A 5xx or a broken connection may hide a request that ran: only these are safe to send again.
RETRY_SAFE_METHODS = frozenset(("GET", "PATCH"))
MAX_NAMES_LISTED = 30
REDACTED = "********"

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
# A JSON escape of a UTF-16 surrogate; only these can put a lone surrogate into decoded text.
SURROGATE_ESCAPE_RE = re.compile(br"\\[uU][dD][89a-fA-F]")


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

    @property
    def may_have_acted(self):
        """Whether the request may have done its work all the same: no (readable) answer, or a 5xx."""
        return self.status is None or self.status < 300 or self.status >= 500


def _describe_api_error(facts, note):
    if facts["status"] is None:
        text = "Sevalla API request {method} {path} failed: {message}".format(**facts)
    else:
        text = "Sevalla API returned {status} {reason} for {method} {path}: {message}".format(**facts)
        if facts["detail"] and facts["detail"] != facts["message"] and facts["status"] in (400, 403, 409, 422, 429):
            text += " - %s" % facts["detail"]
    ids = ["%s %s" % (label, facts[key]) for key, label in (("code", "code"), ("request_id", "request id")) if facts[key]]
    if ids:
        text += " (%s)" % ", ".join(ids)
    if note:
        text += "; %s" % note
    return text


def _seconds(value):
    """A header value as seconds, or None when it is absent, not a number, negative, NaN or infinite."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _date_seconds(value):
    """Seconds until an HTTP date, or None when it is not a date or not in the future."""
    from email.utils import parsedate_to_datetime  # only a Retry-After in its date form needs it
    import datetime
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    seconds = (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    return seconds if seconds > 0 else None  # a date in the past, as clock skew gives, is no wait


def rate_limit_wait(headers):
    """How long a 429 asks us to wait: Retry-After (seconds or an HTTP date), else x-ratelimit-reset."""
    retry_after = headers.get("Retry-After")
    seconds = _seconds(retry_after)
    if seconds is None and retry_after:
        seconds = _date_seconds(retry_after)
    if seconds is None:
        seconds = _seconds(headers.get("x-ratelimit-reset"))
    return seconds


def backoff_delay(attempt):
    """Exponential backoff with jitter: about 1, 2, 4 ... seconds, capped."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


class _BearerAuth(_AuthBase):
    """The key as requests' auth hook: with an auth set, requests never takes ~/.netrc or URL user info."""

    def __init__(self, api_key):
        self._api_key = api_key

    def __call__(self, request):
        request.headers["Authorization"] = "Bearer %s" % self._api_key
        return request

    def __repr__(self):
        return "<Bearer auth>"


class AttemptTimeout(_Timeout):
    """One attempt outlived its deadline (connecting, sending and reading the whole answer)."""


class _Deadline:
    """A hard end to one attempt.

    In the main thread, where an Ansible module runs, SIGALRM interrupts whatever the attempt is blocked
    in, even a server that drips its status line. Elsewhere, or when SIGALRM is in use, check() between
    body chunks enforces it, and the socket timeouts bound each wait."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._previous = None

    def __enter__(self):
        if _alarm_is_free():
            self._previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def _fire(self, signum, frame):
        self.expired = True
        raise AttemptTimeout("no complete answer within %s s" % self.seconds)

    def check(self):
        if time.monotonic() >= self.end:
            self._fire(None, None)

    def __exit__(self, exc_type, exc, tb):
        try:
            self._disarm()
        except AttemptTimeout:  # fired while disarming
            self._disarm()
        if exc is not None and self.expired and not isinstance(exc, AttemptTimeout):
            # Whatever the alarm interrupted may have wrapped it, for example in a ConnectionError.
            raise AttemptTimeout("no complete answer within %s s" % self.seconds)
        return False

    def _disarm(self):
        if self._previous is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self._previous = None


def _alarm_is_free():
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


class _Answer:
    """What one attempt received: the status, the headers and the whole body, read within the deadline."""

    def __init__(self, response, content):
        self.status_code = response.status_code
        self.reason = response.reason
        self.headers = response.headers
        self.content = content


class SevallaClient:
    """A small REST client: Bearer auth, JSON, bounded retries, deadlines and sizes, one error type."""

    def __init__(self, api_key, api_url=DEFAULT_API_URL, timeout=30, retries=5, validate_certs=True, sleep=None):
        self.base_url = api_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self._sleep = sleep or time.sleep
        self._secrets = [api_key] + url_secrets(api_url)
        # Per request, not on the session: requests lets REQUESTS_CA_BUNDLE override a session's verify=False.
        self.verify = validate_certs
        self.session = requests.Session()  # trust_env stays on: proxies and REQUESTS_CA_BUNDLE apply
        self.session.auth = _BearerAuth(api_key)
        self.session.headers.update({
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

    def list(self, path, params=None, limit=None):
        """Every item of an offset-paginated collection, or its first `limit`, fetched at the largest page size."""
        items = []
        for page_number in range(1, MAX_PAGES + 1):
            size = MAX_PAGE_SIZE if limit is None else min(MAX_PAGE_SIZE, limit - len(items))
            page_params = dict(params or {}, limit=size, offset=len(items))
            data, total = _page_contents(self.get(path, params=page_params), path)
            items.extend(data)
            if len(items) > total:
                raise _pages_error(path, "%d items arrived on %d pages, more than the total of %d"
                                   % (len(items), page_number, total))
            if len(items) == total or (limit is not None and len(items) >= limit):
                return items[:limit]
            if not data:
                raise _pages_error(path, "page %d is empty, but only %d of the total of %d items arrived"
                                   % (page_number, len(items), total))
        raise _pages_error(path, "the list did not end within %d pages (%d items read)" % (MAX_PAGES, len(items)))

    def request(self, method, path, body=None, params=None, timeout=None):
        """Send one call, retrying what is safe to retry; return the decoded JSON body.

        Every failure, even an unexpected one, is a SevallaAPIError that names the method and the path."""
        timeout = timeout or self.timeout
        try:
            return self._request(method, path, body, params, timeout)
        except SevallaError:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            raise SevallaAPIError(method, path, message="unexpected %s in the client: %s"
                                  % (type(exc).__name__, self._redact(str(exc))))

    def _request(self, method, path, body, params, timeout):
        attempt = 0
        while True:
            try:
                answer = self._attempt(method, path, body, params, timeout)
            except requests.exceptions.RequestException as exc:
                if attempt >= self.retries or method not in RETRY_SAFE_METHODS or not _is_transient(exc):
                    raise _transport_error(method, path, exc, timeout, attempt, timeout == self.timeout,
                                           self._redact)
                delay = backoff_delay(attempt)
            else:
                delay = self._retry_delay(method, answer, attempt)
                if delay is None:
                    return _decode(method, path, answer, attempt)
            self._sleep(delay)
            attempt += 1

    def _attempt(self, method, path, body, params, timeout):
        """One request and its whole answer, within `timeout` seconds; redirects are never followed."""
        with _Deadline(timeout) as deadline:
            response = self.session.request(method, self.base_url + path, json=body, params=params,
                                            timeout=timeout, verify=self.verify, allow_redirects=False,
                                            stream=True)
            try:
                return _Answer(response, _read_body(method, path, response, deadline))
            finally:
                response.close()

    def _retry_delay(self, method, answer, attempt):
        """Seconds to wait before sending again, or None to keep this answer."""
        if attempt >= self.retries:
            return None
        if answer.status_code == 429:  # not processed: safe for every method
            wait = rate_limit_wait(answer.headers)
            if wait is not None and wait > MAX_RATE_LIMIT_WAIT:
                return None  # an hourly limit: waiting a minute would only get another 429
            return backoff_delay(attempt) if wait is None else wait
        if answer.status_code >= 500 and method in RETRY_SAFE_METHODS:
            return backoff_delay(attempt)
        return None

    def _redact(self, text):
        """text without the key, in the forms an exception's text may hold it (as is, or escaped)."""
        for secret in self._secrets:
            if secret:
                for form in (secret, repr(secret)[1:-1], json.dumps(secret)[1:-1], secret.strip()):
                    if form:
                        text = text.replace(form, REDACTED)
        return text


def _read_body(method, path, response, deadline):
    """The body, decompressed, read in chunks against the deadline; too large fails before the rest is read."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise _too_large(method, path, response)
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK_BYTES):
        deadline.check()
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large(method, path, response)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(method, path, response):
    return SevallaAPIError(method, path, response.status_code, response.reason,
                           message="the response body is larger than %d MiB; the rest was not read"
                           % (MAX_BODY_BYTES // (1024 * 1024)), request_id=response.headers.get("x-request-id"))


def _is_transient(exc):
    ssl_error = isinstance(exc, requests.exceptions.SSLError)
    return not ssl_error and isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout))


def _tries(attempt):
    return "after %d attempt%s" % (attempt + 1, "" if attempt == 0 else "s")


def _transport_error(method, path, exc, timeout, attempt, is_api_timeout, redact):
    if isinstance(exc, requests.exceptions.Timeout):
        label = " (api_timeout)" if is_api_timeout else ""
        message = "timed out after %s s%s, %s" % (timeout, label, _tries(attempt))
    elif isinstance(exc, requests.exceptions.SSLError):
        message = "TLS error: %s. Check validate_certs, or point REQUESTS_CA_BUNDLE at your CA bundle" % redact(str(exc))
    elif isinstance(exc, requests.exceptions.ConnectionError):
        message = "could not connect or the connection was dropped, %s: %s" % (_tries(attempt), redact(str(exc)))
    else:
        message = "%s: %s" % (type(exc).__name__, redact(str(exc)))
    return SevallaAPIError(method, path, message=message)


def _decode(method, path, answer, attempt):
    request_id = answer.headers.get("x-request-id")
    if answer.status_code >= 400:
        raise _status_error(method, path, answer, request_id, attempt)
    if 300 <= answer.status_code < 400:
        raise SevallaAPIError(method, path, answer.status_code, answer.reason, request_id=request_id,
                              message="a redirect to %s, which is not followed: the API does not redirect"
                              % _location(answer.headers.get("Location")))
    if not answer.content:
        return None
    try:
        return _json(answer.content)
    except RecursionError:
        message = "the response body is nested too deeply to read"
    except ValueError:
        message = "the response body is not JSON"
    raise SevallaAPIError(method, path, answer.status_code, answer.reason, message=message, request_id=request_id)


def _json(content):
    """Decoded JSON; a lone surrogate (a JSON escape such as \\ud800) becomes U+FFFD, which Ansible can return."""
    value = json.loads(content)
    return _without_lone_surrogates(value) if SURROGATE_ESCAPE_RE.search(content) else value


def _without_lone_surrogates(value):
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return dict((_without_lone_surrogates(key), _without_lone_surrogates(item)) for key, item in value.items())
    return value


def _location(location):
    """The scheme and host of a Location header, never its path, query or user info."""
    if not location:
        return "no Location"
    try:
        parts = urlsplit(location)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return "an unreadable Location"
    if not parts.scheme and not host:
        return "a relative Location"
    return repr("%s://%s" % (parts.scheme, host[:100]))


def _status_error(method, path, answer, request_id, attempt):
    try:
        body = _json(answer.content)
    except (ValueError, RecursionError):
        body = None
    body = body if isinstance(body, dict) else {}
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    message = body.get("message") if isinstance(body.get("message"), str) else None
    message = message or answer.reason or "no message"
    detail = data.get("message") if isinstance(data.get("message"), str) else None
    note = None
    if answer.status_code == 429:
        wait = rate_limit_wait(answer.headers)
        reset = "" if wait is None else ", the rate limit resets in %d s" % math.ceil(wait)
        note = "gave up %s%s" % (_tries(attempt), reset)
    elif answer.status_code >= 500 and attempt:
        note = "gave up %s" % _tries(attempt)
    return SevallaAPIError(method, path, answer.status_code, answer.reason, message,
                           code=data.get("code"), request_id=request_id, detail=detail, note=note)


def _page_contents(page, path):
    if not isinstance(page, dict) or not isinstance(page.get("data"), list) or not isinstance(page.get("total"), int):
        raise SevallaAPIError("GET", path, message="unexpected response shape: expected an object with a 'data' list and a 'total' count")
    return page["data"], page["total"]


def _pages_error(path, what):
    return SevallaAPIError("GET", path, message="the pages do not add up: %s" % what)


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
    """AnsibleModule with the shared options, their checks, and the API client.

    failure_result holds the keys every failure of the module carries, even one of the argument spec, so that
    the keys its RETURN documents as returned always are there."""

    def __init__(self, argument_spec, failure_result=None, **kwargs):
        self._failure_result = dict(failure_result or {})
        super(SevallaModule, self).__init__(argument_spec=sevalla_argument_spec(**argument_spec), **kwargs)
        self.params["api_url"] = self.params["api_url"] or DEFAULT_API_URL  # an empty SEVALLA_API_URL means unset
        self.params["api_key"] = clean_api_key(self.params["api_key"])
        if self.params["api_key"]:
            self.no_log_values.add(self.params["api_key"])
        if REQUESTS_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self._client = None
        self.run_checks(check_connection_options)
        warning = clear_text_warning(self.params["api_url"])
        if warning:
            self.warn(warning)

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

    def fail_json(self, msg, **result):
        # Also on a failure of the argument spec: Ansible masks these in msg and in the task's invocation.
        self.no_log_values.update(url_secrets(getattr(self, "params", {}).get("api_url")))
        failure = dict(self._failure_result)
        failure.update(result)
        super(SevallaModule, self).fail_json(msg=msg, **failure)

    def run(self, action):
        """Exit with what action(module) returns; turn a SevallaError into a clean failure."""
        try:
            result = action(self)
        except SevallaError as error:
            self.fail_from(error)
        self.exit_json(**result)


# ---------------------------------------------------------------------------
# Input checks: each raises SevallaError naming the option and what it accepts, never a secret.

def clean_api_key(api_key):
    """The key without surrounding whitespace (a pasted key often ends with a newline); None when empty."""
    return (api_key.strip() or None) if api_key else None


def url_secrets(api_url):
    """The password (or token) in the user info of a URL, as written and decoded, for no_log to mask."""
    if not isinstance(api_url, str):
        return []
    authority = api_url.partition("//")[2]
    if "@" not in authority:
        return []
    userinfo = authority.rpartition("@")[0]
    secret = userinfo.partition(":")[2] if ":" in userinfo else userinfo
    return [form for form in sorted(set((secret, unquote(secret)))) if form]


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
    import ipaddress
    if host.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
