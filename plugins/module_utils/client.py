# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The transport: the one Sevalla API client and its errors.

It sends a request, bounds every attempt in time and size, and pages through lists. When an attempt does not
succeed, failures.py (loaded only then) decides whether to wait and send it again, and describes the failure: a
SevallaAPIError that names the HTTP status, the URL, the API's message and the request id, never a secret. The
transport knows nothing of Ansible or of the resources."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
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
# Counted after decompression. Exec output is the only large answer the API gives.
MAX_BODY_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
# Sending these again does no more than sending them once. A POST is never sent again once it may have
# reached the server: see post_once().
IDEMPOTENT_METHODS = frozenset(("GET", "PUT", "PATCH", "DELETE"))
REDACTED = "********"
# A JSON escape of a UTF-16 surrogate; only these can put a lone surrogate into decoded text.
SURROGATE_ESCAPE = br"\\[uU][dD][89a-fA-F]"


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
        from ansible_collections.sevalla.cloud.plugins.module_utils.failures import describe  # only a failure needs it
        super(SevallaAPIError, self).__init__(describe(facts, note, url), api_error=facts)

    @property
    def may_have_acted(self):
        """Whether the request may have done its work all the same: sent, and no readable answer or a 5xx."""
        return self.sent and (self.status is None or self.status < 300 or self.status >= 500)

    @property
    def not_found(self):
        """The API itself said that what the path names does not exist."""
        return self.status == 404 and self.from_api


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


def too_large(method, path, response, error):
    return error(method, path, response.status_code, response.reason, request_id=response.headers.get("x-request-id"),
                 message="the response body is larger than %d MiB; the rest was not read" % (MAX_BODY_BYTES // 1048576))


def _read_body(method, path, response, deadline, error):
    """The body, decompressed, read in chunks; a body that is too large fails before the rest is read."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise too_large(method, path, response, error)
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK_BYTES):
        if time.monotonic() > deadline:  # the caller has given up: stop reading
            raise AttemptTimeout("the answer outlived its deadline")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large(method, path, response, error)
        chunks.append(chunk)
    return b"".join(chunks)


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
            raise self.error(method, path, message="unexpected %s in the client: %s" % (type(exc).__name__, self.redact(str(exc))))

    def _request(self, method, path, body, params, timeout, shape):
        attempt = 0
        while True:
            try:
                outcome = self._attempt(method, path, body, params, timeout)
                if 200 <= outcome.status_code < 300:
                    return self._decode(method, path, outcome, shape)
                if method == "DELETE" and attempt and outcome.status_code == 404:
                    return None  # sent again after a failure: the first one did delete it
            except requests.exceptions.RequestException as exc:
                outcome = exc
            from ansible_collections.sevalla.cloud.plugins.module_utils import failures  # only a failed attempt needs it
            delay, why = failures.next_try(self, method, path, outcome, attempt, timeout)  # or raises the failure
            self.waits.append(dict(method=method, path=path, reason=why, seconds=round(delay, 1), attempt=attempt + 1))
            self._sleep(delay)
            attempt += 1

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

    def _decode(self, method, path, answer, shape):
        """The JSON of a 2xx answer, through shape() if given; an answer that cannot be read is a failure."""
        try:
            value = decode_json(answer.content) if answer.content else None
            return value if shape is None else shape(value)
        except RecursionError:
            message = "the response body is nested too deeply to read"
        except ValueError:
            message = "the response body is not JSON"
        except SevallaError as error:
            message = str(error)
        raise self.error(method, path, answer.status_code, answer.reason, message=message,
                         request_id=answer.headers.get("x-request-id"))

    def _pages_error(self, path, what):
        return self.error("GET", path, message="the pages do not add up: %s" % what)

    def redact(self, text):
        """text without the key or another secret, in the forms an exception's text may hold it (as is, or escaped)."""
        for secret in self._secrets + [secret for secret in self._more_secrets if isinstance(secret, str)]:
            if secret:
                for form in (secret, repr(secret)[1:-1], json.dumps(secret)[1:-1], secret.strip()):
                    if form:
                        text = text.replace(form, REDACTED)
        return text


def decode_json(content):
    """Decoded JSON. Bytes that are not UTF-8 become U+FFFD, as a lone surrogate (a JSON escape such as
    \\ud800) does, so that Ansible can return the text."""
    try:
        value = json.loads(content)
    except UnicodeDecodeError:
        value = json.loads(content.decode("utf-8", "replace"))
    if re.search(SURROGATE_ESCAPE, content):  # compiled on first use
        from ansible_collections.sevalla.cloud.plugins.module_utils.failures import without_lone_surrogates
        value = without_lone_surrogates(value)
    return value
