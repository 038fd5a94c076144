# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API operations. Each runs after routing, auth, rate limiting and path/query validation, and then checks,
in order: existence (404), permission (403), body (400), applicability (400/409), before acting."""

from __future__ import annotations

from .shell import READ_ONLY_COMMANDS
from .validation import validate_body
from .wire import ApiError, json_response

DEFAULT_LIMIT = 25
DEFAULT_OFFSET = 0
DEFAULT_EXEC_TIMEOUT = 15

# PATCH fields that only one process type accepts.
TYPE_ONLY_FIELDS = {
    "schedule": "cron",
    "time_zone": "cron",
    "job_start_policy": "job",
    "is_ingress_enabled": "web",
    "ingress_protocol": "web",
    "liveness_probe": "web",
    "readiness_probe": "web",
}


# What a create of one type needs besides the body schema's required fields (the API reference says so).
TYPE_REQUIRED_FIELDS = {"cron": ("schedule",), "job": ("job_start_policy",)}
DELETE_MESSAGE = "Process is being deleted"


def list_applications(state, _request, _params, query):
    limit = query.get("limit", DEFAULT_LIMIT)
    offset = query.get("offset", DEFAULT_OFFSET)
    data, total = state.list_applications(offset, limit)
    return json_response({"data": data, "total": total, "offset": offset, "limit": limit})


def get_application(state, _request, params, _query):
    return json_response(state.get_application(params["id"]))


def list_processes(state, _request, params, query):
    limit = query.get("limit", DEFAULT_LIMIT)
    offset = query.get("offset", DEFAULT_OFFSET)
    data, total = state.list_processes(params["id"], offset, limit)
    return json_response({"data": data, "total": total, "offset": offset, "limit": limit})


def get_process(state, _request, params, _query):
    return json_response(state.get_process(params["id"], params["process_id"]))


def list_resource_types(state, _request, _params, _query):
    return json_response(state.list_resource_types())


def patch_process(state, request, params, _query):
    process = state.get_process(params["id"], params["process_id"])
    check_full_access(request, "update processes")
    changes = validate_body("process_patch", request.body)
    check_applicability(process, changes)
    check_resource_type(state, changes)
    return json_response(state.update_process(params["id"], params["process_id"], changes))


def create_process(state, request, params, _query):
    with state.lock:  # the one-web-process rule and the create, together
        app = state.get_application(params["id"])
        check_full_access(request, "create processes")
        body = validate_body("process_create", request.body)
        check_resource_type(state, body)
        check_new_process(state.all_processes(params["id"]), body)
        wait = state.creations.take()
        if wait is not None:
            raise ApiError(429, "the limit of %d new services per hour for the company is reached; retry in %d s"
                           % (state.creations.limit, wait), "creation-limit",
                           headers={"Retry-After": str(wait), "x-ratelimit-reset": str(wait)})
        return json_response(state.create_process(app["id"], body))


def delete_process(state, request, params, _query):
    process = state.get_process(params["id"], params["process_id"])
    check_full_access(request, "delete processes")
    if process["type"] == "web":
        raise ApiError(400, "process '%s' is the web process of the application, and the web process cannot be deleted"
                       % process["key"], "web-process-not-deletable")
    state.delete_process(params["id"], params["process_id"])
    return json_response({"message": DELETE_MESSAGE})


def exec_process(state, request, params, _query):
    process = state.get_process(params["id"], params["process_id"])
    check_exec_permission(request)
    body = validate_body("exec_request", request.body)
    if running_instances(process) == 0:
        raise ApiError(409, "process '%s' is scaled to zero instances; scale it up to run commands" % process["key"],
                       "no-instances", "Process has no running instances")
    shell = state.shell(params["id"], params["process_id"])
    stdout, stderr, exit_code = shell.run(body["command"], body.get("timeout", DEFAULT_EXEC_TIMEOUT))
    state.logs.exec_ran(params["id"], process["key"], body["command"], stdout, stderr)  # runtime log lines (logs.py)
    return json_response({"stdout": stdout, "stderr": stderr, "exit_code": exit_code})


def check_applicability(process, changes):
    for name, process_type in TYPE_ONLY_FIELDS.items():
        if name in changes and process["type"] != process_type:
            raise ApiError(400, "body.%s: applies only to %s processes, and process '%s' is a %s process"
                           % (name, process_type, process["key"], process["type"]), "not-applicable")


def check_full_access(request, action):
    if request.role != "full":
        raise ApiError(403, "the API key is read-only and cannot %s" % action, "read-only-key")


def check_new_process(processes, body):
    """The rules of a create beyond the schema: fields of the type, fields the type needs, one web process."""
    kind = body["type"]
    for name, process_type in TYPE_ONLY_FIELDS.items():
        if name in body and kind != process_type:
            raise ApiError(400, "body.%s: applies only to %s processes, not to a new %s process" % (name, process_type, kind),
                           "not-applicable")
    for name in TYPE_REQUIRED_FIELDS.get(kind, ()):
        if name not in body:
            raise ApiError(400, "body.%s: required for a %s process" % (name, kind), "missing-field")
    webs = [process for process in processes if process["type"] == "web"]
    if kind == "web" and webs:
        raise ApiError(400, "body.type: the application already has a web process, '%s', and may have only one"
                       % webs[0]["key"], "one-web-process")


def check_resource_type(state, changes):
    resource_type_id = changes.get("resource_type_id")
    if resource_type_id is not None and resource_type_id not in state.resource_types:
        raise ApiError(400, "body.resource_type_id: '%s' is not a known process resource type" % resource_type_id,
                       "unknown-resource-type")


def check_exec_permission(request):
    """A read-only key may run read-only commands; other commands need a full-access key."""
    if request.role == "full":
        return
    command = request.body.get("command") if isinstance(request.body, dict) else None
    if isinstance(command, list) and command and isinstance(command[0], str) and command[0] not in READ_ONLY_COMMANDS:
        raise ApiError(403, "the API key is read-only: it may run only read-only commands (%s), not '%s'"
                       % (", ".join(sorted(READ_ONLY_COMMANDS)), command[0]), "read-only-key")


def running_instances(process):
    """Instances the scaling strategy keeps running: the manual count or the horizontal minimum."""
    config = (process["scaling_strategy"] or {}).get("config", {})
    return config.get("instanceCount", config.get("minInstanceCount", 0))
