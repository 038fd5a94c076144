# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Processes: paths, the response shape check, the selector options and finding one.

What changes a process (plans, resource types, create, update, delete) is in process_changes.py, and its fields
are in process_fields.py, so that the modules that only find a process do not load them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sevalla.cloud.plugins.module_utils.application import (
    application_selector_spec,
    check_application_selector,
    listed_names,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.sevalla import (
    SevallaAPIError,
    SevallaError,
    check_length,
    check_uuid,
    explain_not_found,
)


def process_selector_spec(required=True):
    """app_id or app_name, plus process_id or process_key; keep in step with the process doc fragment."""
    spec, options = application_selector_spec(required=True)
    spec.update(
        process_id=dict(type="str"),
        process_key=dict(type="str", no_log=False),
    )
    options["mutually_exclusive"] = options["mutually_exclusive"] + [("process_id", "process_key")]
    if required:
        options["required_one_of"] = options["required_one_of"] + [("process_id", "process_key")]
    return spec, options


def check_process_selector(params):
    check_application_selector(params)
    if params.get("process_id") is not None:
        check_uuid("process_id", params["process_id"])
    if params.get("process_key") is not None:
        check_length("process_key", params["process_key"], 1, 64)


def processes_path(app_id):
    return "/applications/%s/processes" % app_id


def process_path(app_id, process_id):
    return "%s/%s" % (processes_path(app_id), process_id)


def checked_process(body, method, path):
    """The body as a process, or a clear error when it is not shaped like one."""
    if not isinstance(body, dict) or not all(key in body for key in ("id", "key", "type")):
        raise SevallaAPIError(method, path, message="unexpected response shape: expected a process object with id, key and type")
    return body


# ---------------------------------------------------------------------------
# Finding a process.

def list_processes(client, app_id):
    path = processes_path(app_id)
    try:
        items = client.list(path)
    except SevallaAPIError as error:
        raise explain_not_found(error, "Application %s" % app_id)
    return [checked_process(item, "GET", path) for item in items]


def get_process(client, app_id, process_id, missing_ok=False):
    """The process by id, one GET; None for a 404 when missing_ok, else the 404 explained."""
    path = process_path(app_id, process_id)
    try:
        body = client.get(path)
    except SevallaAPIError as error:
        if missing_ok and error.status == 404:
            return None
        raise explain_not_found(error, "Process %s of application %s" % (process_id, app_id))
    return checked_process(body, "GET", path)


def find_process(client, app_id, process_id=None, process_key=None):
    """The process named by id (one GET) or by key (the paginated list, no extra GET); unknown ones fail."""
    if process_id:
        return get_process(client, app_id, process_id)
    processes = list_processes(client, app_id)
    for process in processes:
        if process["key"] == process_key:
            return process
    raise SevallaError(_unknown_key_message(app_id, process_key, [p["key"] for p in processes]))


def match_process(processes, process_key, display_name=None, process_type=None):
    """The process with the key; else the one process with this display name and type; else None.

    The second rule finds a process whose key the server chose differently from process_key, so that a
    re-run does not create it twice."""
    for process in processes:
        if process["key"] == process_key:
            return process
    if display_name is None or process_type is None:
        return None
    same = [p for p in processes if p.get("display_name") == display_name and p.get("type") == process_type]
    return same[0] if len(same) == 1 else None


def _unknown_key_message(app_id, process_key, keys):
    if not keys:
        return "Application %s has no processes, so no process has the key %r" % (app_id, process_key)
    return "Application %s has no process with the key %r. Existing keys: %s" % (app_id, process_key, listed_names(keys))
