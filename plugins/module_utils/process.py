# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Processes: the selector options, finding a process, and the requests that create, update and delete one.

What a process's fields are, and the plans that decide what to send, are in process_fields.py, which only
sevalla_process loads."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sevalla.cloud.plugins.module_utils.application import (
    application_selector_spec,
    check_application_selector,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.base import (
    check_id_or_name,
    did_you_mean,
    listed_names,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.client import (
    SevallaError,
    explain_not_found,
    post_once,
    shaped,
)

PROCESS_TYPES = ("web", "worker", "cron", "job")


def process_selector_spec(required=True):
    """app_id or app_name, plus process_id or process_key; keep in step with the PROCESS doc fragment."""
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
    check_id_or_name(params, "process_id", "process_key", 64)


def checked_process(body):
    return shaped(body, "a process", ("id", "key", "type"))


def describe(process, app):
    return "process %r (%s) of application %s" % (process["key"], process["id"], app)


# ---------------------------------------------------------------------------
# Finding a process.

def list_processes(client, app):
    try:
        return client.list(app.path("processes"), shape=checked_process)
    except SevallaError as error:
        raise explain_not_found(error, "Application %s" % app)


def get_process(client, app, process_id, missing_ok=False):
    """The process by id, one GET; None when the API says it does not exist and missing_ok is set."""
    try:
        return client.get(app.path("processes", process_id), shape=checked_process)
    except SevallaError as error:
        if missing_ok and error.not_found:
            return None
        raise explain_not_found(error, "Process %s of application %s" % (process_id, app))


def find_process(client, app, process_id=None, process_key=None):
    """The process named by id (one GET) or by key (the paginated list, no extra GET); unknown ones fail."""
    if process_id:
        return get_process(client, app, process_id)
    processes = list_processes(client, app)
    process = with_key(processes, process_key)
    if process is None:
        raise SevallaError(unknown_key_message(app, process_key, processes))
    return process


def with_key(processes, process_key):
    for process in processes:
        if process["key"] == process_key:
            return process
    return None


def with_display_name(processes, display_name, process_type):
    """The one process with this display name and type, or None."""
    same = [p for p in processes if p.get("display_name") == display_name and p.get("type") == process_type]
    return same[0] if len(same) == 1 else None


def unknown_key_message(app, process_key, processes):
    keys = [process["key"] for process in processes]
    if not keys:
        return "Application %s has no processes, so no process has the key %r" % (app, process_key)
    return ("Application %s has no process with the key %r.%s Existing keys: %s"
            % (app, process_key, did_you_mean(process_key, keys), listed_names(keys)))


# ---------------------------------------------------------------------------
# Requests that change a process.

def create_process(client, app, body):
    try:
        return post_once(client, app.path("processes"), body, shape=checked_process,
                         effect="the process may have been created",
                         advice="Run the task again: it finds the process by its key or by its display name and type")
    except SevallaError as error:
        raise explain_not_found(error, "Application %s" % app)


def update_process(client, app, process, changes):
    return client.patch(app.path("processes", process["id"]), changes, shape=checked_process)


def delete_process(client, app, process):
    """One DELETE, sent again on a 5xx or a lost answer; the API's message, for example 'Process is being deleted'."""
    try:
        answer = client.delete(app.path("processes", process["id"]))
    except SevallaError as error:
        raise explain_not_found(error, "Process %s of application %s" % (process["id"], app))
    if isinstance(answer, dict) and isinstance(answer.get("message"), str):
        return answer["message"]
    return "Process %r was deleted" % process["key"]
