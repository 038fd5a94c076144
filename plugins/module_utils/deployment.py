# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deployments: paths, the response shape check, trigger, roll back, cancel, read, list, the running ones, and the
lines of a log worth showing."""

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
RUNNING_STATUSES = frozenset(("waiting", "inProgress"))
# The newest page read to find running deployments: as many as the API lets an application start in a minute.
NEWEST_PAGE = 10
CANCEL_REFUSED = (400, 409)  # what a cancel of a deployment that has already ended may answer
LOG_LINES_SHOWN = 20


def is_final(deployment):
    return deployment["status"] in FINAL_STATUSES


def is_running(deployment):
    return deployment["status"] in RUNNING_STATUSES


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


def rollback_deployment(client, app):
    """Roll the application back to its most recent successful deployment: one POST that answers the new
    deployment, never sent again once it may have reached the API."""
    try:
        return post_once(client, app.path("deployments", "rollback"), None, shape=checked_deployment,
                         effect="a rollback of application %s may have started" % app,
                         advice="Look for it with sevalla.cloud.sevalla_deployment_info before rolling back again")
    except SevallaError as error:
        raise explain_not_found(error, "Application %s" % app)


def cancel_deployment(client, app, deployment_id):
    """Ask the API to stop a running deployment: one POST, never sent again once it may have reached the API.

    True when the API took the cancel. False when it refused it (400 or 409; the reference does not say which)
    because the deployment has ended in the meantime, as one GET of the deployment then tells; any other
    refusal fails."""
    try:
        post_once(client, app.path("deployments", deployment_id, "cancel"), None,
                  effect="deployment %s of application %s may have been cancelled" % (deployment_id, app),
                  advice="Look at its status with sevalla.cloud.sevalla_deployment_info before cancelling it again")
    except SevallaError as error:
        if error.not_found:
            raise error.explain("Deployment %s of application %s was not found" % (deployment_id, app))
        if getattr(error, "status", None) in CANCEL_REFUSED and is_final(read_deployment(client, app, deployment_id)):
            return False
        raise
    return True


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


def running_deployments(client, app):
    """The application's deployments that are still running (waiting or inProgress), newest first: one GET of the
    newest page.

    Not only the newest deployment: an older one may still run after a newer one has ended (skipped at once,
    failed early, cancelled), or while a newer one waits."""
    return [deployment for deployment in list_deployments(client, app, NEWEST_PAGE) if is_running(deployment)]


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
