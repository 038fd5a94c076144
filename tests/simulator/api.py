# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The /v3 request pipeline: faults, routing (404/405), auth (401), rate limits (429), path and query
validation (400), then the operation."""

from __future__ import annotations

import hmac
import re
import time

from . import deployments, operations
from . import envvars, logs
from .faults import fault_kind
from .validation import query_values, validate
from .wire import ApiError, Response, error_response


def _route(template, methods):
    """A compiled /v3 route; {name} placeholders capture one path segment each."""
    pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return re.compile("^/v3" + pattern + "$"), methods


ROUTES = [
    # Environment variables (envvars.py); global-env-vars comes before /applications/{id}, which would take it as an id.
    _route("/applications/global-env-vars", {
        "GET": (envvars.list_global_env_vars, "list_query"),
        "POST": (envvars.create_global_env_var, "no_query"),
    }),
    _route("/applications/global-env-vars/{id}", {
        "PUT": (envvars.update_global_env_var, "no_query"),
        "DELETE": (envvars.delete_global_env_var, "no_query"),
    }),
    _route("/applications/{id}/env-vars", {
        "GET": (envvars.list_env_vars, "list_query"),
        "POST": (envvars.create_env_var, "no_query"),
    }),
    _route("/applications/{id}/env-vars/{env_var_id}", {
        "PUT": (envvars.update_env_var, "no_query"),
        "DELETE": (envvars.delete_env_var, "no_query"),
    }),
    # Runtime and access logs (logs.py)
    _route("/applications/{id}/runtime-logs", {"GET": (logs.runtime_logs, "app_logs_query")}),
    _route("/applications/{id}/access-logs", {"GET": (logs.access_logs, "app_logs_query")}),
    _route("/applications", {"GET": (operations.list_applications, "list_query")}),
    _route("/applications/{id}", {"GET": (operations.get_application, "no_query")}),
    _route("/applications/{id}/processes", {
        "GET": (operations.list_processes, "list_query"),
        "POST": (operations.create_process, "no_query"),
    }),
    _route("/applications/{id}/processes/{process_id}", {
        "GET": (operations.get_process, "no_query"),
        "PATCH": (operations.patch_process, "no_query"),
        "DELETE": (operations.delete_process, "no_query"),
    }),
    _route("/applications/{id}/processes/{process_id}/exec", {"POST": (operations.exec_process, "no_query")}),
    _route("/resources/process-resource-types", {"GET": (operations.list_resource_types, "no_query")}),
    # Deployments and cron runs: tests/simulator/deployments.py
    _route("/applications/{id}/processes/{process_id}/trigger", {"POST": (deployments.trigger_process, "no_query")}),
    _route("/applications/{id}/deployments", {
        "GET": (deployments.list_deployments, "list_query"),
        "POST": (deployments.create_deployment, "no_query"),
    }),
    # Before {deployment_id}, which would capture "rollback"; a GET there still falls through to it (see match_route).
    _route("/applications/{id}/deployments/rollback", {"POST": (deployments.rollback_deployment, "no_query")}),
    _route("/applications/{id}/deployments/{deployment_id}", {"GET": (deployments.get_deployment, "no_query")}),
    _route("/applications/{id}/deployments/{deployment_id}/cancel", {"POST": (deployments.cancel_deployment, "no_query")}),
    _route("/applications/{id}/deployments/{deployment_id}/logs", {"GET": (deployments.deployment_logs, "logs_query")}),
]


def match_route(method, path):
    """The (operation, query schema) and path parameters of the first route that matches the path and takes the
    method; 405 when routes match the path but none takes the method, 404 when none matches."""
    allowed = set()
    for pattern, methods in ROUTES:
        found = pattern.match(path)
        if found and method in methods:
            return methods[method], found.groupdict()
        if found:
            allowed.update(methods)
    if allowed:
        raise ApiError(405, "%s is not supported on %s; use %s" % (method, path, ", ".join(sorted(allowed))),
                       "method-not-allowed")
    raise ApiError(404, "no API route matches %s %s" % (method, path), "route-not-found")


def merge_headers(base, extra):
    """base updated with extra, header names compared case-insensitively."""
    lowered = {name.lower() for name in extra}
    merged = {name: value for name, value in base.items() if name.lower() not in lowered}
    merged.update(extra)
    return merged


class ApiService:
    """Answers /v3 requests against the state, honouring keys, rate limits and injected faults."""

    def __init__(self, state, limiter, faults, keys):
        self.state = state
        self.limiter = limiter
        self.faults = faults
        self.keys = keys  # API key -> role ("full" or "readonly")

    def handle(self, request):
        request.auth, request.role = self.identify(request.headers.get("Authorization"))
        fault = self.faults.take(request.method, request.path)
        if fault and fault.get("delay"):
            time.sleep(fault["delay"])
        if fault and (fault.get("drop") or "status" in fault or "body" in fault):
            response = self.faulted(request, fault)
        else:
            response = self.process(request)
        response.fault = fault_kind(fault) if fault else None
        return response

    def identify(self, header):
        """(auth, role): auth is "missing", "invalid" or "valid"."""
        if header is None:
            return "missing", None
        scheme, separator, key = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not separator:
            return "invalid", None
        for known, role in self.keys.items():
            if hmac.compare_digest(known.encode("utf-8"), key.strip().encode("utf-8")):
                return "valid", role
        return "invalid", None

    def faulted(self, request, fault):
        """The response an injected fault asks for; the state is left alone."""
        if fault.get("drop"):
            return Response(drop=True)
        status = fault.get("status", 200)
        if "body" in fault:
            response = Response(status=status, body=fault["body"].encode("utf-8"))
        else:
            response = error_response(ApiError(status, "injected by the simulator's fault rules", "injected"), request.request_id)
        headers = self.limiter.peek(request.role, request.method)
        if status == 429:
            headers.update({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"})
        response.headers = merge_headers(headers, fault.get("headers", {}))
        return response

    def process(self, request):
        rate_headers = None
        try:
            (operation, query_schema), params = match_route(request.method, request.path)
            if request.role is None:
                raise ApiError(401, self.auth_problem(request.auth), "unauthorized")
            allowed, rate_headers = self.limiter.hit(request.role, request.method)
            if not allowed:
                raise ApiError(429, "rate limit of %s requests per 60 s window exceeded; retry in %s s"
                               % (rate_headers["x-ratelimit-limit"], rate_headers["x-ratelimit-reset"]), "rate-limited")
            validate("path_params", params, "path")
            query = query_values(request.query)
            validate(query_schema, query, "query")
            response = operation(self.state, request, params, query)
        except ApiError as error:
            response = error_response(error, request.request_id)
        response.headers = merge_headers(rate_headers or self.limiter.peek(request.role, request.method), response.headers)
        return response

    @staticmethod
    def auth_problem(auth):
        if auth == "missing":
            return "the Authorization header is missing; send 'Authorization: Bearer <API key>'"
        return "the API key is not valid"
