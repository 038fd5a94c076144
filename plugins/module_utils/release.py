# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A release, for sevalla_deployment: trigger a deployment or a rollback without stacking it on a running one
(if_running), cancel one, wait until it ends, roll back a failed one (on_failure), and say how it ended.

The requests are in deployment.py, the one wait loop in waiting.py. Every step keeps what it learnt in
module.result, so that a failure at any point carries the deployments seen so far."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaError
from ansible_collections.sevalla.cloud.plugins.module_utils.deployment import (
    OK_STATUSES,
    cancel_deployment,
    is_final,
    is_running,
    read_deployment,
    read_log_lines,
    rollback_deployment,
    running_deployments,
    trigger_deployment,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.waiting import wait_until


def request_body(params):
    """The POST body: only what was asked for, so the API's defaults apply to the rest."""
    if params["restart"]:
        return {"is_restart": True}
    return {name: params[name] for name in ("branch", "docker_image") if params[name] is not None}


def named(deployments):
    """'deployment ID (status)', or 'deployments ID (status), ID (status)' for several."""
    return "deployment%s %s" % ("s" if len(deployments) > 1 else "",
                                ", ".join("%s (%s)" % (deployment["id"], deployment["status"]) for deployment in deployments))


# --- Waiting ---------------------------------------------------------------------

def wait_for(module, app, key, others=()):
    """Poll the deployment in module.result[key], and the others running with it, until every one has ended or
    wait_timeout passes. module.result[key] keeps the last read, and elapsed adds up every wait of the task.

    Returns the deployments still running, newest first: none when all ended."""
    p, result = module.params, module.result
    watched = [result[key]] + list(others)

    def read():
        watched[:] = [item if is_final(item) else read_deployment(module.client, app, item["id"]) for item in watched]
        result[key] = watched[0]
        return watched

    def ended(items):
        return all(is_final(item) for item in items)

    if ended(watched):
        return []
    started = time.monotonic()
    try:
        _watched, _ended, elapsed = wait_until(read, ended, p["wait_timeout"], p["poll_interval"])
    except SevallaError as error:
        result["elapsed"] = round(result["elapsed"] + time.monotonic() - started, 1)
        raise error.explain("Stopped waiting for deployment %s of application %s, which goes on" % (result[key]["id"], app))
    result["elapsed"] = round(result["elapsed"] + elapsed, 1)
    return [item for item in watched if not is_final(item)]


def late(module, app, still, next_step):
    """The failure for the deployments still running when wait_timeout passed, and what to do about them."""
    deployment = still[0]
    nor = " (nor did %s)" % named(still[1:]) if len(still) > 1 else ""
    return SevallaError("Deployment %s of application %s did not end within wait_timeout=%d s%s: its last status is %s "
                        "after %s s of waiting. %s" % (deployment["id"], app, module.params["wait_timeout"], nor,
                                                       deployment["status"], module.result["elapsed"], next_step))


def cancel_all(module, app, deployments):
    """One cancel POST per deployment; changed once the API took one."""
    for deployment in deployments:
        if cancel_deployment(module.client, app, deployment["id"]):
            module.result["changed"] = True


# --- How the task ends --------------------------------------------------------------

def log_story(module, app):
    """What the failed deployment's log says, for the message: one GET; log_lines keeps the lines."""
    deployment_id = module.result["deployment"]["id"]
    try:
        lines, errors = read_log_lines(module.client, app, module.result["deployment"])
        shown = ("The log of deployment %s has no lines." if not lines else
                 "ERROR lines of the log of deployment %s:\n" if errors else
                 "The log of deployment %s has no ERROR line; its last lines:\n") % deployment_id
    except SevallaError as error:
        lines, shown = [], "The log of deployment %s could not be read: %s" % (deployment_id, error)
    module.result["log_lines"] = lines
    return shown + "\n".join(lines)


def roll_back(module, app):
    """on_failure=rollback: roll back, wait for the rollback, and tell how it went (part of the failure message)."""
    result = module.result
    result["rollback"] = rollback_deployment(module.client, app)
    still = wait_for(module, app, "rollback")
    rollback = result["rollback"]
    if still:
        return ("; it is being rolled back, but the rollback, deployment %s, did not end within wait_timeout=%d s: its "
                "last status is %s. The rollback goes on; wait for it with deployment_id=%s"
                % (rollback["id"], module.params["wait_timeout"], rollback["status"], rollback["id"]))
    if rollback["status"] in OK_STATUSES:
        return " and was rolled back: the rollback, deployment %s, ended with status %s" % (rollback["id"], rollback["status"])
    return (", and rolling it back failed too: the rollback, deployment %s, ended with status %s; see why with "
            "deployment_id=%s" % (rollback["id"], rollback["status"], rollback["id"]))


def bad_outcome(module, app):
    """The failure for a deployment that ended failed or cancelled, quoting its log (one more GET); with
    on_failure=rollback, once the rollback has ended."""
    deployment = module.result["deployment"]
    story = "Deployment %s of application %s ended with status %s" % (deployment["id"], app, deployment["status"])
    log = log_story(module, app)
    if module.params["on_failure"] != "rollback":
        return SevallaError("%s. %s" % (story, log))
    try:
        rolled_back = roll_back(module, app)
    except SevallaError as error:
        raise error.explain("%s, and rolling it back failed. %s\nThe rollback failed" % (story, log))
    return SevallaError("%s%s. %s" % (story, rolled_back, log))


def finish(module, app):
    """Wait for module.result's deployment when asked to, and fail unless it ended well."""
    p, result = module.params, module.result
    if p["wait"] and not module.check_mode:
        still = wait_for(module, app, "deployment")
        if still:
            kept = " Nothing was rolled back: a deployment that is still running has not failed." if p["on_failure"] == "rollback" else ""
            raise late(module, app, still, "The deployment goes on; wait for it again with deployment_id=%s.%s"
                       % (still[0]["id"], kept))
    if is_final(result["deployment"]) and result["deployment"]["status"] not in OK_STATUSES:
        raise bad_outcome(module, app)


# --- What the task does --------------------------------------------------------------

def clear_the_way(module, app, running):
    """if_running=wait or cancel: wait for the running deployments to end, after cancelling them with cancel.
    Nothing is triggered unless all of them ended within wait_timeout."""
    if module.params["if_running"] == "cancel":
        cancel_all(module, app, running)
        next_step = "It was cancelled but has not stopped yet; nothing was triggered. Run the task again to wait for it."
    else:
        next_step = ("Nothing was triggered. Run the task again to wait for it again, or set if_running=cancel to "
                     "cancel it first.")
    still = wait_for(module, app, "previous", running[1:])
    if still:
        raise late(module, app, still, next_step)


def plan(module, app, running):
    """What a trigger in check mode would have done."""
    p = module.params
    before = ""
    if running:
        before = (", after cancelling %s" if p["if_running"] == "cancel" else ", once %s had ended") % named(running)
    after = ", and rolled back if it failed" if p["on_failure"] == "rollback" else ""
    return "A %s of application %s would have been triggered%s%s; check mode started nothing" % (
        "rollback" if p["rollback"] else "deployment", app, before, after)


def release(module, app):
    """Trigger a deployment or a rollback, after the running deployments have ended (if_running), and wait for it."""
    p, result = module.params, module.result
    running = [] if p["if_running"] == "new" else running_deployments(module.client, app)
    result["previous"] = running[0] if running else None
    if module.check_mode:
        result.update(changed=True, msg=plan(module, app, running))
        return
    if running:
        clear_the_way(module, app, running)
    if p["rollback"]:
        result["deployment"] = rollback_deployment(module.client, app)
    else:
        result["deployment"] = trigger_deployment(module.client, app, request_body(p))
    result["changed"] = True
    finish(module, app)


def cancel(module, app):
    """cancel=true: cancel deployment_id, or every running deployment, and wait until they have ended."""
    p, result = module.params, module.result
    if p["deployment_id"] is None:
        running = running_deployments(module.client, app)
        nothing = "No deployment of application %s is running: nothing to cancel" % app
    else:
        result["deployment"] = read_deployment(module.client, app, p["deployment_id"])
        running = [result["deployment"]] if is_running(result["deployment"]) else []
        nothing = "Deployment %s of application %s has already ended (%s): nothing to cancel" % (
            p["deployment_id"], app, result["deployment"]["status"])
    if not running:
        result["msg"] = nothing
        return
    result["deployment"] = running[0]
    if module.check_mode:
        result.update(changed=True, msg="Check mode cancelled nothing: %s of application %s would have been cancelled"
                      % (named(running), app))
        return
    cancel_all(module, app, running)
    if p["wait"]:
        still = wait_for(module, app, "deployment", running[1:])
        if still:
            raise late(module, app, still, "It was cancelled but has not stopped yet; wait for it with deployment_id=%s."
                       % still[0]["id"])
