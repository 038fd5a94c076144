# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The transport's other half: what to do when an attempt does not succeed, and how to say so.

next_try() decides, for an answer that is not a 2xx or for a requests exception, whether to wait and send the
request again (and how long), or to fail; describe() words every SevallaAPIError. client.py imports this module
only when an attempt fails, so a task whose requests succeed never loads it (a module is compiled at every run)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
import random
import socket
import time

from urllib.parse import urlsplit

try:
    import requests
except ImportError:  # failures happen only when requests sent something; base.py reports that it is missing
    requests = None

from ansible_collections.sevalla.cloud.plugins.module_utils.client import IDEMPOTENT_METHODS, decode_json

MAX_RATE_LIMIT_WAIT = 60
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
# A refused connection rarely mends within a task: one more try, then the failure.
REFUSED_RETRIES = 1
WAIT_REASONS = dict(timeout="timeout", connection="dropped connection", refused="refused connection")


def next_try(client, method, path, outcome, attempt, timeout):
    """(seconds to wait, what for) before sending the request again; raises the failure when it is not sent again.

    outcome is what the attempt got: an answer that is not a 2xx, or a requests exception."""
    if isinstance(outcome, requests.exceptions.RequestException):
        kind, sent = transport_failure(outcome)
        if attempt < client.retries and kind not in ("tls", "dns", "other") \
                and not (kind == "refused" and attempt >= REFUSED_RETRIES) and (method in IDEMPOTENT_METHODS or not sent):
            return backoff_delay(attempt), WAIT_REASONS[kind]
        raise transport_error(client, method, path, outcome, kind, sent, timeout, attempt)
    if 300 <= outcome.status_code < 400:
        raise client.error(method, path, outcome.status_code, outcome.reason, request_id=outcome.headers.get("x-request-id"),
                           message="a redirect to %s, which is not followed: the API does not redirect"
                           % location(outcome.headers.get("Location")))
    if attempt < client.retries:
        if outcome.status_code == 429:  # not processed: safe for every method
            wait = rate_limit_wait(outcome.headers)
            if wait is None or wait <= MAX_RATE_LIMIT_WAIT:  # more is an hourly limit: a minute would only get a 429
                return (backoff_delay(attempt) if wait is None else wait), "rate limit (429)"
        elif outcome.status_code >= 500 and method in IDEMPOTENT_METHODS:
            return backoff_delay(attempt), "server error (%d)" % outcome.status_code
    raise status_error(client, method, path, outcome, attempt)


def describe(facts, note, url):
    """The message of a SevallaAPIError: status, request (with the URL), the API's message, code and request id."""
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


def tries(attempt):
    return "after %d attempt%s" % (attempt + 1, "" if attempt == 0 else "s")


# ---------------------------------------------------------------------------
# Answers: an error status, in the API's words.

def status_error(client, method, path, answer, attempt):
    try:
        body = decode_json(answer.content)
    except (ValueError, RecursionError):
        body = None
    from_api = isinstance(body, dict) and isinstance(body.get("message"), str)
    body = body if isinstance(body, dict) else {}
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    # The API's own words may echo what was sent, a secret among them.
    message = client.redact((body.get("message") if from_api else None) or answer.reason or "no message")
    detail = client.redact(data.get("message")) if isinstance(data.get("message"), str) else None
    note = None
    if answer.status_code == 429:
        wait = rate_limit_wait(answer.headers)
        reset = "" if wait is None else ", the rate limit resets in %d s, at %s" % (math.ceil(wait), clock_time(wait))
        note = "gave up %s%s" % (tries(attempt), reset)
    elif answer.status_code >= 500 and attempt:
        note = "gave up %s" % tries(attempt)
    return client.error(method, path, answer.status_code, answer.reason, message, code=data.get("code"),
                        request_id=answer.headers.get("x-request-id"), detail=detail, note=note, from_api=from_api)


def location(value):
    """The scheme and host of a Location header, never its path, query or user info."""
    if not value:
        return "no Location"
    try:
        parts = urlsplit(value)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return "an unreadable Location"
    if not parts.scheme and not host:
        return "a relative Location"
    return repr("%s://%s" % (parts.scheme, host[:100]))


def without_lone_surrogates(value):
    """value with each lone UTF-16 surrogate (a JSON escape such as \\ud800) as U+FFFD, which Ansible can return."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return dict((without_lone_surrogates(key), without_lone_surrogates(item)) for key, item in value.items())
    return value


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


def transport_error(client, method, path, exc, kind, sent, timeout, attempt):
    host = urlsplit(client.base_url).hostname
    if kind == "timeout":
        label = " (api_timeout)" if timeout == client.timeout else ""
        message = "timed out after %s s%s, %s" % (timeout, label, tries(attempt))
    elif kind == "tls":
        message = ("TLS error with %s, not retried: %s. Check validate_certs, or point REQUESTS_CA_BUNDLE at "
                   "your CA bundle" % (host, client.redact(str(exc))))
    elif kind == "dns":
        message = "the host name %s does not resolve, not retried: check api_url" % host
    elif kind == "refused":
        message = "%s refused the connection, %s: is api_url right, and is the API up?" % (host, tries(attempt))
    elif kind == "connection":
        message = "could not connect to %s or the connection was dropped, %s: %s" % (host, tries(attempt), client.redact(str(exc)))
    else:
        message = "%s: %s" % (type(exc).__name__, client.redact(str(exc)))
    return client.error(method, path, message=message, sent=sent)
