# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared client: headers, retry policy, pagination, errors, process resolution, shared options."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest
import requests
import yaml

from ansible_collections.sevalla.cloud.plugins.doc_fragments.api import ModuleDocFragment
from ansible_collections.sevalla.cloud.plugins.module_utils import sevalla
from ansible_collections.sevalla.cloud.plugins.module_utils import process as processes
from ansible_collections.sevalla.cloud.plugins.module_utils.process import find_process
from ansible_collections.sevalla.cloud.plugins.module_utils.sevalla import SevallaClient, SevallaError

API = "https://api.sevalla.com/v3"
KEY = "unit-secret-key-123"
APP = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
PROC = "0b6a2b47-5c1e-4f7e-9d1a-3c2f4e5d6a7b"
PROC_URL = API + "/applications/%s/processes/%s" % (APP, PROC)
LIST_URL = API + "/applications/%s/processes" % APP


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

    def test_wait_is_capped(self, requests_mock, client, sleeps):
        requests_mock.get(PROC_URL, [{"status_code": 429, "headers": {"x-ratelimit-reset": "3600"}}, {"json": {}}])
        client.get(PROC_URL[len(API):])
        assert sleeps == [60]

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
        assert str(error).startswith("Sevalla API returned 500 Internal Server Error for POST /applications/")
        assert "request id req-500" in str(error)

    def test_5xx_gives_up_after_retries(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=503, reason="Service Unavailable")
        error = raised(client.get, PROC_URL[len(API):])
        assert requests_mock.call_count == 4
        assert "gave up after 4 attempts" in str(error)

    def test_backoff_grows_with_jitter(self):
        for attempt, ceiling in enumerate([1, 2, 4, 8, 16, 30, 30]):
            delay = sevalla.backoff_delay(attempt)
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
        assert str(error) == ("Sevalla API returned 404 Not Found for GET /applications/%s/processes/%s: "
                              "Process not found (code err-abc, request id req-404)" % (APP, PROC))
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

    def test_support_boilerplate_is_not_shown_for_404(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=404, reason="Not Found", json=api_error(404, "Process not found"))
        assert "contact support" not in str(raised(client.get, PROC_URL[len(API):]))

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

    def test_stops_on_an_empty_page(self, requests_mock, client):
        requests_mock.get(LIST_URL, [{"json": {"data": [process("a")], "total": 9}}, {"json": {"data": [], "total": 9}}])
        assert len(client.list(LIST_URL[len(API):])) == 1
        assert requests_mock.call_count == 2

    @pytest.mark.parametrize("body", [[], {"data": {}}, {"data": [], "total": "2"}, {"items": []}])
    def test_wrong_shape_is_a_clear_error(self, requests_mock, client, body):
        requests_mock.get(LIST_URL, json=body)
        assert "unexpected response shape" in str(raised(client.list, LIST_URL[len(API):]))


class TestFindProcess:
    def test_by_id_is_one_get(self, requests_mock, client):
        requests_mock.get(PROC_URL, json=process("web"))
        assert find_process(client, APP, process_id=PROC)["key"] == "web"
        assert requests_mock.call_count == 1

    def test_by_key_on_the_second_page(self, requests_mock, client):
        TestPagination().pages(requests_mock, 130)
        assert find_process(client, APP, process_key="worker-120")["key"] == "worker-120"
        assert requests_mock.call_count == 2

    def test_unknown_key_lists_existing_keys(self, requests_mock, client):
        requests_mock.get(LIST_URL, json={"data": [process("web"), process("worker")], "total": 2})
        message = str(raised(find_process, client, APP, None, "api"))
        assert message == "Application %s has no process with the key 'api'. Existing keys: web, worker" % APP

    def test_long_key_lists_are_shortened(self, requests_mock, client):
        TestPagination().pages(requests_mock, 130)
        message = str(raised(find_process, client, APP, None, "api"))
        assert "worker-029, ... (130 in all)" in message and "worker-030" not in message

    def test_unknown_process_id_is_named(self, requests_mock, client):
        requests_mock.get(PROC_URL, status_code=404, reason="Not Found", headers={"x-request-id": "req-p"},
                          json=api_error(404, "Process not found"))
        error = raised(find_process, client, APP, PROC)
        assert str(error).startswith("Process %s of application %s was not found. Sevalla API returned 404" % (PROC, APP))
        assert error.details["api_error"]["request_id"] == "req-p"

    def test_unknown_application_is_named(self, requests_mock, client):
        requests_mock.get(LIST_URL, status_code=404, reason="Not Found", json=api_error(404, "Application not found"))
        assert str(raised(find_process, client, APP, None, "web")).startswith("Application %s was not found. " % APP)

    def test_other_errors_pass_through_unchanged(self, requests_mock, client):
        requests_mock.get(LIST_URL, status_code=403, reason="Forbidden", json=api_error(403, "Forbidden"))
        assert str(raised(processes.list_processes, client, APP)).startswith("Sevalla API returned 403 Forbidden")

    def test_process_of_wrong_shape(self, requests_mock, client):
        requests_mock.get(PROC_URL, json={"unexpected": True})
        assert "expected a process object" in str(raised(find_process, client, APP, PROC))


class TestInputChecks:
    def params(self, **overrides):
        params = dict(api_key=KEY, api_url=API, api_timeout=30, api_retries=5)
        params.update(overrides)
        return params

    def test_missing_key_names_option_and_variable(self):
        message = str(raised(sevalla.check_connection_options, self.params(api_key=None)))
        assert "api_key" in message and "SEVALLA_API_KEY" in message

    @pytest.mark.parametrize("overrides, words", [
        ({"api_url": "ftp://example.com"}, "api_url must be an http:// or https:// URL"),
        ({"api_timeout": 0}, "api_timeout must be between 1 and 3600"),
        ({"api_retries": 11}, "api_retries must be between 0 and 10"),
    ])
    def test_connection_options(self, overrides, words):
        assert words in str(raised(sevalla.check_connection_options, self.params(**overrides)))

    @pytest.mark.parametrize("value", [
        "../etc/passwd", "%2F..%2F", APP + "/../x", APP.upper() + " ", "", "0b6a2b47-5c1e-0f7e-9d1a-3c2f4e5d6a7b", APP + "\n", 42,
    ])
    def test_uuid_rejects(self, value):
        assert "must be a UUID" in str(raised(sevalla.check_uuid, "app_id", value))

    def test_uuid_accepts(self):
        sevalla.check_uuid("app_id", APP)
        sevalla.check_uuid("app_id", APP.upper())


def test_doc_fragment_matches_argument_spec():
    """validate-modules checks each module; this names the drift at its source."""
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    documented.update(yaml.safe_load(ModuleDocFragment.PROCESS)["options"])
    spec = sevalla.sevalla_argument_spec(**processes.process_selector_spec()[0])
    assert set(documented) == set(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc["type"] == option["type"], name
        assert doc.get("default") == option.get("default"), name
        assert doc.get("aliases", []) == option.get("aliases", []), name
        assert doc.get("required", False) == option.get("required", False), name
