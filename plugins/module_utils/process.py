# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Processes: paths, the response shape check, the selector options and finding one by id or key."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sevalla.cloud.plugins.module_utils.sevalla import (
    MAX_NAMES_LISTED,
    SevallaAPIError,
    SevallaError,
    check_length,
    check_uuid,
    explain_not_found,
)


def process_selector_spec(required=True):
    """app_id plus process_id or process_key; keep in step with the process doc fragment."""
    spec = dict(
        app_id=dict(type="str", required=True, aliases=["application_id"]),
        process_id=dict(type="str"),
        process_key=dict(type="str", no_log=False),
    )
    options = dict(mutually_exclusive=[("process_id", "process_key")])
    if required:
        options["required_one_of"] = [("process_id", "process_key")]
    return spec, options


def check_process_selector(params):
    check_uuid("app_id", params["app_id"])
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


def list_processes(client, app_id):
    path = processes_path(app_id)
    try:
        items = client.list(path)
    except SevallaAPIError as error:
        raise explain_not_found(error, "Application %s" % app_id)
    return [checked_process(item, "GET", path) for item in items]


def find_process(client, app_id, process_id=None, process_key=None):
    """The process named by id (one GET) or by key (the paginated list, no extra GET)."""
    if process_id:
        path = process_path(app_id, process_id)
        try:
            body = client.get(path)
        except SevallaAPIError as error:
            raise explain_not_found(error, "Process %s of application %s" % (process_id, app_id))
        return checked_process(body, "GET", path)
    processes = list_processes(client, app_id)
    for process in processes:
        if process["key"] == process_key:
            return process
    raise SevallaError(_unknown_key_message(app_id, process_key, [p["key"] for p in processes]))


def _unknown_key_message(app_id, process_key, keys):
    if not keys:
        return "Application %s has no processes, so no process has the key %r" % (app_id, process_key)
    listed = ", ".join(keys[:MAX_NAMES_LISTED])
    if len(keys) > MAX_NAMES_LISTED:
        listed += ", ... (%d in all)" % len(keys)
    return "Application %s has no process with the key %r. Existing keys: %s" % (app_id, process_key, listed)
