# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared client: headers, retry policy, pagination, errors, process resolution, shared options."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import datetime
import email.utils
import gzip
import io
import os
import re
import socket
import sys
import threading
import time
import zlib

import pytest
import requests
import yaml

from ansible_collections.sevalla.cloud.plugins.doc_fragments.api import ModuleDocFragment
from ansible_collections.sevalla.cloud.plugins.module_utils import base
from ansible_collections.sevalla.cloud.plugins.module_utils import client as sevalla
from ansible_collections.sevalla.cloud.plugins.module_utils import failures
from ansible_collections.sevalla.cloud.plugins.module_utils import process as processes
from ansible_collections.sevalla.cloud.plugins.module_utils.application import App
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaClient, SevallaError
from ansible_collections.sevalla.cloud.plugins.module_utils.process import find_process

API = "https://api.sevalla.com/v3"
KEY = "unit-secret-key-123"
APP = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
PROC = "0b6a2b47-5c1e-4f7e-9d1a-3c2f4e5d6a7b"
PROC_URL = API + "/applications/%s/processes/%s" % (APP, PROC)
LIST_URL = API + "/applications/%s/processes" % APP


# Deeper than json can go: Python 3.13's C encoder and decoder reach far beyond sys.getrecursionlimit().
TOO_DEEP = 100 * sys.getrecursionlimit()


def api_error(status, message, code="err-123"):
    return {"message": message, "status": status, "data": {"code": code, "message": "contact support"}}


def process(key, index=0):
    return {"id": "%08d-0000-4000-8000-000000000000" % index, "key": key, "type": "worker"}


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return SevallaClient(KEY, API, timeout=7, retries=3, sleep=sleeps.append)


def raised(call, *args):
    with pytest.raises(SevallaError) as caught:
        call(*args)
    assert KEY not in str(caught.value)
    return caught.value


class TestRequests:
    def test_sends_bearer_json_and_user_agent(self, requests_mock, client):
        requests_mock.patch(PROC_URL, json={"id": PROC})
        client.patch("/applications/%s/processes/%s" % (APP, PROC), {"port": 8080})
        sent = requests_mock.last_request
        assert sent.headers["Authorization"] == "Bearer " + KEY
        assert sent.headers["Accept"] == "application/json"
        assert sent.headers["User-Agent"].startswith("sevalla.cloud/%s" % sevalla.COLLECTION_VERSION)
        assert sent.json() == {"port": 8080}
        assert sent.timeout == 7

    def test_version_matches_galaxy_yml(self):
        root = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
        with open(os.path.join(root, "galaxy.yml")) as galaxy:
            assert yaml.safe_load(galaxy)["version"] == sevalla.COLLECTION_VERSION

    def test_post_timeout_overrides_default(self, requests_mock, client):
        requests_mock.post(PROC_URL + "/exec", json={})
        client.post("/applications/%s/processes/%s/exec" % (APP, PROC), {"command": ["true"]}, timeout=25)
        assert requests_mock.last_request.timeout == 25

    @pytest.mark.parametrize("validate_certs", [True, False])
    def test_validate_certs_is_sent_with_every_request(self, requests_mock, monkeypatch, sleeps, validate_certs):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/private-ca.pem")
        requests_mock.get(PROC_URL, json={})
        SevallaClient(KEY, API, validate_certs=validate_certs, sleep=sleeps.append).get(PROC_URL[len(API):])
        assert requests_mock.last_request.verify == ("/etc/ssl/private-ca.pem" if validate_certs else False)

    def test_empty_body_is_none(self, requests_mock, client):
        requests_mock.delete(PROC_URL, status_code=204)
        assert client.delete("/applications/%s/processes/%s" % (APP, PROC)) is None


class TestRateLimits:
    def test_429_waits_for_reset_then_succeeds(self, requests_mock, client, sleeps):
        requests_mock.get(PROC_URL, [
            {"status_code": 429, "headers": {"x-ratelimit-reset": "3"}, "json": api_error(429, "Too many requests")},
            {"json": {"id": PROC}},
        ])
        assert client.get(PROC_URL[len(API):]) == {"id": PROC}
        assert requests_mock.call_count == 2
        assert sleeps == [3.0]

    def test_retry_after_wins_over_reset(self, requests_mock, client, sleeps):
        requests_mock.get(PROC_URL, [
            {"status_code": 429, "headers": {"Retry-After": "2", "x-ratelimit-reset": "9"}},
            {"json": {}},
        ])
        client.get(PROC_URL[len(API):])
        assert sleeps == [2.0]

    def test_a_wait_beyond_the_cap_fails_at_once(self, requests_mock, client, sleeps):
        requests_mock.post(PROC_URL, [{"status_code": 429, "headers": {"Retry-After": "3540"}}, {"json": {}}])
        error = raised(client.post, PROC_URL[len(API):], {})
        assert sleeps == [] and requests_mock.call_count == 1
        assert "gave up after 1 attempt, the rate limit resets in 3540 s" in str(error)

    def test_429_without_headers_backs_off(self, requests_mock, client, sleeps):
        requests_mock.get(PROC_URL, [{"status_code": 429}, {"json": {}}])
        client.get(PROC_URL[len(API):])
        assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1.0

    def test_429_is_retried_for_post(self, requests_mock, client):
        requests_mock.post(PROC_URL + "/exec", [{"status_code": 429, "headers": {"x-ratelimit-reset": "1"}}, {"json": {"exit_code": 0}}])
        assert client.post(PROC_URL[len(API):] + "/exec", {"command": ["true"]}) == {"exit_code": 0}
        assert requests_mock.call_count == 2

    def test_429_beyond_retries_names_status_and_reset(self, requests_mock, client, sleeps):
        requests_mock.get(PROC_URL, status_code=429, reason="Too Many Requests",
                          headers={"x-ratelimit-reset": "5", "x-request-id": "req-429"}, json=api_error(429, "Too many requests"))
        error = raised(client.get, PROC_URL[len(API):])
        assert requests_mock.call_count == 4
        assert sleeps == [5.0, 5.0, 5.0]
        assert "429 Too Many Requests" in str(error)
        assert "resets in 5 s" in str(error)
        assert "after 4 attempts" in str(error)
        assert error.details["api_error"]["request_id"] == "req-429"


class TestServerErrors:
    @pytest.mark.parametrize("method", ["GET", "PATCH"])
    @pytest.mark.parametrize("status", [500, 502, 503])
    def test_5xx_retried_for_get_and_patch(self, requests_mock, client, sleeps, method, status):
        requests_mock.register_uri(method, PROC_URL, [{"status_code": status}, {"json": {"id": PROC}}])
        assert client.request(method, PROC_URL[len(API):], body={} if method == "PATCH" else None) == {"id": PROC}
        assert requests_mock.call_count == 2
        assert len(sleeps) == 1

    def test_5xx_never_retried_for_post(self, requests_mock, client, sleeps):
        requests_mock.post(PROC_URL + "/exec", status_code=500, reason="Internal Server Error",
                           headers={"x-request-id": "req-500"}, json=api_error(500, "Internal Server Error"))
        error = raised(client.post, PROC_URL[len(API):] + "/exec", {"command": ["true"]})
        assert requests_mock.call_count == 1 and sleeps == []
        assert str(error).startswith("Sevalla API returned 500 Internal Server Error for POST %s/applications/" % API)
        assert "request id req-500" in str(error)

    def test_5xx_gives_up_after_retries(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=503, reason="Service Unavailable")
        error = raised(client.get, PROC_URL[len(API):])
        assert requests_mock.call_count == 4
        assert "gave up after 4 attempts" in str(error)

    def test_backoff_grows_with_jitter(self):
        for attempt, ceiling in enumerate([1, 2, 4, 8, 16, 30, 30]):
            delay = failures.backoff_delay(attempt)
            assert ceiling / 2 <= delay <= ceiling

    def test_zero_retries_sends_once(self, requests_mock, sleeps):
        requests_mock.get(PROC_URL, status_code=503)
        raised(SevallaClient(KEY, API, retries=0, sleep=sleeps.append).get, PROC_URL[len(API):])
        assert requests_mock.call_count == 1 and sleeps == []


class TestTransportErrors:
    def test_dropped_connection_retried_for_get(self, requests_mock, client):
        requests_mock.get(PROC_URL, [{"exc": requests.exceptions.ConnectionError("Connection aborted")}, {"json": {"id": PROC}}])
        assert client.get(PROC_URL[len(API):]) == {"id": PROC}
        assert requests_mock.call_count == 2

    def test_timeout_names_api_timeout(self, requests_mock, client):
        requests_mock.get(PROC_URL, exc=requests.exceptions.ReadTimeout("read timed out"))
        error = raised(client.get, PROC_URL[len(API):])
        assert requests_mock.call_count == 4
        assert "timed out after 7 s (api_timeout), after 4 attempts" in str(error)
        assert error.details["api_error"]["status"] is None

    @pytest.mark.parametrize("exc", [requests.exceptions.ConnectionError("reset"), requests.exceptions.ReadTimeout("slow")])
    def test_post_never_retried_on_transport_errors(self, requests_mock, client, exc):
        requests_mock.post(PROC_URL + "/exec", exc=exc)
        raised(client.post, PROC_URL[len(API):] + "/exec", {"command": ["true"]}, 25)
        assert requests_mock.call_count == 1

    def test_tls_error_not_retried_and_explained(self, requests_mock, client):
        requests_mock.get(PROC_URL, exc=requests.exceptions.SSLError("certificate verify failed"))
        error = raised(client.get, PROC_URL[len(API):])
        assert requests_mock.call_count == 1
        assert "validate_certs" in str(error) and "REQUESTS_CA_BUNDLE" in str(error)


class TestErrorShape:
    def test_message_names_status_message_code_and_request_id(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=404, reason="Not Found", headers={"x-request-id": "req-404"},
                          json=api_error(404, "Process not found", "err-abc"))
        error = raised(client.get, PROC_URL[len(API):])
        assert str(error) == ("Sevalla API returned 404 Not Found for GET %s/applications/%s/processes/%s: "
                              "Process not found (code err-abc, request id req-404)" % (API, APP, PROC))
        assert error.details["api_error"] == {
            "method": "GET", "path": "/applications/%s/processes/%s" % (APP, PROC), "status": 404,
            "reason": "Not Found", "message": "Process not found", "code": "err-abc", "request_id": "req-404",
            "detail": "contact support",
        }

    def test_validation_detail_is_shown(self, requests_mock, client):
        body = {"message": "Validation failed", "status": 400, "data": {"code": "err-v", "message": "port must be <= 65535"}}
        requests_mock.patch(PROC_URL, status_code=400, reason="Bad Request", json=body)
        assert "Validation failed - port must be <= 65535" in str(raised(client.patch, PROC_URL[len(API):], {"port": 1}))

    def test_permission_detail_is_shown(self, requests_mock, client):
        body = {"message": "Forbidden", "status": 403, "data": {"code": "err-f", "message": "read-only keys may run: ls, cat"}}
        requests_mock.post(PROC_URL + "/exec", status_code=403, reason="Forbidden", json=body)
        error = raised(client.post, PROC_URL[len(API):] + "/exec", {"command": ["touch", "x"]})
        assert "Forbidden - read-only keys may run: ls, cat" in str(error)

    def test_rate_limit_detail_is_shown(self, requests_mock, client):
        body = {"message": "Too Many Requests", "status": 429, "data": {"code": "err-r", "message": "20 new services per hour"}}
        requests_mock.post(PROC_URL, status_code=429, reason="Too Many Requests", json=body, headers={"Retry-After": "900"})
        assert "Too Many Requests - 20 new services per hour" in str(raised(client.post, PROC_URL[len(API):], {}))

    def test_support_boilerplate_is_not_shown_for_404(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=404, reason="Not Found", json=api_error(404, "Process not found"))
        assert "contact support" not in str(raised(client.get, PROC_URL[len(API):]))

    def test_secrets_the_caller_knows_are_redacted_from_the_api_message(self, requests_mock, sleeps):
        """An API message may echo what was sent; the secrets set is read at the time of the error."""
        secrets = set()
        client = SevallaClient(KEY, API, retries=0, sleep=sleeps.append, secrets=secrets)
        secrets.update(["s3cret-value", "old-value"])
        body = {"message": "value 's3cret-value' rejected", "status": 400,
                "data": {"code": "err-v", "message": "body.value: 'old-value' and 's3cret-value' differ"}}
        requests_mock.put(PROC_URL, status_code=400, reason="Bad Request", json=body)
        error = raised(client.put, PROC_URL[len(API):], {"value": "s3cret-value"})
        shown = str(error) + repr(error.details)
        assert "s3cret-value" not in shown and "old-value" not in shown
        assert error.details["api_error"]["message"] == "value '********' rejected"
        assert error.details["api_error"]["detail"] == "body.value: '********' and '********' differ"

    def test_error_body_that_is_not_json(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=403, reason="Forbidden", text="<html>denied</html>")
        assert ": Forbidden" in str(raised(client.get, PROC_URL[len(API):]))

    @pytest.mark.parametrize("text", ["<html>oops</html>", "{truncated"])
    def test_success_body_that_is_not_json(self, requests_mock, client, text):
        requests_mock.get(PROC_URL, text=text, headers={"x-request-id": "req-x"})
        error = raised(client.get, PROC_URL[len(API):])
        assert "the response body is not JSON" in str(error) and "req-x" in str(error)


class TestPagination:
    def pages(self, requests_mock, count):
        items = [process("worker-%03d" % i, i) for i in range(count)]

        def page(request, context):
            offset, limit = int(request.qs["offset"][0]), int(request.qs["limit"][0])
            return {"data": items[offset:offset + limit], "total": count, "offset": offset, "limit": limit}
        requests_mock.get(LIST_URL, json=page)
        return items

    @pytest.mark.parametrize("count, calls", [(0, 1), (5, 1), (100, 1), (101, 2), (130, 2), (250, 3)])
    def test_fetches_every_page_at_max_size(self, requests_mock, client, count, calls):
        items = self.pages(requests_mock, count)
        assert client.list(LIST_URL[len(API):]) == items
        assert requests_mock.call_count == calls
        assert [r.qs["limit"] for r in requests_mock.request_history] == [["100"]] * calls
        assert [r.qs["offset"][0] for r in requests_mock.request_history] == [str(100 * i) for i in range(calls)]

    @pytest.mark.parametrize("count, limit, sizes", [(250, 10, ["10"]), (250, 100, ["100"]), (250, 120, ["100", "20"]),
                                                     (5, 10, ["10"]), (130, 1000, ["100", "100"])])
    def test_a_limit_reads_only_the_pages_it_needs(self, requests_mock, client, count, limit, sizes):
        items = self.pages(requests_mock, count)
        assert client.list(LIST_URL[len(API):], limit=limit) == items[:limit]
        assert [r.qs["limit"][0] for r in requests_mock.request_history] == sizes

    def test_an_empty_page_before_the_total_fails(self, requests_mock, client):
        requests_mock.get(LIST_URL, [{"json": {"data": [process("a")], "total": 9}}, {"json": {"data": [], "total": 9}}])
        error = raised(client.list, LIST_URL[len(API):])
        assert "the pages do not add up: page 2 is empty, but only 1 of the total of 9 items arrived" in str(error)
        assert requests_mock.call_count == 2

    def test_more_items_than_the_total_fails(self, requests_mock, client):
        requests_mock.get(LIST_URL, json={"data": [process("a"), process("b", 1)], "total": 1})
        assert "2 items arrived on 1 pages, more than the total of 1" in str(raised(client.list, LIST_URL[len(API):]))
        assert requests_mock.call_count == 1

    def test_a_negative_total_fails(self, requests_mock, client):
        requests_mock.get(LIST_URL, json={"data": [], "total": -1})
        assert "the pages do not add up" in str(raised(client.list, LIST_URL[len(API):]))

    def test_an_endless_list_stops_after_1000_pages(self, requests_mock, client):
        def endless(request, context):
            assert int(request.qs["offset"][0]) < 1100, "the client did not stop"
            return {"data": [process("a")], "total": 10 ** 9}
        requests_mock.get(LIST_URL, json=endless)
        error = raised(client.list, LIST_URL[len(API):])
        assert "the list did not end within 1000 pages (1000 items read)" in str(error)
        assert requests_mock.call_count == sevalla.MAX_PAGES == 1000

    @pytest.mark.parametrize("body", [[], {"data": {}}, {"data": [], "total": "2"}, {"items": []}])
    def test_wrong_shape_is_a_clear_error(self, requests_mock, client, body):
        requests_mock.get(LIST_URL, json=body)
        assert "unexpected response shape" in str(raised(client.list, LIST_URL[len(API):]))


class TestFindProcess:
    def test_by_id_is_one_get(self, requests_mock, client):
        requests_mock.get(PROC_URL, json=process("web"))
        assert find_process(client, App(APP), process_id=PROC)["key"] == "web"
        assert requests_mock.call_count == 1

    def test_by_key_on_the_second_page(self, requests_mock, client):
        TestPagination().pages(requests_mock, 130)
        assert find_process(client, App(APP), process_key="worker-120")["key"] == "worker-120"
        assert requests_mock.call_count == 2

    def test_unknown_key_lists_existing_keys(self, requests_mock, client):
        requests_mock.get(LIST_URL, json={"data": [process("web"), process("worker")], "total": 2})
        message = str(raised(find_process, client, App(APP), None, "api"))
        assert message == "Application %s has no process with the key 'api'. Existing keys: web, worker" % APP

    def test_unknown_key_suggests_the_closest(self, requests_mock, client):
        requests_mock.get(LIST_URL, json={"data": [process("web"), process("worker")], "total": 2})
        message = str(raised(find_process, client, App(APP, "my-app (%s)" % APP), None, "wroker"))
        assert message == ("Application my-app (%s) has no process with the key 'wroker'. Did you mean 'worker'? "
                           "Existing keys: web, worker" % APP)

    def test_long_key_lists_are_shortened(self, requests_mock, client):
        TestPagination().pages(requests_mock, 130)
        message = str(raised(find_process, client, App(APP), None, "api"))
        assert "worker-029, ... (130 in all)" in message and "worker-030" not in message

    def test_unknown_process_id_is_named(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=404, reason="Not Found", headers={"x-request-id": "req-p"},
                          json=api_error(404, "Process not found"))
        error = raised(find_process, client, App(APP), PROC)
        assert str(error).startswith("Process %s of application %s was not found. Sevalla API returned 404" % (PROC, APP))
        assert error.details["api_error"]["request_id"] == "req-p"

    def test_unknown_application_is_named(self, requests_mock, client):
        requests_mock.get(LIST_URL, status_code=404, reason="Not Found", json=api_error(404, "Application not found"))
        assert str(raised(find_process, client, App(APP), None, "web")).startswith("Application %s was not found. " % APP)

    def test_a_404_that_is_not_the_apis_does_not_say_not_found(self, requests_mock, client):
        requests_mock.get(LIST_URL, status_code=404, reason="Not Found", text="<html>Not Found</html>")
        message = str(raised(find_process, client, App(APP), None, "web"))
        assert "was not found" not in message and message.startswith("Sevalla API returned 404 Not Found for GET ")

    def test_other_errors_pass_through_unchanged(self, requests_mock, client):
        requests_mock.get(LIST_URL, status_code=403, reason="Forbidden", json=api_error(403, "Forbidden"))
        assert str(raised(processes.list_processes, client, App(APP))).startswith("Sevalla API returned 403 Forbidden")

    def test_process_of_wrong_shape(self, requests_mock, client):
        requests_mock.get(PROC_URL, json={"unexpected": True})
        error = raised(find_process, client, App(APP), PROC)
        assert "expected a process object" in str(error) and error.details["api_error"]["status"] == 200


class TestRedirects:
    """Rule 1: a 3xx fails, naming the status and where it pointed; nothing is sent there."""

    @pytest.mark.parametrize("method", ["GET", "PATCH", "POST", "DELETE"])
    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    def test_redirect_fails_and_is_not_followed(self, requests_mock, client, sleeps, method, status):
        requests_mock.register_uri(method, PROC_URL, status_code=status, reason="Moved",
                                   headers={"Location": "https://user:pw@evil.example:8443/steal?key=1"})
        requests_mock.register_uri(method, "https://evil.example:8443/steal", json={"id": "stolen"})
        error = raised(client.request, method, PROC_URL[len(API):], {"port": 1} if method in ("PATCH", "POST") else None)
        assert [request.url for request in requests_mock.request_history] == [PROC_URL]
        assert sleeps == []
        assert str(error).startswith("Sevalla API returned %d Moved for %s %s/applications/" % (status, method, API))
        assert "a redirect to 'https://evil.example:8443', which is not followed" in str(error)
        assert "steal" not in str(error) and "pw" not in str(error)
        assert error.details["api_error"]["status"] == status

    @pytest.mark.parametrize("location, shown", [(None, "no Location"), ("/v3/elsewhere", "a relative Location")])
    def test_redirect_without_a_host(self, requests_mock, client, location, shown):
        requests_mock.get(PROC_URL, status_code=302, headers={"Location": location} if location else {})
        assert "a redirect to %s" % shown in str(raised(client.get, PROC_URL[len(API):]))


class TestCredentials:
    """Rule 5: only the key authenticates; netrc and URL user info never replace it, proxies still apply."""

    def test_netrc_does_not_replace_the_key(self, requests_mock, client, tmp_path, monkeypatch):
        netrc = tmp_path / "netrc"
        netrc.write_text("machine api.sevalla.com login someone password netrc-password\n")
        monkeypatch.setenv("NETRC", str(netrc))
        requests_mock.get(PROC_URL, json={})
        client.get(PROC_URL[len(API):])
        assert requests_mock.last_request.headers["Authorization"] == "Bearer " + KEY

    def test_url_user_info_does_not_replace_the_key(self, requests_mock, sleeps):
        requests_mock.get(PROC_URL.replace("https://", "https://someone:url-password@"), json={})
        SevallaClient(KEY, "https://someone:url-password@api.sevalla.com/v3", sleep=sleeps.append).get(PROC_URL[len(API):])
        assert requests_mock.last_request.headers["Authorization"] == "Bearer " + KEY

    def test_environment_proxies_still_apply(self, requests_mock, client, monkeypatch):
        monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        requests_mock.get(PROC_URL, json={})
        client.get(PROC_URL[len(API):])
        assert requests_mock.last_request.proxies.get("https") == "http://proxy.internal:3128"

    def test_the_key_is_not_in_the_auth_repr(self, client):
        assert KEY not in repr(client.session.auth) and KEY not in repr(client.session.headers)


@contextlib.contextmanager
def raw_server(answer):
    """An HTTP server on 127.0.0.1 that runs answer(connection, stop) per request, each in its own thread,
    as a real server would; bounded by stop."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()
    seen = []

    def handle(connection):
        with connection:
            seen.append(connection.recv(65536))
            try:
                answer(connection, stop)
            except OSError:
                pass

    def serve():
        while not stop.is_set():
            try:
                connection = listener.accept()[0]
            except socket.timeout:
                continue
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve)
    thread.daemon = True
    thread.start()
    try:
        yield "http://127.0.0.1:%d/v3" % listener.getsockname()[1], seen
    finally:
        stop.set()
        thread.join(10)
        listener.close()


def drip(data, interval=0.1, limit=10.0):
    """An answer that sends data one byte every interval, for at most limit seconds."""
    def answer(connection, stop):
        ended = time.monotonic() + limit
        for byte in data:
            if stop.is_set() or time.monotonic() > ended:
                return
            connection.sendall(bytes([byte]))
            time.sleep(interval)
    return answer


DRIPPING_BODY = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n" + b" " * 500
DRIPPING_HEADERS = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 500


class TestDeadlines:
    """Rule 2: api_timeout bounds each attempt as a whole, however slowly the answer comes."""

    @pytest.mark.parametrize("answer", [DRIPPING_BODY, DRIPPING_HEADERS], ids=["body", "headers"])
    def test_a_dripping_answer_ends_at_the_timeout(self, sleeps, answer):
        with raw_server(drip(answer)) as (url, seen):
            client = SevallaClient(KEY, url, timeout=1, retries=0, sleep=sleeps.append)
            started = time.monotonic()
            error = raised(client.get, "/applications")
            seconds = time.monotonic() - started
        assert seconds < 1.5, seconds
        assert "timed out after 1 s (api_timeout), after 1 attempt" in str(error)
        assert len(seen) == 1

    def test_each_retry_has_its_own_deadline(self, sleeps):
        with raw_server(drip(DRIPPING_BODY)) as (url, seen):
            client = SevallaClient(KEY, url, timeout=1, retries=2, sleep=sleeps.append)
            started = time.monotonic()
            error = raised(client.get, "/applications")
            seconds = time.monotonic() - started
        assert seconds < 3 * 1 + 1, seconds
        assert "after 3 attempts" in str(error) and len(seen) == 3 and len(sleeps) == 2

    def test_exec_post_bound_is_its_own_timeout_and_it_is_sent_once(self, sleeps):
        with raw_server(drip(DRIPPING_BODY)) as (url, seen):
            client = SevallaClient(KEY, url, timeout=30, retries=5, sleep=sleeps.append)
            started = time.monotonic()
            error = raised(client.post, "/exec", {"command": ["true"]}, 1)
            seconds = time.monotonic() - started
        assert seconds < 1.5, seconds
        assert "timed out after 1 s, after 1 attempt" in str(error)
        assert len(seen) == 1 and sleeps == []

    @pytest.mark.parametrize("answer", [DRIPPING_BODY, DRIPPING_HEADERS], ids=["body", "headers"])
    def test_the_deadline_holds_in_a_worker_thread(self, sleeps, answer):
        """No signal can reach a worker thread: the deadline must hold there too (AWX callbacks, tests, tools)."""
        outcome = {}

        def call(url):
            client = SevallaClient(KEY, url, timeout=1, retries=0, sleep=sleeps.append)
            started = time.monotonic()
            try:
                client.get("/applications")
            except SevallaError as error:
                outcome["error"] = error
            outcome["seconds"] = time.monotonic() - started

        with raw_server(drip(answer, interval=0.2)) as (url, seen):
            worker = threading.Thread(target=call, args=(url,))
            worker.start()
            worker.join(10)
        assert outcome["seconds"] < 1.5, outcome
        assert "timed out after 1 s (api_timeout), after 1 attempt" in str(outcome["error"])
        assert len(seen) == 1

    def test_a_body_is_read_against_the_deadline_between_chunks(self, requests_mock, sleeps, monkeypatch):
        client = SevallaClient(KEY, API, timeout=7, retries=0, sleep=sleeps.append)
        clock = iter(range(0, 10 ** 6, 100))  # each look at the clock is 100 s later
        monkeypatch.setattr(sevalla.time, "monotonic", lambda: float(next(clock)))
        requests_mock.get(PROC_URL, body=io.BytesIO(b"{}"))
        assert "timed out after 7 s" in str(raised(client.get, PROC_URL[len(API):]))

    def test_the_whole_answer_is_read_within_the_deadline(self, requests_mock, client):
        requests_mock.get(PROC_URL, json={"id": PROC})
        client.get(PROC_URL[len(API):])
        assert requests_mock.last_request.stream is True


class CountingBody(io.BytesIO):
    """A response body that remembers how much of it was read."""

    def __init__(self, data):
        super(CountingBody, self).__init__(data)
        self.read_bytes = 0

    def read(self, size=-1):
        data = super(CountingBody, self).read(size)
        self.read_bytes += len(data)
        return data

    def readinto(self, buffer):
        count = super(CountingBody, self).readinto(buffer)
        self.read_bytes += count
        return count


class TestBodySize:
    """Rule 3: a body larger than the limit, counted after decompression, fails without the rest being read."""

    @pytest.fixture(autouse=True)
    def small_limit(self, monkeypatch):
        monkeypatch.setattr(sevalla, "MAX_BODY_BYTES", 4 * 1024 * 1024)
        monkeypatch.setattr(sevalla, "CHUNK_BYTES", 1024)

    def test_a_body_at_the_limit_is_read(self, requests_mock, client):
        text = b'"' + b"x" * (sevalla.MAX_BODY_BYTES - 2) + b'"'
        requests_mock.get(PROC_URL, body=io.BytesIO(text))
        assert len(client.get(PROC_URL[len(API):])) == sevalla.MAX_BODY_BYTES - 2

    def test_a_huge_body_fails_early(self, requests_mock, client):
        stream = CountingBody(b"x" * (3 * sevalla.MAX_BODY_BYTES))
        requests_mock.get(PROC_URL, body=stream, headers={"x-request-id": "req-big"})
        error = raised(client.get, PROC_URL[len(API):])
        assert "the response body is larger than 4 MiB; the rest was not read" in str(error)
        assert "req-big" in str(error) and requests_mock.call_count == 1
        assert stream.read_bytes <= sevalla.MAX_BODY_BYTES + 64 * 1024

    def test_a_content_length_over_the_limit_fails_before_reading(self, requests_mock, client):
        stream = CountingBody(b"{}")
        requests_mock.get(PROC_URL, body=stream, headers={"Content-Length": str(10 ** 12)})
        assert "larger than 4 MiB" in str(raised(client.get, PROC_URL[len(API):]))
        assert stream.read_bytes == 0

    def test_a_gzip_bomb_is_counted_after_decompression(self, requests_mock, client):
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        bomb = b"".join(compressor.compress(b"\0" * (1 << 20)) for block in range(64)) + compressor.flush()
        assert len(bomb) < sevalla.MAX_BODY_BYTES // 20
        stream = CountingBody(bomb)
        requests_mock.get(PROC_URL, body=stream, headers={"Content-Encoding": "gzip"})
        assert "larger than 4 MiB" in str(raised(client.get, PROC_URL[len(API):]))
        assert stream.read_bytes < len(bomb) // 2

    def test_gzip_bodies_are_decoded(self, requests_mock, client):
        requests_mock.get(PROC_URL, body=io.BytesIO(gzip.compress(b'{"id": "x"}')), headers={"Content-Encoding": "gzip"})
        assert client.get(PROC_URL[len(API):]) == {"id": "x"}


class TestRetryHeaders:
    """Rule 4: Retry-After in seconds or as an HTTP date; odd values count as absent."""

    def answer_429(self, requests_mock, headers):
        requests_mock.get(PROC_URL, [{"status_code": 429, "headers": headers}, {"json": {}}])

    def test_an_http_date_is_read(self, requests_mock, client, sleeps):
        when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=8)
        self.answer_429(requests_mock, {"Retry-After": email.utils.format_datetime(when, usegmt=True)})
        client.get(PROC_URL[len(API):])
        assert len(sleeps) == 1 and 5 <= sleeps[0] <= 8

    def test_a_far_date_fails_at_once(self, requests_mock, client, sleeps):
        self.answer_429(requests_mock, {"Retry-After": "Fri, 31 Dec 2999 23:59:59 GMT"})
        assert "the rate limit resets in" in str(raised(client.get, PROC_URL[len(API):]))
        assert sleeps == [] and requests_mock.call_count == 1

    @pytest.mark.parametrize("headers", [
        {"Retry-After": "-5"}, {"Retry-After": "nan"}, {"Retry-After": "NaN"}, {"Retry-After": "inf"},
        {"Retry-After": "-Infinity"}, {"Retry-After": "1e999"}, {"Retry-After": "soon"},
        {"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}, {"Retry-After": ""}, {"Retry-After": "Mon, 99 Foo 2026"},
        {"x-ratelimit-reset": "-1"}, {"x-ratelimit-reset": "nan"}, {"x-ratelimit-reset": "inf"},
        {"Retry-After": "nan", "x-ratelimit-reset": "-3"},
    ])
    def test_odd_values_mean_backoff_never_at_once(self, requests_mock, client, sleeps, headers):
        self.answer_429(requests_mock, headers)
        client.get(PROC_URL[len(API):])
        assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1.0, sleeps

    def test_an_odd_retry_after_falls_back_to_the_reset(self, requests_mock, client, sleeps):
        self.answer_429(requests_mock, {"Retry-After": "-1", "x-ratelimit-reset": "4"})
        client.get(PROC_URL[len(API):])
        assert sleeps == [4.0]

    def test_zero_seconds_is_a_real_value(self, requests_mock, client, sleeps):
        self.answer_429(requests_mock, {"Retry-After": "0"})
        client.get(PROC_URL[len(API):])
        assert sleeps == [0.0]


class TestCleanFailures:
    """Rule 6: an unexpected exception in the client is an API error naming method and path, never the key."""

    def test_a_header_the_http_library_refuses(self, sleeps):
        def ok(connection, stop):
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        with raw_server(ok) as (url, seen):
            error = raised(SevallaClient(KEY + "\n", url, sleep=sleeps.append).get, "/applications")
        assert str(error).startswith("Sevalla API request GET %s/applications failed: unexpected " % url)
        assert "unit-secret" not in str(error) and "********" in str(error)
        assert seen == []

    def test_a_request_body_nested_too_deeply(self, requests_mock, client):
        body, depth = [], 0
        while depth < TOO_DEEP:
            body, depth = [body], depth + 1
        requests_mock.patch(PROC_URL, json={})
        error = raised(client.patch, PROC_URL[len(API):], body)
        assert str(error).startswith("Sevalla API request PATCH %s/applications/" % API)
        assert "RecursionError" in str(error) and requests_mock.call_count == 0

    def test_a_response_nested_too_deeply(self, requests_mock, client):
        requests_mock.get(PROC_URL, text="[" * TOO_DEEP + "]" * TOO_DEEP)
        assert "nested too deeply" in str(raised(client.get, PROC_URL[len(API):]))

    def test_an_unexpected_exception(self, requests_mock, client, monkeypatch):
        def broken(*args, **kwargs):
            raise KeyError("boom " + KEY)
        monkeypatch.setattr(client.session, "request", broken)
        error = raised(client.get, "/x")
        assert str(error) == "Sevalla API request GET %s/x failed: unexpected KeyError in the client: 'boom ********'" % API

    def test_lone_surrogates_become_the_replacement_character(self, requests_mock, client):
        requests_mock.get(PROC_URL, text='{"a": "x\\ud800y", "b": ["\\udfff"], "ok": "\\ud83d\\ude00"}')
        value = client.get(PROC_URL[len(API):])
        assert value == {"a": "x\ufffdy", "b": ["\ufffd"], "ok": "\U0001F600"}


class TestInputChecks:
    def params(self, **overrides):
        params = dict(api_key=KEY, api_url=API, api_timeout=30, api_retries=5)
        params.update(overrides)
        return params

    def test_missing_key_names_option_and_variable(self):
        message = str(raised(base.check_connection_options, self.params(api_key=None)))
        assert "api_key" in message and "SEVALLA_API_KEY" in message

    @pytest.mark.parametrize("overrides, words", [
        ({"api_url": "ftp://example.com"}, "api_url must be an http:// or https:// URL"),
        ({"api_timeout": 0}, "api_timeout must be between 1 and 3600"),
        ({"api_retries": 11}, "api_retries must be between 0 and 10"),
    ])
    def test_connection_options(self, overrides, words):
        assert words in str(raised(base.check_connection_options, self.params(**overrides)))

    @pytest.mark.parametrize("value", [
        "../etc/passwd", "%2F..%2F", APP + "/../x", APP.upper() + " ", "", "0b6a2b47-5c1e-0f7e-9d1a-3c2f4e5d6a7b", APP + "\n", 42,
    ])
    def test_uuid_rejects(self, value):
        assert "must be a UUID" in str(raised(base.check_uuid, "app_id", value))

    def test_uuid_accepts(self):
        base.check_uuid("app_id", APP)
        base.check_uuid("app_id", APP.upper())


def test_doc_fragment_matches_argument_spec():
    """validate-modules checks each module; this names the drift at its source."""
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    documented.update(yaml.safe_load(ModuleDocFragment.APPLICATION)["options"])
    documented.update(yaml.safe_load(ModuleDocFragment.PROCESS)["options"])
    spec = base.sevalla_argument_spec(**processes.process_selector_spec()[0])
    assert set(documented) == set(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc["type"] == option["type"], name
        assert doc.get("default") == option.get("default"), name
        assert doc.get("aliases", []) == option.get("aliases", []), name
        assert doc.get("required", False) == option.get("required", False), name


class TestIdempotentMethods:
    """PUT and DELETE are idempotent: sent again after a 5xx or a lost answer. POST never is."""

    @pytest.mark.parametrize("method", ["PUT", "DELETE"])
    def test_sent_again_after_a_5xx(self, requests_mock, client, sleeps, method):
        requests_mock.register_uri(method, PROC_URL, [{"status_code": 503}, {"json": {"message": "ok"}}])
        assert client.request(method, PROC_URL[len(API):], body={} if method == "PUT" else None) == {"message": "ok"}
        assert requests_mock.call_count == 2 and len(sleeps) == 1

    @pytest.mark.parametrize("method", ["PUT", "DELETE"])
    def test_sent_again_after_a_lost_answer(self, requests_mock, client, method):
        requests_mock.register_uri(method, PROC_URL, [{"exc": requests.exceptions.ConnectionError("reset by peer")},
                                                      {"json": {"message": "ok"}}])
        client.request(method, PROC_URL[len(API):], body={} if method == "PUT" else None)
        assert requests_mock.call_count == 2

    def test_a_delete_answered_404_after_being_sent_again_is_done(self, requests_mock, client):
        requests_mock.delete(PROC_URL, [{"exc": requests.exceptions.ReadTimeout("slow")},
                                        {"status_code": 404, "json": api_error(404, "Process not found")}])
        assert client.delete(PROC_URL[len(API):]) is None
        assert requests_mock.call_count == 2

    def test_a_first_delete_answered_404_is_an_error(self, requests_mock, client):
        requests_mock.delete(PROC_URL, status_code=404, json=api_error(404, "Process not found"))
        assert raised(client.delete, PROC_URL[len(API):]).not_found

    def test_a_put_answered_404_after_being_sent_again_is_an_error(self, requests_mock, client):
        requests_mock.put(PROC_URL, [{"status_code": 500}, {"status_code": 404, "json": api_error(404, "gone")}])
        assert raised(client.put, PROC_URL[len(API):], {}).status == 404


def message_of(answer):
    if not isinstance(answer, dict) or not isinstance(answer.get("message"), str):
        raise SevallaError("unexpected response shape: expected an object with a message")
    return answer["message"]


class TestPostOnce:
    """One rule for every POST that acts: never sent again once it may have reached the API."""

    def post(self, client):
        return sevalla.post_once(client, PROC_URL[len(API):] + "/trigger", None, effect="a run may have started",
                                 advice="Check before triggering it again", shape=message_of)

    @pytest.mark.parametrize("answer", [
        {"status_code": 500}, {"status_code": 503}, {"exc": requests.exceptions.ReadTimeout("slow")},
        {"exc": requests.exceptions.ConnectionError("Connection aborted")}, {"text": "<html>"}, {"json": {"other": 1}},
    ], ids=["500", "503", "timeout", "dropped", "not-json", "wrong-shape"])
    def test_may_have_acted_is_sent_once_and_said(self, requests_mock, client, sleeps, answer):
        requests_mock.post(PROC_URL + "/trigger", [answer, {"json": {"message": "again"}}])
        error = raised(self.post, client)
        assert requests_mock.call_count == 1 and sleeps == []
        assert str(error).startswith("A run may have started: the request was not sent again. Check before triggering")

    def test_a_429_is_sent_again(self, requests_mock, client):
        requests_mock.post(PROC_URL + "/trigger", [{"status_code": 429, "headers": {"Retry-After": "1"}},
                                                   {"json": {"message": "Cron job triggered"}}])
        assert self.post(client) == "Cron job triggered" and requests_mock.call_count == 2

    def test_a_refusal_is_not_called_may_have_acted(self, requests_mock, client):
        requests_mock.post(PROC_URL + "/trigger", status_code=400, json=api_error(400, "Bad request"))
        error = raised(self.post, client)
        assert "may have" not in str(error) and error.status == 400


class TestErrorsNameTheURL:
    def test_every_error_names_the_base_url_without_user_info(self, requests_mock, sleeps):
        url = "https://someone:url-pass@api.sevalla.com/v3"
        requests_mock.get(PROC_URL.replace("https://", "https://someone:url-pass@"), status_code=403, json=api_error(403, "no"))
        error = raised(SevallaClient(KEY, url, sleep=sleeps.append).get, PROC_URL[len(API):])
        assert "for GET https://api.sevalla.com/v3/applications/" in str(error) and "url-pass" not in str(error)

    def test_a_404_from_a_url_without_v3_gets_a_hint_and_claims_nothing(self, requests_mock, sleeps):
        requests_mock.get("http://127.0.0.1:8080" + PROC_URL[len(API):], status_code=404, json=api_error(404, "no route"))
        error = raised(SevallaClient(KEY, "http://127.0.0.1:8080", sleep=sleeps.append).get, PROC_URL[len(API):])
        assert "Check api_url: its path does not end in /v3" in str(error)
        assert not error.not_found
        assert str(sevalla.explain_not_found(error, "Process x")).startswith("Sevalla API returned 404")

    def test_a_404_from_the_v3_url_has_no_hint(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=404, json=api_error(404, "Process not found"))
        error = raised(client.get, PROC_URL[len(API):])
        assert "api_url" not in str(error) and error.not_found


class TestNonUtf8:
    def test_bytes_that_are_not_utf8_become_the_replacement_character(self, requests_mock, client):
        requests_mock.post(PROC_URL + "/exec", content=b'{"stdout": "caf\xe9 \xff", "stderr": "", "exit_code": 0}')
        answer = client.post(PROC_URL[len(API):] + "/exec", {"command": ["cat", "x"]})
        assert answer == {"stdout": "caf\ufffd \ufffd", "stderr": "", "exit_code": 0}


def closed_port():
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TestFailuresNoRetryCanMend:
    def test_a_refused_connection_is_tried_twice_and_names_the_host(self, sleeps):
        client = SevallaClient(KEY, "http://127.0.0.1:%d/v3" % closed_port(), retries=5, sleep=sleeps.append)
        error = raised(client.get, "/applications")
        assert len(sleeps) == 1 and "127.0.0.1 refused the connection, after 2 attempts" in str(error)
        assert not error.may_have_acted

    def test_a_refused_post_is_tried_twice_too_as_it_never_left(self, sleeps):
        client = SevallaClient(KEY, "http://127.0.0.1:%d/v3" % closed_port(), retries=5, sleep=sleeps.append)
        error = raised(sevalla.post_once, client, "/x", {}, "it may have acted", "Check")
        assert len(sleeps) == 1 and "may have acted" not in str(error)

    def test_a_host_that_does_not_resolve_fails_at_once(self, sleeps, monkeypatch):
        def no_such_host(*args, **kwargs):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
        client = SevallaClient(KEY, "https://api.sevalla.invalid/v3", retries=5, sleep=sleeps.append)
        error = raised(client.get, "/applications")
        assert sleeps == [] and "the host name api.sevalla.invalid does not resolve, not retried" in str(error)

    def test_a_certificate_error_fails_at_once_naming_the_host(self, requests_mock, client, sleeps):
        requests_mock.get(PROC_URL, exc=requests.exceptions.SSLError("certificate verify failed"))
        error = raised(client.get, PROC_URL[len(API):])
        assert sleeps == [] and "TLS error with api.sevalla.com, not retried" in str(error)

    def test_timeouts_and_dropped_connections_keep_their_retries(self, requests_mock, client):
        requests_mock.get(PROC_URL, exc=requests.exceptions.ConnectionError("Connection aborted"))
        raised(client.get, PROC_URL[len(API):])
        assert requests_mock.call_count == 4


class TestWaitsAreRecorded:
    def test_each_wait_is_recorded(self, requests_mock, client):
        requests_mock.get(PROC_URL, [{"status_code": 429, "headers": {"Retry-After": "3"}}, {"status_code": 502}, {"json": {}}])
        client.get(PROC_URL[len(API):])
        path = PROC_URL[len(API):]
        assert client.waits[0] == dict(method="GET", path=path, reason="rate limit (429)", seconds=3.0, attempt=1)
        assert client.waits[1]["reason"] == "server error (502)" and client.waits[1]["attempt"] == 2

    def test_a_429_that_fails_gives_the_reset_as_a_utc_clock_time(self, requests_mock, client):
        requests_mock.post(PROC_URL, status_code=429, headers={"Retry-After": "600"})
        assert re.search(r"resets in 600 s, at \d\d:\d\d:\d\d UTC", str(raised(client.post, PROC_URL[len(API):], {})))

    def test_one_warning_per_request_sent_again(self):
        waits = [dict(method="GET", path="/a", reason="rate limit (429)", seconds=3.0, attempt=1),
                 dict(method="GET", path="/a", reason="server error (502)", seconds=1.5, attempt=2),
                 dict(method="PUT", path="/b", reason="timeout", seconds=1.0, attempt=1)]
        assert list(base.wait_warnings(waits)) == [
            "GET /a took 3 attempts: waited 4.5 s in all (3.0 s for a rate limit (429), 1.5 s for a server error (502))",
            "PUT /b took 2 attempts: waited 1.0 s in all (1.0 s for a timeout)"]
