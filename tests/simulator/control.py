# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test hooks under /_simulator/: reset, request log, faults and rate-limit configuration.

No auth, no rate limiting, not logged.
"""

from __future__ import annotations

from . import deployments, logs
from .validation import validate, validate_body
from .wire import ApiError, error_response, flatten_query, json_response

PREFIX = "/_simulator/"
OK = {"ok": True}


def reset(simulator, _request):
    simulator.reset()
    return json_response(OK)


def list_requests(simulator, request):
    query = flatten_query(request.query)
    entries = simulator.log.select(method=query.get("method"), path=query.get("path"))
    return json_response({"count": len(entries), "requests": entries})


def clear_requests(simulator, _request):
    simulator.log.clear()
    return json_response(OK)


def add_fault(simulator, request):
    rule = simulator.faults.add(validate_body("fault", request.body))
    return json_response(dict(OK, fault=rule))


def list_faults(simulator, _request):
    rules = simulator.faults.list()
    return json_response({"count": len(rules), "faults": rules})


def clear_faults(simulator, _request):
    simulator.faults.clear()
    return json_response(OK)


def show_config(simulator, _request):
    return json_response(dict(simulator.limiter.configure(), **simulator.creations.configure(), **simulator.log_reads.configure()))


def set_config(simulator, request):
    settings = dict(validate_body("config", request.body))
    creations = simulator.creations.configure(settings.pop("creation_limit", None))
    log_reads = simulator.log_reads.configure(settings.pop("log_limit", None))
    return json_response(dict(OK, **dict(simulator.limiter.configure(**settings), **creations, **log_reads)))


# hook -> method -> (function, schema of its query)
HOOKS = {
    "reset": {"POST": (reset, "no_query")},
    "requests": {"GET": (list_requests, "requests_query"), "DELETE": (clear_requests, "no_query")},
    "faults": {"GET": (list_faults, "no_query"), "POST": (add_fault, "no_query"), "DELETE": (clear_faults, "no_query")},
    "config": {"GET": (show_config, "no_query"), "POST": (set_config, "no_query")},
    "deployments": {"GET": (deployments.show_settings, "no_query"), "POST": (deployments.set_settings, "no_query")},
    "deployment-stats": {"GET": (deployments.show_stats, "no_query")},
    "cron-runs": {"GET": (deployments.show_cron_runs, "no_query")},
    "logs": {"POST": (logs.add_entries, "no_query"), "DELETE": (logs.clear_entries, "no_query")},
}


def handle(simulator, request):
    """Answer one control request; errors use the API error shape."""
    try:
        methods = HOOKS.get(request.path[len(PREFIX):].strip("/"))
        if methods is None:
            raise ApiError(404, "no simulator hook at %s; hooks: %s" % (request.path, ", ".join(sorted(HOOKS))), "hook-not-found")
        if request.method not in methods:
            raise ApiError(405, "%s is not supported on %s" % (request.method, request.path), "method-not-allowed")
        function, query_schema = methods[request.method]
        validate(query_schema, flatten_query(request.query), "query")
        return function(simulator, request)
    except ApiError as error:
        return error_response(error, request.request_id)
