# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What changes a process: resource types, the plans that changed, check mode and diff all come from, and the
requests that create, update and delete one."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sevalla.cloud.plugins.module_utils.application import listed_names
from ansible_collections.sevalla.cloud.plugins.module_utils.process import (
    checked_process,
    process_path,
    processes_path,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.process_fields import (
    missing_for_create,
    split_create,
    without_none,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.sevalla import (
    SevallaAPIError,
    SevallaError,
    explain_not_found,
    explained,
)

RESOURCE_TYPES_PATH = "/resources/process-resource-types"


# ---------------------------------------------------------------------------
# Resource types.

def list_resource_types(client):
    types = client.get(RESOURCE_TYPES_PATH)
    if not isinstance(types, list) or not all(isinstance(item, dict) and "id" in item and "name" in item for item in types):
        raise SevallaAPIError("GET", RESOURCE_TYPES_PATH,
                              message="unexpected response shape: expected a list of resource types with id and name")
    return types


def resource_type_fields(client, name, process):
    """The process fields that assigning the resource type `name` sets; none when it already has it."""
    if name == process.get("resource_type_name"):
        return {}
    types = list_resource_types(client)
    for resource_type in types:
        if resource_type["name"] == name:
            return dict(resource_type_id=resource_type["id"], resource_type_name=name,
                        cpu_limit=resource_type.get("cpu_limit"), memory_limit=resource_type.get("memory_limit"))
    raise SevallaError("resource_type %r is not a process resource type. Valid names: %s"
                       % (name, listed_names([item["name"] for item in types]) or "none"))


# ---------------------------------------------------------------------------
# Plans: what to send and what the process would be. changed, check mode and diff all come from them.

def plan_update(client, params, process, desired):
    """The PATCH body (the changed fields only) and the process as it would be after it."""
    changes = dict((name, value) for name, value in desired.items() if value != without_none(process.get(name)))
    predicted = dict(process, **changes)
    if params["resource_type"] is not None:
        assigned = resource_type_fields(client, params["resource_type"], process)
        if assigned and assigned["resource_type_id"] != process.get("resource_type_id"):
            changes["resource_type_id"] = assigned["resource_type_id"]
        predicted.update(assigned)
    return changes, predicted


def plan_create(client, params, app_id, processes, desired):
    """The POST body, the PATCH-only fields to set after it, and the process as it would be (without id).

    Fails, before any change, when an option a create needs is missing or the application has its web process."""
    missing = missing_for_create(params)
    if missing:
        raise SevallaError("Application %s has no process with the key %r, so this task creates one, and a create "
                           "needs these options too: %s" % (app_id, params["process_key"], ", ".join(missing)))
    webs = [process for process in processes if process.get("type") == "web"]
    if desired["type"] == "web" and webs:
        raise SevallaError("Application %s already has a web process, %r (id %s), and an application has at most "
                           "one: manage it with process_key: %s" % (app_id, webs[0]["key"], webs[0]["id"], webs[0]["key"]))
    fields = dict(desired)
    assigned = {}
    if params["resource_type"] is not None:
        assigned = resource_type_fields(client, params["resource_type"], {})
        fields["resource_type_id"] = assigned["resource_type_id"]
    body, later = split_create(fields)
    predicted = dict(fields, app_id=app_id, key=params["process_key"])
    predicted.update(assigned)
    return body, later, predicted


def managed_names(params, desired):
    """The fields the task manages, for the diff: the ones set, and the resource type's name and ID."""
    names = list(desired)
    if params["resource_type"] is not None:
        names += ["resource_type_name", "resource_type_id"]
    return names


# ---------------------------------------------------------------------------
# Requests that change a process.

def create_process(client, app_id, body):
    """One POST, never sent again on a 5xx or a lost answer: it may have created the process."""
    path = processes_path(app_id)
    try:
        return checked_process(client.post(path, body), "POST", path)
    except SevallaAPIError as error:
        if error.may_have_acted:
            raise explained(error, "The process may have been created: the create request was not sent again. Run "
                            "the task again: it finds the process by its key or by its display name and type")
        raise explain_not_found(error, "Application %s" % app_id)


def update_process(client, app_id, process, changes):
    path = process_path(app_id, process["id"])
    return checked_process(client.patch(path, changes), "PATCH", path)


def delete_process(client, app_id, process):
    """One DELETE; the API's message, for example 'Process is being deleted'."""
    path = process_path(app_id, process["id"])
    try:
        answer = client.delete(path)
    except SevallaAPIError as error:
        raise explain_not_found(error, "Process %s of application %s" % (process["id"], app_id))
    if isinstance(answer, dict) and isinstance(answer.get("message"), str):
        return answer["message"]
    return "Process %r was deleted" % process["key"]
