# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Environment variables: each application's own (/applications/{id}/env-vars[/{env_var_id}]) and the company's
global ones (/applications/global-env-vars[/{id}]).

Both kinds keep the same fields and rules; a global variable has no app_id. Values are stored and answered in
clear, lists are in creation order. Nothing here reaches the processes' environments (see README.md).
"""

from __future__ import annotations

import collections
import copy
import uuid
from datetime import datetime, timedelta, timezone

from .deployments import checked
from .validation import schema_error, validate_body
from .wire import ApiError, json_response

DEFAULT_LIMIT = 25
DEFAULT_OFFSET = 0
DELETED = "Environment variable deleted"
GLOBAL_DELETED = "Global environment variable deleted"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


# --- the seed ---

def expand_seed(section, app_ids):
    """seed.json env_vars with generated variables written out and defaults filled in; ValueError when invalid.

    Returns {"global": [variable], "applications": {app_id: [variable]}}, each list sorted by creation time."""
    problem = schema_error("env_var_seed", section, "env_vars")
    if problem:
        raise ValueError(problem)
    expanded = {"global": [_seed_variable(item, None) for item in section.get("global", [])], "applications": {}}
    for entry in section.get("applications", []):
        app_id = entry["app_id"]
        if app_id not in app_ids or app_id in expanded["applications"]:
            raise ValueError("env_vars: %s is not a seeded application, or is listed twice" % app_id)
        variables = [_seed_variable(item, app_id) for item in entry.get("variables", [])]
        variables += _generated_variables(entry.get("generate"), app_id)
        expanded["applications"][app_id] = variables
    for where, variables in [("global", expanded["global"])] + sorted(expanded["applications"].items()):
        variables.sort(key=lambda variable: variable["created_at"])
        keys = [variable["key"] for variable in variables]
        if len(set(keys)) != len(keys):
            raise ValueError("env_vars %s: keys are not unique" % where)
    return expanded


def seed_ids(expanded):
    """The ids of every seeded variable, global or not."""
    ids = {variable["id"] for variable in expanded["global"]}
    for variables in expanded["applications"].values():
        ids.update(variable["id"] for variable in variables)
    return ids


def _seed_variable(item, app_id):
    variable = {"id": item["id"]}
    if app_id is not None:
        variable["app_id"] = app_id
    variable.update(key=item["key"], value=item["value"], is_runtime=item.get("is_runtime", True),
                    is_buildtime=item.get("is_buildtime", True), created_at=item["created_at"],
                    updated_at=item.get("updated_at", item["created_at"]))
    problem = schema_error("global_env_var" if app_id is None else "env_var", variable, "env_vars %s" % item["key"])
    if problem:
        raise ValueError(problem)
    return variable


def _generated_variables(spec, app_id):
    if not spec:
        return []
    first = datetime.strptime(spec["first_created_at"], TIME_FORMAT).replace(tzinfo=timezone.utc)
    variables = []
    for number in range(1, spec["count"] + 1):
        key = spec["key_format"].format(number)
        moment = first + timedelta(seconds=spec["spacing_seconds"] * (number - 1))
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)
        variables.append(_seed_variable({
            "id": str(uuid.uuid5(uuid.UUID(spec["namespace"]), key)), "key": key,
            "value": spec["value_format"].format(number), "is_runtime": spec.get("is_runtime", True),
            "is_buildtime": spec.get("is_buildtime", True), "created_at": stamp}, app_id))
    return variables


# --- the store ---

class EnvVars:
    """Each application's variables and the company's, in creation order; the state's lock guards them."""

    def __init__(self, state):
        self.state = state
        self.company = []
        self.by_app = collections.defaultdict(list)

    def reset(self):
        """Back to the seed; the state calls it, holding its lock, once its applications are loaded."""
        seeded = copy.deepcopy(self.state.seed.get("env_vars") or {"global": [], "applications": {}})
        self.company = seeded["global"]
        self.by_app = collections.defaultdict(list, seeded["applications"])

    def scope(self, app_id):
        """The stored list of an application's variables (404 when it is unknown), or the company's for None."""
        if app_id is None:
            return self.company
        self.state.application(app_id)
        return self.by_app[app_id]


def _find(variables, app_id, env_var_id):
    for variable in variables:
        if variable["id"] == env_var_id:
            return variable
    if app_id is None:
        raise ApiError(404, "no global environment variable with id %s" % env_var_id, "env-var-not-found",
                       "Environment variable not found")
    raise ApiError(404, "application %s has no environment variable with id %s" % (app_id, env_var_id),
                   "env-var-not-found", "Environment variable not found")


def _check_unique(variables, key, app_id, itself=None):
    """409 when another variable of the scope has the key (keys compare case-sensitively)."""
    for variable in variables:
        if variable["key"] == key and variable is not itself:
            where = "the company already has a global" if app_id is None else "application %s already has an" % app_id
            raise ApiError(409, "body.key: %s environment variable named '%s' (id %s)" % (where, key, variable["id"]),
                           "duplicate-key")


def _schema(app_id):
    return "global_env_var" if app_id is None else "env_var"


def _check_full_access(request, action):
    if request.role != "full":
        raise ApiError(403, "the API key is read-only and cannot %s environment variables" % action, "read-only-key")


# --- operations (see operations.py for the order of checks) ---

def _list(state, app_id, query):
    limit = query.get("limit", DEFAULT_LIMIT)
    offset = query.get("offset", DEFAULT_OFFSET)
    with state.lock:
        variables = state.env_vars.scope(app_id)
        page = {"data": copy.deepcopy(variables[offset:offset + limit]), "total": len(variables), "offset": offset,
                "limit": limit}
    return json_response(checked(_schema(app_id) + "_page", page))


def _create(state, request, app_id):
    with state.lock:
        variables = state.env_vars.scope(app_id)
        _check_full_access(request, "create")
        body = validate_body("env_var_create", request.body)
        _check_unique(variables, body["key"], app_id)
        now = state._next_timestamp()  # pylint: disable=protected-access
        variable = {"id": str(uuid.uuid4())}
        if app_id is not None:
            variable["app_id"] = app_id
        variable.update(key=body["key"], value=body["value"], is_runtime=body.get("is_runtime", True),
                        is_buildtime=body.get("is_buildtime", True), created_at=now, updated_at=now)
        variables.append(checked(_schema(app_id), variable))
        return json_response(copy.deepcopy(variable), 201)


def _update(state, request, app_id, env_var_id):
    with state.lock:
        variables = state.env_vars.scope(app_id)
        variable = _find(variables, app_id, env_var_id)
        _check_full_access(request, "update")
        changes = validate_body("env_var_update", request.body)
        if "key" in changes:
            _check_unique(variables, changes["key"], app_id, itself=variable)
        if changes:  # an empty body changes nothing, not even updated_at
            updated = dict(variable, **changes)
            updated["updated_at"] = state._next_timestamp()  # pylint: disable=protected-access
            variable.update(checked(_schema(app_id), updated))
        return json_response(copy.deepcopy(variable))


def _delete(state, request, app_id, env_var_id):
    with state.lock:
        variables = state.env_vars.scope(app_id)
        variable = _find(variables, app_id, env_var_id)
        _check_full_access(request, "delete")
        variables.remove(variable)
    return json_response({"message": GLOBAL_DELETED if app_id is None else DELETED})


def list_env_vars(state, _request, params, query):
    return _list(state, params["id"], query)


def create_env_var(state, request, params, _query):
    return _create(state, request, params["id"])


def update_env_var(state, request, params, _query):
    return _update(state, request, params["id"], params["env_var_id"])


def delete_env_var(state, request, params, _query):
    return _delete(state, request, params["id"], params["env_var_id"])


def list_global_env_vars(state, _request, _params, query):
    return _list(state, None, query)


def create_global_env_var(state, request, _params, _query):
    return _create(state, request, None)


def update_global_env_var(state, request, params, _query):
    return _update(state, request, None, params["id"])  # here {id} is the variable's id


def delete_global_env_var(state, request, params, _query):
    return _delete(state, request, None, params["id"])
