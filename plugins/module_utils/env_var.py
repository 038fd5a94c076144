# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Environment variables, of one application or of the company (global): the scope options, the input checks,
the plan that decides what to send, and the requests.

Values are secrets. Nothing here puts a value into a message, a result or a diff: variables are returned
without their value, and a diff shows a fixed placeholder where a value is."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.sevalla.cloud.plugins.module_utils.application import (
    application_selector_spec,
    check_application_selector,
    resolve_app,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.base import check_length, listed_names
from ansible_collections.sevalla.cloud.plugins.module_utils.client import (
    SevallaError,
    explain_not_found,
    post_once,
)

GLOBAL_ENV_VARS_PATH = "/applications/global-env-vars"
KEY_MAX = 255
VALUE_MAX = 32768
FLAGS = ("is_runtime", "is_buildtime")
# What a key cannot hold: '=' ends the name in an environment block, whitespace and NUL do not survive a shell.
BAD_KEY_RE = re.compile(r"[=\s\x00]")
# A value as a diff shows it: never the value, never a hash of it (a short value can be recovered from one).
HIDDEN = "<hidden>"
HIDDEN_CHANGED = "<hidden, changed>"
# What a change needs to take effect, weakest first.
REDEPLOY = ("none", "restart", "build")
DEFAULTS = dict(changed=False, created=[], updated=[], deleted=[], redeploy="none")


class Scope:
    """Whose variables: an application (an App), or the company's global ones (app None)."""

    def __init__(self, app=None):
        self.app = app

    def path(self, *parts):
        """The variables' path, then the parts: the application's through App.path, or the global one."""
        if self.app is None:
            return "/".join((GLOBAL_ENV_VARS_PATH,) + parts)
        return self.app.path("env-vars", *parts)

    def __str__(self):
        return "the company (global variables)" if self.app is None else "application %s" % self.app


def scope_spec():
    """app_id or app_name, or global; keep in step with the ENV_VAR_SCOPE doc fragment in doc_fragments/api.py."""
    spec, options = application_selector_spec(required=False)
    spec["global"] = dict(type="bool", default=False)
    return spec, options


def check_scope(params):
    """Exactly one of app_id, app_name and global=true."""
    given = [name for name in ("app_id", "app_name") if params.get(name) is not None]
    if params["global"] and given:
        raise SevallaError(
            "global=true selects the company-wide variables and cannot be combined with %s, which selects one "
            "application's. When %s comes from module_defaults, set %s: \"{{ omit }}\" in this task"
            % (given[0], given[0], given[0]))
    if not params["global"] and not given:
        raise SevallaError("one of app_id, app_name or global=true is required")
    check_application_selector(params)


def resolve_scope(client, params):
    """The Scope that params select; app_name costs the application list, once per task."""
    return Scope() if params["global"] else Scope(resolve_app(client, params))


def check_variables(params):
    """Every input check on variables, state and purge, naming the item: before any request."""
    if params["purge"] and params["state"] == "absent":
        raise SevallaError("purge=true works with state=present only: with state=absent, the listed variables are "
                           "deleted and no other")
    seen = {}
    for index, item in enumerate(params["variables"]):
        name = "variables[%d]" % index
        check_length("%s.key" % name, item["key"], 1, KEY_MAX)
        bad = BAD_KEY_RE.search(item["key"])
        if bad:
            raise SevallaError("%s.key %r holds %s: a key cannot hold '=', whitespace or a NUL character"
                               % (name, item["key"], "'='" if bad.group() == "=" else "whitespace or a NUL character"))
        if item["key"] in seen:
            raise SevallaError("variables[%d] and %s both have the key %r: list each key once"
                               % (seen[item["key"]], name, item["key"]))
        seen[item["key"]] = index
        if params["state"] == "present" and item["value"] is None:
            raise SevallaError("%s (key %r) has no value: state=present needs one (state=absent deletes the variable)"
                               % (name, item["key"]))
        if item["value"] is not None and len(item["value"]) > VALUE_MAX:
            raise SevallaError("%s.value (key %r) is %d characters long, more than the %d the API takes (the value "
                               "is not shown)" % (name, item["key"], len(item["value"]), VALUE_MAX))


def checked_env_var(body):
    """The body as an environment variable, or a clear error when it is not shaped like one (never showing it)."""
    if (not isinstance(body, dict) or not isinstance(body.get("id"), str) or not isinstance(body.get("key"), str)
            or not isinstance(body.get("value"), str)):
        raise SevallaError("unexpected response shape: expected an environment variable object with id, key and value")
    return body


def without_value(variable):
    return dict((name, field) for name, field in variable.items() if name != "value")


# ---------------------------------------------------------------------------
# Reading, and what to send.

def list_env_vars(client, scope):
    """Every variable of the scope, all pages at 100 a page, in the API's order (creation time)."""
    try:
        return client.list(scope.path(), shape=checked_env_var)
    except SevallaError as error:
        raise explain_not_found(error, "Application %s" % scope.app) if scope.app is not None else error


class Plan:
    """What a task sends: one POST per new variable, one PUT per changed one with only its changed fields, one
    DELETE per variable removed; and, from the same comparison, the prediction, the redeploy and the diff."""

    def __init__(self, current, variables, state, purge):
        self.current = current
        self.creates, self.updates, self.deletes = [], [], []
        self.writes = []  # ("create", body) and ("update", (variable, changes)), in the order of variables
        by_key = dict((variable["key"], variable) for variable in current)
        listed = [item["key"] for item in variables]
        for item in variables:
            variable = by_key.get(item["key"])
            if state == "absent":
                if variable is not None:
                    self.deletes.append(variable)
                continue
            wanted = dict((name, item[name]) for name in ("value",) + FLAGS if item[name] is not None)
            if variable is None:
                self.creates.append(dict(key=item["key"], **wanted))
                self.writes.append(("create", self.creates[-1]))
                continue
            changes = dict((name, field) for name, field in wanted.items() if variable.get(name) != field)
            if changes:
                self.updates.append((variable, changes))
                self.writes.append(("update", self.updates[-1]))
        if purge:
            keep = set(listed)
            self.deletes = [variable for variable in current if variable["key"] not in keep]
        self.listed = [by_key[key] for key in listed if key in by_key]

    def __bool__(self):
        return bool(self.creates or self.updates or self.deletes)

    __nonzero__ = __bool__

    def known_values(self):
        """The current values of the variables the task compares or deletes: secrets the task knows."""
        return [variable["value"] for variable in self.listed + self.deletes]

    def predicted(self):
        """created, updated, deleted, env_vars and redeploy as they will be once every request has succeeded."""
        updated = dict((variable["id"], dict(variable, **changes)) for variable, changes in self.updates)
        deleted = set(variable["id"] for variable in self.deletes)
        env_vars = [without_value(updated.get(variable["id"], variable)) for variable in self.current
                    if variable["id"] not in deleted]
        env_vars += [without_value(new_variable(body)) for body in self.creates]
        return dict(created=[body["key"] for body in self.creates],
                    updated=[variable["key"] for variable, _changes in self.updates],
                    deleted=[variable["key"] for variable in self.deletes],
                    env_vars=env_vars, redeploy=self.redeploy())

    def redeploy(self):
        effects = [redeploy_for(new_variable(body)) for body in self.creates]
        effects += [redeploy_for(variable, dict(variable, **changes)) for variable, changes in self.updates]
        effects += [redeploy_for(variable) for variable in self.deletes]
        return strongest("none", *effects)

    def diff(self):
        """Before and after, by key: the listed and the deleted variables, their flags, and a placeholder for the value."""
        before = dict((variable["key"], shown(variable)) for variable in self.listed + self.deletes)
        after = dict((variable["key"], shown(variable)) for variable in self.listed)
        for variable, changes in self.updates:
            after[variable["key"]] = shown(dict(variable, **changes), "value" in changes)
        for body in self.creates:
            after[body["key"]] = shown(new_variable(body))
        for variable in self.deletes:
            after.pop(variable["key"], None)
        return dict(before=before, after=after)


def new_variable(body):
    """A variable as a create makes it: a flag the body does not give takes the API's default, true."""
    return dict(dict((name, True) for name in FLAGS), **body)


def shown(variable, value_changed=False):
    return dict(value=HIDDEN_CHANGED if value_changed else HIDDEN,
                is_runtime=variable.get("is_runtime"), is_buildtime=variable.get("is_buildtime"))


def redeploy_for(*versions):
    """What a change to a variable (its versions before and after) needs: 'build' when a version is used at build
    time, 'restart' when one is used at run time only, 'none' otherwise. A flag the API leaves null counts as
    true, the API's default."""
    if any(version.get("is_buildtime") is not False for version in versions):
        return "build"
    if any(version.get("is_runtime") is not False for version in versions):
        return "restart"
    return "none"


def strongest(*effects):
    return max(effects, key=REDEPLOY.index)


# ---------------------------------------------------------------------------
# Sending it.

def apply_plan(client, scope, plan, result):
    """Send the plan: creates and updates in the order of variables, then deletes. result's created, updated,
    deleted, redeploy and changed follow each request that succeeded, so that a failure part-way carries them and
    says what was done. Returns the scope's variables after the change, without values."""
    env_vars = [without_value(variable) for variable in plan.current]
    try:
        for kind, write in plan.writes:
            if kind == "create":
                created = create_env_var(client, scope, write)
                env_vars.append(without_value(created))
                done(result, "created", write["key"], redeploy_for(created))
            else:
                variable, changes = write
                updated = update_env_var(client, scope, variable, changes)
                env_vars = [without_value(updated) if item["id"] == variable["id"] else item for item in env_vars]
                done(result, "updated", variable["key"], redeploy_for(variable, updated))
        for variable in plan.deletes:
            delete_env_var(client, scope, variable)
            env_vars = [item for item in env_vars if item["id"] != variable["id"]]
            done(result, "deleted", variable["key"], redeploy_for(variable))
    except SevallaError as error:
        if result["changed"]:
            raise error.explain("Done before this failure: %s" % "; ".join(
                "%s %s" % (what, listed_names([repr(key) for key in result[what]]))
                for what in ("created", "updated", "deleted") if result[what]))
        raise
    return env_vars


def done(result, what, key, effect):
    result[what] = result[what] + [key]
    result["redeploy"] = strongest(result["redeploy"], effect)
    result["changed"] = True


def create_env_var(client, scope, body):
    """One POST, never sent again once it may have acted: the failure then says that the key may exist."""
    key = body["key"]
    try:
        return post_once(client, scope.path(), body, shape=checked_env_var,
                         effect="variable %r may have been created all the same" % key,
                         advice="Run the task again: it reads the variables first and creates %r only if it is "
                                "missing" % key)
    except SevallaError as error:
        conflict = (": %s already has a variable with this key, created after this task read the list; run the task "
                    "again" % scope) if getattr(error, "status", None) == 409 else ""
        raise error.explain("Creating variable %r in %s failed%s" % (key, scope, conflict))


def update_env_var(client, scope, variable, changes):
    """One PUT with only the changed fields; the client sends it again after a 5xx or a lost answer."""
    try:
        return client.put(scope.path(variable["id"]), changes, shape=checked_env_var)
    except SevallaError as error:
        raise error.explain("Changing the %s of %s failed" % (" and ".join(sorted(changes)), describe(variable, scope)))


def delete_env_var(client, scope, variable):
    """One DELETE; the client sends it again after a 5xx or a lost answer, and a 404 then means it is gone."""
    try:
        client.delete(scope.path(variable["id"]))
    except SevallaError as error:
        gone = ": it may have been deleted since this task read the list; run the task again" if error.not_found else ""
        raise error.explain("Deleting %s failed%s" % (describe(variable, scope), gone))


def describe(variable, scope):
    return "variable %r (id %s) of %s" % (variable["key"], variable["id"], scope)
