# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The transport: the one Sevalla API client and its errors.

It sends a request, retries what is safe to retry, bounds every attempt in time and size, pages through lists,
and turns every failure into a SevallaAPIError that names the HTTP status, the API's message, the request id
and the base URL, never a secret. It knows nothing of Ansible or of the resources."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import math
import random
import re
import socket
import threading
import time
import traceback

from urllib.parse import unquote, urlsplit

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
# Sending these again does no more than sending them once. A POST is never sent again once it may have
# reached the server: see post_once().
IDEMPOTENT_METHODS = frozenset(("GET", "PUT", "PATCH", "DELETE"))
# A refused connection rarely mends within a task: one more try, then the failure.
REFUSED_RETRIES = 1
REDACTED = "********"
# A JSON escape of a UTF-16 surrogate; only these can put a lone surrogate into decoded text.
SURROGATE_ESCAPE_RE = re.compile(br"\\[uU][dD][89a-fA-F]")


class SevallaError(Exception):
    """A failure to report to the user; `details` become structured result keys."""

    not_found = False  # see SevallaAPIError

    def __init__(self, message, **details):
        super(SevallaError, self).__init__(message)
        self.details = details

    def explain(self, explanation):
        """The same error with an explanation in front of its message, for the caller who knows what was meant."""
        self.args = ("%s. %s" % (explanation, self.args[0]),)
        return self


class SevallaAPIError(SevallaError):
    """A failed API call, with the facts the API gave about it.

    from_api is true when the answer carried the API's own error body: only then does a 404 say that
    something does not exist (a proxy, or a wrong api_url, answers 404 too). sent is false when the request
    never left this machine (the host did not resolve, the connection was refused or not made in time)."""

    def __init__(self, method, path, status=None, reason=None, message=None, code=None, request_id=None,
                 detail=None, note=None, url=None, from_api=False, sent=True):
        self.status = status
        self.request_id = request_id
        self.from_api = from_api
        self.sent = sent
        facts = dict(method=method, path=path, status=status, reason=reason, message=message,
                     code=code, request_id=request_id, detail=detail)
        super(SevallaAPIError, self).__init__(_describe_api_error(facts, note, url), api_error=facts)

    @property
    def may_have_acted(self):
        """Whether the request may have done its work all the same: sent, and no readable answer or a 5xx."""
        return self.sent and (self.status is None or self.status < 300 or self.status >= 500)

    @property
    def not_found(self):
        """The API itself said that what the path names does not exist."""
        return self.status == 404 and self.from_api


def _describe_api_error(facts, note, url):
    request = "%s %s%s" % (facts["method"], url or "", facts["path"])
    if facts["status"] is None:
        text = "Sevalla API request %s failed: %s" % (request, facts["message"])
    else:
        text = "Sevalla API returned %s %s for %s: %s" % (facts["status"], facts["reason"], request, facts["message"])
        if facts["detail"] and facts["detail"] != facts["message"] and facts["status"] in (400, 403, 409, 422, 429):
            text += " - %s" % facts["detail"]
    ids = ["%s %s" % (label, facts[key]) for key, label in (("code", "code"), ("request_id", "request id")) if facts[key]]
    if ids:
        text += " (%s)" % ", ".join(ids)
    if note:
        text += "; %s" % note
    return text


def post_once(client, path, body, effect, advice, shape=None, timeout=None):
    """Send a POST that acts (a create, an exec, a deployment, a trigger, a rollback, a cancel), at most once.

    A 429 is sent again (the API did not process it), and so is a connection that never reached the server.
    A 5xx, a lost answer or an answer not shaped as shape() expects is not, since the request may have acted;
    the failure then says so: `effect` names what may have happened ("the process may have been created")
    and `advice` what to do about it."""
    try:
        return client.post(path, body, timeout=timeout, shape=shape)
    except SevallaAPIError as error:
        if error.may_have_acted:
            raise error.explain("%s%s: the request was not sent again. %s" % (effect[0].upper(), effect[1:], advice))
        raise


def shaped(body, what, keys):
    """body, when it is an object with these keys; else the error a shape= check raises (see SevallaClient.request)."""
    if not isinstance(body, dict) or not all(key in body for key in keys):
        raise SevallaError("unexpected response shape: expected %s object with %s" % (what, ", ".join(keys)))
    return body


def explain_not_found(error, target):
    """The error, explained as `target` not existing when the API said so."""
    return error.explain("%s was not found" % target) if error.not_found else error


# ---------------------------------------------------------------------------
# Waits: how long a 429 asks for, and the backoff between other retries.

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


def clock_time(seconds_from_now):
    """The UTC clock time that many seconds from now, as HH:MM:SS UTC."""
    return time.strftime("%H:%M:%S UTC", time.gmtime(time.time() + seconds_from_now))


# ---------------------------------------------------------------------------
# URLs and secrets.

def url_secrets(api_url):
    """The password (or token) in the user info of a URL, as written and decoded: what must never be shown."""
    if not isinstance(api_url, str):
        return []
    authority = api_url.partition("//")[2]
    if "@" not in authority:
        return []
    userinfo = authority.rpartition("@")[0]
    secret = userinfo.partition(":")[2] if ":" in userinfo else userinfo
    return [form for form in sorted(set((secret, unquote(secret)))) if form]


def public_url(url):
    """The URL without user info (everything up to the last @, as url_secrets reads it), for messages."""
    scheme, _sep, rest = url.partition("://")
    return "%s://%s" % (scheme, rest.rpartition("@")[2])


class _BearerAuth(_AuthBase):
    """The key as requests' auth hook: with an auth set, requests never takes ~/.netrc or URL user info."""

    def __init__(self, api_key):
        self._api_key = api_key

    def __call__(self, request):
        request.headers["Authorization"] = "Bearer %s" % self._api_key
        return request

    def __repr__(self):
        return "<Bearer auth>"


# ---------------------------------------------------------------------------
# One attempt: a request and its whole answer, within a deadline.

class AttemptTimeout(_Timeout):
    """One attempt outlived its deadline (connecting, sending and reading the whole answer)."""


class _Answer:
    """What one attempt received: the status, the headers and the whole body, read within the deadline."""

    def __init__(self, response, content):
        self.status_code = response.status_code
        self.reason = response.reason
        self.headers = response.headers
        self.content = content


def _bounded(seconds, work):
    """work() run in a helper thread that this thread waits for at most `seconds`; AttemptTimeout after that.

    Socket timeouts bound each wait for a byte, not a whole answer that comes one byte at a time. Waiting for
    the thread bounds the whole, in whatever thread the client runs. A thread given up on is a daemon: it
    ends with its connection, or with the module's process."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as exc:  # pylint: disable=broad-except
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="sevalla-request", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise AttemptTimeout("no complete answer within %s s" % seconds)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _read_body(method, path, response, deadline, error):
    """The body, decompressed, read in chunks; a body that is too large fails before the rest is read."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise _too_large(method, path, response, error)
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK_BYTES):
        if time.monotonic() > deadline:  # the caller has given up: stop reading
            raise AttemptTimeout("the answer outlived its deadline")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large(method, path, response, error)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(method, path, response, error):
    return error(method, path, response.status_code, response.reason,
                 message="the response body is larger than %d MiB; the rest was not read" % (MAX_BODY_BYTES // (1024 * 1024)),
                 request_id=response.headers.get("x-request-id"))


# ---------------------------------------------------------------------------
# Transport failures: which can mend, and whether the request left this machine.

def _causes(exc):
    """exc and every exception behind it (cause, context, urllib3's reason and wrapped arguments)."""
    seen, stack = set(), [exc]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        stack.extend(arg for arg in current.args if isinstance(arg, BaseException))


def transport_failure(exc):
    """(kind, sent) of a requests exception.

    kind: 'tls' and 'dns' cannot mend by retrying; 'refused' is tried once more; 'timeout' and 'connection'
    keep every retry. sent is false when the request cannot have reached the server."""
    causes = list(_causes(exc))
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls", False
    if any(isinstance(cause, socket.gaierror) or type(cause).__name__ == "NameResolutionError" for cause in causes):
        return "dns", False
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return "refused", False
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "timeout", False
    if isinstance(exc, requests.exceptions.Timeout):
        return "timeout", True
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "connection", True
    return "other", True


# ---------------------------------------------------------------------------
# The client.

class SevallaClient:
    """A small REST client: Bearer auth, JSON, bounded retries, deadlines and sizes, one error type.

    waits records every wait before a request was sent again, for the task to report."""

    def __init__(self, api_key, api_url=DEFAULT_API_URL, timeout=30, retries=5, validate_certs=True, sleep=None,
                 secrets=()):
        self.base_url = api_url.rstrip("/")
        self.shown_url = public_url(self.base_url)
        self.timeout = timeout
        self.retries = retries
        self.waits = []
        self._sleep = sleep or time.sleep
        self._secrets = [api_key] + url_secrets(api_url)
        # More secrets, such as values the task sends or reads; kept by reference, so that the caller may add to it.
        self._more_secrets = secrets
        # Per request, not on the session: requests lets REQUESTS_CA_BUNDLE override a session's verify=False.
        self.verify = validate_certs
        self.session = requests.Session()  # trust_env stays on: proxies and REQUESTS_CA_BUNDLE apply
        self.session.auth = _BearerAuth(api_key)
        self.session.headers.update({
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        })

    def get(self, path, params=None, shape=None):
        return self.request("GET", path, params=params, shape=shape)

    def put(self, path, body, shape=None):
        return self.request("PUT", path, body=body, shape=shape)

    def patch(self, path, body, shape=None):
        return self.request("PATCH", path, body=body, shape=shape)

    def post(self, path, body, timeout=None, shape=None):
        return self.request("POST", path, body=body, timeout=timeout, shape=shape)

    def delete(self, path):
        return self.request("DELETE", path)

    def list(self, path, params=None, limit=None, shape=None):
        """Every item of an offset-paginated collection, or its first `limit`, fetched at the largest page size."""
        def page_shape(page):
            if not isinstance(page, dict) or not isinstance(page.get("data"), list) or not isinstance(page.get("total"), int):
                raise SevallaError("unexpected response shape: expected an object with a 'data' list and a 'total' count")
            return [shape(item) for item in page["data"]] if shape else page["data"], page["total"]

        items = []
        for page_number in range(1, MAX_PAGES + 1):
            size = MAX_PAGE_SIZE if limit is None else min(MAX_PAGE_SIZE, limit - len(items))
            page_params = dict(params or {}, limit=size, offset=len(items))
            data, total = self.get(path, params=page_params, shape=page_shape)
            items.extend(data)
            if len(items) > total:
                raise self._pages_error(path, "%d items arrived on %d pages, more than the total of %d"
                                        % (len(items), page_number, total))
            if len(items) == total or (limit is not None and len(items) >= limit):
                return items[:limit]
            if not data:
                raise self._pages_error(path, "page %d is empty, but only %d of the total of %d items arrived"
                                        % (page_number, len(items), total))
        raise self._pages_error(path, "the list did not end within %d pages (%d items read)" % (MAX_PAGES, len(items)))

    def error(self, method, path, *args, **kwargs):
        """A SevallaAPIError about this API: it names the base URL, and a 404 from a URL without /v3 gets a hint."""
        error = SevallaAPIError(method, path, *args, url=self.shown_url, **kwargs)
        if error.status == 404 and not urlsplit(self.base_url).path.endswith("/v3"):
            error.from_api = False  # maybe not the API at all: this 404 cannot say that something is missing
            error.args = ("%s. Check api_url: its path does not end in /v3 as the API's does (%s), so this 404 may "
                          "be about the URL rather than a missing resource" % (error.args[0], DEFAULT_API_URL),)
        return error

    def request(self, method, path, body=None, params=None, timeout=None, shape=None):
        """Send one call, retrying what is safe to retry; return the decoded JSON body, through shape() if given.

        shape(body) returns what the caller wants of a success answer, or raises SevallaError when the answer is
        not shaped as the API documents it. Every failure, even an unexpected one, is a SevallaAPIError that
        names the method and the path."""
        timeout = timeout or self.timeout
        try:
            return self._request(method, path, body, params, timeout, shape)
        except SevallaError:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            raise self.error(method, path, message="unexpected %s in the client: %s" % (type(exc).__name__, self._redact(str(exc))))

    def _request(self, method, path, body, params, timeout, shape):
        attempt = 0
        while True:
            try:
                answer = self._attempt(method, path, body, params, timeout)
            except requests.exceptions.RequestException as exc:
                kind, sent = transport_failure(exc)
                if not self._may_retry(method, attempt, kind, sent):
                    raise self._transport_error(method, path, exc, kind, sent, timeout, attempt)
                delay, why = backoff_delay(attempt), _WAIT_REASONS[kind]
            else:
                if method == "DELETE" and attempt and answer.status_code == 404:
                    return None  # sent again after a failure: the first one did delete it
                delay, why = self._retry_delay(method, answer, attempt)
                if delay is None:
                    return self._decode(method, path, answer, attempt, shape)
            self.waits.append(dict(method=method, path=path, reason=why, seconds=round(delay, 1), attempt=attempt + 1))
            self._sleep(delay)
            attempt += 1

    def _may_retry(self, method, attempt, kind, sent):
        if attempt >= self.retries or kind in ("tls", "dns", "other"):
            return False
        if kind == "refused" and attempt >= REFUSED_RETRIES:
            return False
        return method in IDEMPOTENT_METHODS or not sent

    def _attempt(self, method, path, body, params, timeout):
        """One request and its whole answer, within `timeout` seconds; redirects are never followed."""
        deadline = time.monotonic() + timeout

        def send():
            response = self.session.request(method, self.base_url + path, json=body, params=params, timeout=timeout,
                                            verify=self.verify, allow_redirects=False, stream=True)
            try:
                return _Answer(response, _read_body(method, path, response, deadline, self.error))
            finally:
                response.close()
        return _bounded(timeout, send)

    def _retry_delay(self, method, answer, attempt):
        """(seconds to wait before sending again, why), or (None, None) to keep this answer."""
        if attempt >= self.retries:
            return None, None
        if answer.status_code == 429:  # not processed: safe for every method
            wait = rate_limit_wait(answer.headers)
            if wait is not None and wait > MAX_RATE_LIMIT_WAIT:
                return None, None  # an hourly limit: waiting a minute would only get another 429
            return (backoff_delay(attempt) if wait is None else wait), "rate limit (429)"
        if answer.status_code >= 500 and method in IDEMPOTENT_METHODS:
            return backoff_delay(attempt), "server error (%d)" % answer.status_code
        return None, None

    def _transport_error(self, method, path, exc, kind, sent, timeout, attempt):
        host = urlsplit(self.base_url).hostname
        if kind == "timeout":
            label = " (api_timeout)" if timeout == self.timeout else ""
            message = "timed out after %s s%s, %s" % (timeout, label, _tries(attempt))
        elif kind == "tls":
            message = ("TLS error with %s, not retried: %s. Check validate_certs, or point REQUESTS_CA_BUNDLE at "
                       "your CA bundle" % (host, self._redact(str(exc))))
        elif kind == "dns":
            message = "the host name %s does not resolve, not retried: check api_url" % host
        elif kind == "refused":
            message = "%s refused the connection, %s: is api_url right, and is the API up?" % (host, _tries(attempt))
        elif kind == "connection":
            message = "could not connect to %s or the connection was dropped, %s: %s" % (host, _tries(attempt), self._redact(str(exc)))
        else:
            message = "%s: %s" % (type(exc).__name__, self._redact(str(exc)))
        return self.error(method, path, message=message, sent=sent)

    def _decode(self, method, path, answer, attempt, shape):
        request_id = answer.headers.get("x-request-id")
        if answer.status_code >= 400:
            raise self._status_error(method, path, answer, request_id, attempt)
        if 300 <= answer.status_code < 400:
            raise self.error(method, path, answer.status_code, answer.reason, request_id=request_id,
                             message="a redirect to %s, which is not followed: the API does not redirect"
                             % _location(answer.headers.get("Location")))
        try:
            value = _json(answer.content) if answer.content else None
            return value if shape is None else shape(value)
        except RecursionError:
            message = "the response body is nested too deeply to read"
        except ValueError:
            message = "the response body is not JSON"
        except SevallaError as error:
            message = str(error)
        raise self.error(method, path, answer.status_code, answer.reason, message=message, request_id=request_id)

    def _status_error(self, method, path, answer, request_id, attempt):
        try:
            body = _json(answer.content)
        except (ValueError, RecursionError):
            body = None
        from_api = isinstance(body, dict) and isinstance(body.get("message"), str)
        body = body if isinstance(body, dict) else {}
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        # The API's own words may echo what was sent, a secret among them.
        message = self._redact((body.get("message") if from_api else None) or answer.reason or "no message")
        detail = self._redact(data.get("message")) if isinstance(data.get("message"), str) else None
        note = None
        if answer.status_code == 429:
            wait = rate_limit_wait(answer.headers)
            reset = "" if wait is None else ", the rate limit resets in %d s, at %s" % (math.ceil(wait), clock_time(wait))
            note = "gave up %s%s" % (_tries(attempt), reset)
        elif answer.status_code >= 500 and attempt:
            note = "gave up %s" % _tries(attempt)
        return self.error(method, path, answer.status_code, answer.reason, message, code=data.get("code"),
                          request_id=request_id, detail=detail, note=note, from_api=from_api)

    def _pages_error(self, path, what):
        return self.error("GET", path, message="the pages do not add up: %s" % what)

    def _redact(self, text):
        """text without the key or another secret, in the forms an exception's text may hold it (as is, or escaped)."""
        for secret in self._secrets + [secret for secret in self._more_secrets if isinstance(secret, str)]:
            if secret:
                for form in (secret, repr(secret)[1:-1], json.dumps(secret)[1:-1], secret.strip()):
                    if form:
                        text = text.replace(form, REDACTED)
        return text


_WAIT_REASONS = dict(timeout="timeout", connection="dropped connection", refused="refused connection")


def _tries(attempt):
    return "after %d attempt%s" % (attempt + 1, "" if attempt == 0 else "s")


def _json(content):
    """Decoded JSON. Bytes that are not UTF-8 become U+FFFD, as a lone surrogate (a JSON escape such as
    \\ud800) does, so that Ansible can return the text."""
    try:
        value = json.loads(content)
    except UnicodeDecodeError:
        value = json.loads(content.decode("utf-8", "replace"))
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
