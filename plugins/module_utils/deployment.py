# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deployments: paths, the response shape check, trigger, read, list, and the lines of a log worth showing."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sevalla.cloud.plugins.module_utils.client import (
    SevallaError,
    explain_not_found,
    post_once,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.logs import (
    MAX_LOG_ENTRIES,
    checked_log_entries,
    log_line,
    oldest_first,
)

FINAL_STATUSES = frozenset(("success", "skipped", "failed", "cancelled"))
OK_STATUSES = frozenset(("success", "skipped"))
LOG_LINES_SHOWN = 20


def is_final(deployment):
    return deployment["status"] in FINAL_STATUSES


def checked_deployment(body):
    """The body as a deployment, or a clear error when it is not shaped like one."""
    if not isinstance(body, dict) or not isinstance(body.get("id"), str) or "status" not in body:
        raise SevallaError("unexpected response shape: expected a deployment object with id and status")
    return body


def trigger_deployment(client, app, body):
    """Start a deployment with one POST, never sent again once it may have reached the API."""
    try:
        return post_once(client, app.path("deployments"), body, shape=checked_deployment,
                         effect="a deployment of application %s may have started" % app,
                         advice="Look for it with sevalla.cloud.sevalla_deployment_info before triggering another")
    except SevallaError as error:
        raise explain_not_found(error, "Application %s" % app)


def read_deployment(client, app, deployment_id):
    try:
        return client.get(app.path("deployments", deployment_id), shape=checked_deployment)
    except SevallaError as error:
        if error.not_found:
            raise error.explain("Deployment %s of application %s was not found" % (deployment_id, app))
        raise error.explain("Could not read deployment %s of application %s" % (deployment_id, app))


def list_deployments(client, app, limit):
    """The newest deployments, in the API's order (newest first), at most `limit`, one page at a time."""
    try:
        return client.list(app.path("deployments"), limit=limit, shape=checked_deployment)
    except SevallaError as error:
        raise explain_not_found(error, "Application %s" % app)


def read_log_lines(client, app, deployment):
    """The log lines worth showing for a deployment: one GET of its log (see pick_log_lines)."""
    params = dict(limit=MAX_LOG_ENTRIES)
    if deployment.get("created_at"):  # the API reads the last hour only, unless told where to start
        params["from"] = deployment["created_at"]
    try:
        entries = client.get(app.path("deployments", deployment["id"], "logs"), params=params, shape=checked_log_entries)
    except SevallaError as error:
        raise error.explain("Could not read the log of deployment %s of application %s" % (deployment["id"], app))
    return pick_log_lines(entries)


def pick_log_lines(entries, count=LOG_LINES_SHOWN):
    """(lines, errors): the last `count` ERROR entries as text, or the last `count` entries when none is an ERROR."""
    ordered = oldest_first(entries)
    errors = [entry for entry in ordered if str(entry.get("severity", "")).upper() == "ERROR"]
    return [log_line(entry) for entry in (errors or ordered)[-count:]], bool(errors)
