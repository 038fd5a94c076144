# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deployments: paths, the response shape check, trigger, read, list, and the lines of a log worth showing."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sevalla.cloud.plugins.module_utils.sevalla import (
    SevallaAPIError,
    explain_not_found,
    explained,
)

FINAL_STATUSES = frozenset(("success", "skipped", "failed", "cancelled"))
OK_STATUSES = frozenset(("success", "skipped"))
MAX_LOG_ENTRIES = 5000  # the most the logs endpoint returns in one answer
LOG_LINES_SHOWN = 20


def deployments_path(app_id):
    return "/applications/%s/deployments" % app_id


def deployment_path(app_id, deployment_id):
    return "%s/%s" % (deployments_path(app_id), deployment_id)


def is_final(deployment):
    return deployment["status"] in FINAL_STATUSES


def checked_deployment(body, method, path):
    """The body as a deployment, or a clear error when it is not shaped like one."""
    if not isinstance(body, dict) or not isinstance(body.get("id"), str) or "status" not in body:
        raise SevallaAPIError(method, path, message="unexpected response shape: expected a deployment object with id and status")
    return body


def trigger_deployment(client, app_id, body):
    """Start a deployment with one POST; it is never sent again on a 5xx, a dropped connection or a timeout."""
    path = deployments_path(app_id)
    try:
        return checked_deployment(client.post(path, body), "POST", path)
    except SevallaAPIError as error:
        if error.may_have_acted:
            raise explained(error, "A deployment of application %s may have started: the request was not sent again. "
                                   "Look for it with sevalla.cloud.sevalla_deployment_info before triggering another" % app_id)
        raise explain_not_found(error, "Application %s" % app_id)


def read_deployment(client, app_id, deployment_id):
    path = deployment_path(app_id, deployment_id)
    try:
        body = client.get(path)
    except SevallaAPIError as error:
        if error.status == 404:
            raise explained(error, "Deployment %s of application %s was not found" % (deployment_id, app_id))
        raise explained(error, "Could not read deployment %s of application %s" % (deployment_id, app_id))
    return checked_deployment(body, "GET", path)


def list_deployments(client, app_id, limit):
    """The newest deployments, in the API's order (newest first), at most `limit`, one page at a time."""
    path = deployments_path(app_id)
    try:
        items = client.list(path, limit=limit)
    except SevallaAPIError as error:
        raise explain_not_found(error, "Application %s" % app_id)
    return [checked_deployment(item, "GET", path) for item in items]


def read_log_lines(client, app_id, deployment):
    """The log lines worth showing for a deployment: one GET of its log (see pick_log_lines)."""
    path = "%s/logs" % deployment_path(app_id, deployment["id"])
    params = dict(limit=MAX_LOG_ENTRIES)
    if deployment.get("created_at"):  # the API reads the last hour only, unless told where to start
        params["from"] = deployment["created_at"]
    try:
        entries = client.get(path, params=params)
    except SevallaAPIError as error:
        raise explained(error, "Could not read the log of deployment %s of application %s" % (deployment["id"], app_id))
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise SevallaAPIError("GET", path, message="unexpected response shape: expected a list of log entries")
    return pick_log_lines(entries)


def pick_log_lines(entries, count=LOG_LINES_SHOWN):
    """(lines, errors): the last `count` ERROR entries as text, or the last `count` entries when none is an ERROR."""
    ordered = sorted(entries, key=lambda entry: entry.get("unix_timestamp") or 0)  # stable: ties keep the API's order
    errors = [entry for entry in ordered if str(entry.get("severity", "")).upper() == "ERROR"]
    return [log_line(entry) for entry in (errors or ordered)[-count:]], bool(errors)


def log_line(entry):
    return " ".join(str(entry.get(key)) for key in ("timestamp", "severity", "message") if entry.get(key) is not None)
