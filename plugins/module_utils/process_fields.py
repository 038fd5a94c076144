# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a process is made of, and the plans that decide what to send: only sevalla_process loads this.

The field model is written once for create, update, diff and input checks: the options and their argument
spec, the API's camelCase names with their snake_case aliases, the ranges, the fields that apply to one
process type only, what a create needs, and the normalisation that makes an option comparable with what the
API returns. The plans (plan_create, plan_update) return the request body and the process as it would be
after it: changed, check mode and the diff all come from them. The requests themselves are in process.py."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.sevalla.cloud.plugins.module_utils.base import (
    check_length,
    check_range,
    check_uuid,
    did_you_mean,
    listed_names,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaError
from ansible_collections.sevalla.cloud.plugins.module_utils.process import PROCESS_TYPES

MAX_SAFE_INTEGER = 9007199254740991
RESOURCE_TYPES_PATH = "/resources/process-resource-types"

# `type` is set by the create only; the others can be created and updated.
SCALAR_FIELDS = ("type", "display_name", "entrypoint", "resource_type_id", "port", "is_ingress_enabled",
                 "ingress_protocol", "schedule", "time_zone", "job_start_policy")
NESTED_FIELDS = ("scaling_strategy", "liveness_probe", "readiness_probe")
FIELDS = SCALAR_FIELDS + NESTED_FIELDS
# POST /applications/{id}/processes does not take these: they are set with a PATCH after the create.
PATCH_ONLY_FIELDS = ("is_ingress_enabled", "ingress_protocol")
# What a create needs; a tuple is a choice of options, one of which is enough.
CREATE_REQUIRED = ("type", "display_name", ("resource_type", "resource_type_id"), "scaling_strategy")
# What a create of one type needs besides (the API reference: required for cron and job processes).
CREATE_REQUIRED_BY_TYPE = {"cron": ("schedule",), "job": ("job_start_policy",)}

# Fields that apply to one process type only.
FIELD_PROCESS_TYPE = {
    "schedule": "cron",
    "time_zone": "cron",
    "job_start_policy": "job",
    "is_ingress_enabled": "web",
    "ingress_protocol": "web",
    "liveness_probe": "web",
    "readiness_probe": "web",
}

SCALING_CONFIG_RANGES = (
    ("instanceCount", 0, 50),
    ("minInstanceCount", 0, 50),
    ("maxInstanceCount", 0, 50),
    ("targetCpuPercent", 1, 100),
    ("targetMemoryPercent", 1, 100),
    ("scaleUpIntervalSeconds", 1, 60000),
    ("scaleUpIncrement", 1, 5),
    ("scaleDownIntervalSeconds", 1, 60000),
    ("scaleDownIncrement", 1, 5),
)
SCALING_ACCEPTED_KEYS = {
    "manual": ("instanceCount",),
    "horizontal": ("minInstanceCount", "maxInstanceCount", "targetCpuPercent", "targetMemoryPercent",
                   "scaleUpIntervalSeconds", "scaleUpIncrement", "scaleDownIntervalSeconds", "scaleDownIncrement"),
}
SCALING_REQUIRED_KEYS = {
    "manual": ("instanceCount",),
    "horizontal": ("minInstanceCount", "maxInstanceCount"),
}

# schedule: a cron expression of five fields, as in the API reference's examples ("0 */6 * * *"). Each field is
# *, a value, a range A-B, any of these with a step /S, or a comma-separated list of them; month and day of week
# also take English three-letter names (JAN, MON), case-insensitively. Day of week 0 and 7 are both Sunday.
CRON_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    ("day of week", 0, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
)
CRON_ITEM = r"^(?:\*|(?P<low>[0-9A-Za-z]+)(?:-(?P<high>[0-9A-Za-z]+))?)(?:/(?P<step>[0-9]+))?$"
CRON_FORM = "five fields, minute hour day-of-month month day-of-week, for example '0 */6 * * *'"

PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket"]
PROBE_TIMING_MINIMUMS = (
    ("initialDelaySeconds", 0),
    ("periodSeconds", 1),
    ("timeoutSeconds", 1),
    ("successThreshold", 1),
    ("failureThreshold", 1),
)


# ---------------------------------------------------------------------------
# Spellings and the argument spec; keep in step with the sevalla_process DOCUMENTATION.

def snake_case(name):
    return re.sub(r"([A-Z])", r"_\1", name).lower()


def with_snake_aliases(options):
    """Give every camelCase option its snake_case spelling as an alias."""
    for name, spec in options.items():
        if snake_case(name) != name:
            spec["aliases"] = [snake_case(name)]
    return options


def scaling_config_options():
    return with_snake_aliases(dict((name, dict(type="int")) for name, low, high in SCALING_CONFIG_RANGES))


def scaling_options():
    return dict(
        type=dict(type="str", required=True, choices=["manual", "horizontal"]),
        config=dict(type="dict", required=True, options=scaling_config_options()),
    )


def probe_options():
    header = dict(name=dict(type="str", required=True), value=dict(type="str", required=True))
    http_get = with_snake_aliases(dict(
        path=dict(type="str"),
        port=dict(type="int"),
        host=dict(type="str"),
        scheme=dict(type="str", choices=["HTTP", "HTTPS"]),
        httpHeaders=dict(type="list", elements="dict", options=header),
    ))
    options = {
        "exec": dict(type="dict", options=dict(command=dict(type="list", elements="str", required=True))),
        "httpGet": dict(type="dict", options=http_get),
        "tcpSocket": dict(type="dict", options=dict(host=dict(type="str"), port=dict(type="int", required=True))),
    }
    options.update((name, dict(type="int")) for name, minimum in PROBE_TIMING_MINIMUMS)
    return with_snake_aliases(options)


def probe_spec():
    return dict(type="dict", options=probe_options(),
                required_one_of=[PROBE_HANDLERS], mutually_exclusive=[PROBE_HANDLERS])


def field_spec():
    """The argument spec of the process fields, plus resource_type (a name resolved to resource_type_id)."""
    return dict(
        type=dict(type="str", choices=list(PROCESS_TYPES)),
        display_name=dict(type="str"),
        entrypoint=dict(type="str"),
        resource_type_id=dict(type="str"),
        resource_type=dict(type="str"),
        port=dict(type="int"),
        is_ingress_enabled=dict(type="bool"),
        ingress_protocol=dict(type="str", choices=["http", "grpc"]),
        schedule=dict(type="str"),
        time_zone=dict(type="str"),
        job_start_policy=dict(type="str", choices=["beforeDeployment", "afterSuccessDeployment", "afterFailedDeployment"]),
        scaling_strategy=dict(type="dict", options=scaling_options()),
        liveness_probe=probe_spec(),
        readiness_probe=probe_spec(),
    )


FIELD_OPTIONS = dict(mutually_exclusive=[("resource_type", "resource_type_id")])
NESTED_OPTIONS = dict(scaling_strategy=scaling_options, liveness_probe=probe_options, readiness_probe=probe_options)


# ---------------------------------------------------------------------------
# Normalising values for comparison and for the request.

def canonical(value, options):
    """A validated sub-dict with the API's names only (no alias keys) and no unset keys."""
    result = {}
    for name, spec in options.items():
        item = value.get(name)
        if item is None:
            continue
        sub_options = spec.get("options")
        if sub_options and isinstance(item, list):
            item = [canonical(element, sub_options) for element in item]
        elif sub_options:
            item = canonical(item, sub_options)
        result[name] = item
    return result


def without_none(value):
    """A value from the API with its None keys dropped, at every depth."""
    if isinstance(value, dict):
        return dict((key, without_none(item)) for key, item in value.items() if item is not None)
    if isinstance(value, list):
        return [without_none(item) for item in value]
    return value


def desired_fields(params):
    """The fields the user set, in API names, ready to compare and to send."""
    desired = dict((name, params[name]) for name in SCALAR_FIELDS if params.get(name) is not None)
    for name in NESTED_FIELDS:
        if params.get(name) is not None:
            desired[name] = canonical(params[name], NESTED_OPTIONS[name]())
    return desired


def field_values(process, names):
    """The named fields of a process, None keys dropped inside them: one side of a diff."""
    return dict((name, without_none(process.get(name))) for name in names)


def described(process):
    """The model's fields of a process from the API, with the key, without None: the diff of a delete."""
    names = ("key",) + FIELDS + ("resource_type_name",)
    return dict((name, without_none(process[name])) for name in names if process.get(name) is not None)


# ---------------------------------------------------------------------------
# Input checks, before any request.

def check_scalar_fields(params):
    check_length("display_name", params["display_name"], 1, 255)
    check_length("entrypoint", params["entrypoint"], 0, 1024)
    check_length("schedule", params["schedule"], 0, 100)
    check_schedule(params["schedule"])
    check_length("time_zone", params["time_zone"], 0, 100)
    check_time_zone(params["time_zone"])
    check_range("port", params["port"], 1, 65535)
    if params["resource_type_id"] is not None:
        check_uuid("resource_type_id", params["resource_type_id"])
    if params["resource_type"] == "":
        raise SevallaError("resource_type must be a resource type name such as s1, got an empty string")


def check_schedule(schedule):
    """A five-field cron expression with every value in its field's range (CRON_FIELDS)."""
    if schedule is None:
        return
    fields = schedule.split()
    if len(fields) != len(CRON_FIELDS):
        raise SevallaError("schedule must be a cron expression of %s; got %r, which has %d field%s"
                           % (CRON_FORM, schedule, len(fields), "" if len(fields) == 1 else "s"))
    for text, field in zip(fields, CRON_FIELDS):
        for item in text.split(","):
            problem = cron_item_problem(item, field)
            if problem:
                raise SevallaError("schedule %r: the %s field %s" % (schedule, field[0], problem))


def cron_item_problem(item, field):
    """What is wrong with one item of a cron field (a value, range or step, with or without a step), or None."""
    name, low, high, names = field
    if not item:
        return "has an empty item: two commas, or a comma at an end"
    match = re.match(CRON_ITEM, item)  # compiled on first use: only a task with a schedule needs it
    if not match:
        return "has %r, which is not *, a value, a range such as 1-5, a step such as */15 or 0-30/5" % item
    values = []
    for text in (match.group("low"), match.group("high")):
        if text is None:
            continue
        if text.isdigit():
            value = int(text)
        elif text.upper() in names:
            value = low + names.index(text.upper())
        else:
            return "has %r, which is not a number%s" % (text, " or a name %s to %s" % (names[0], names[-1]) if names else "")
        if not low <= value <= high:
            return "takes %d to %d, got %s" % (low, high, text)
        values.append(value)
    if len(values) == 2 and values[0] > values[1]:
        return "has the range %r, which runs backwards: write the lower value first" % item
    if match.group("step") is not None and int(match.group("step")) == 0:
        return "has the step %r: a step is 1 or more" % item
    return None


def check_time_zone(time_zone):
    """An IANA zone name, when the Python that runs the module has a zone database; else not checked."""
    if not time_zone:
        return
    zones = known_time_zones()
    if zones and time_zone not in zones:
        raise SevallaError("time_zone must be an IANA time zone name such as Europe/Paris or America/New_York, "
                           "got %r, which the zone database of the Python running the module does not have.%s"
                           % (time_zone, did_you_mean(time_zone, sorted(zones))))


def known_time_zones():
    """The zone names the module's Python knows; empty without zoneinfo or tzdata (AnsiballZ may run anywhere)."""
    try:
        import zoneinfo  # only a task with a time_zone needs it
        return zoneinfo.available_timezones()
    except (ImportError, OSError, ValueError):  # ImportError: Python before 3.9
        return frozenset()


def check_scaling_strategy(params):
    strategy = params["scaling_strategy"]
    if strategy is None:
        return
    kind = strategy["type"]
    config = canonical(strategy["config"], scaling_config_options())
    accepted = SCALING_ACCEPTED_KEYS[kind]
    for name in config:
        if name not in accepted:
            raise SevallaError("scaling_strategy.config.%s does not apply to %s scaling, which accepts only: %s"
                               % (name, kind, ", ".join(accepted)))
    for name in SCALING_REQUIRED_KEYS[kind]:
        if name not in config:
            raise SevallaError("scaling_strategy.config.%s is required when scaling_strategy.type is %s" % (name, kind))
    for name, low, high in SCALING_CONFIG_RANGES:
        check_range("scaling_strategy.config." + name, config.get(name), low, high)
    if kind == "horizontal" and config["minInstanceCount"] > config["maxInstanceCount"]:
        raise SevallaError("scaling_strategy.config.minInstanceCount (%d) must not be greater than "
                           "scaling_strategy.config.maxInstanceCount (%d)"
                           % (config["minInstanceCount"], config["maxInstanceCount"]))


def check_probe(option, probe):
    probe = canonical(probe, probe_options())
    for name, minimum in PROBE_TIMING_MINIMUMS:
        check_range("%s.%s" % (option, name), probe.get(name), minimum, MAX_SAFE_INTEGER)
    for handler in ("httpGet", "tcpSocket"):
        check_range("%s.%s.port" % (option, handler), probe.get(handler, {}).get("port"), 1, 65535)


def check_probes(params):
    for option in ("liveness_probe", "readiness_probe"):
        if params[option] is not None:
            check_probe(option, params[option])


def check_fields(params):
    """Every check of the field options that needs no request."""
    check_scalar_fields(params)
    check_scaling_strategy(params)
    check_probes(params)
    if params["type"] is not None:
        check_type_rules(params["type"], desired_fields(params), "A %s process" % params["type"])


def check_type_rules(kind, desired, subject):
    """Fail on fields that do not apply to a process of this type; subject names the process in the message."""
    misplaced = ["%s (%s only)" % (name, FIELD_PROCESS_TYPE[name]) for name in sorted(desired)
                 if name in FIELD_PROCESS_TYPE and FIELD_PROCESS_TYPE[name] != kind]
    if misplaced:
        raise SevallaError("%s does not take these options: %s" % (subject, ", ".join(misplaced)))


def check_same_type(process, desired):
    """The type is set at creation: a different one is a new process, not an update."""
    wanted = desired.get("type")
    if wanted is not None and wanted != process.get("type"):
        raise SevallaError(
            "Process %r is a %s process, and type is %s: the type of a process cannot change. To make it a %s "
            "process, delete it (state=absent) and create a new one." % (process["key"], process.get("type"), wanted, wanted))


def missing_for_create(params):
    """The options a create needs and does not have, in the order of the docs."""
    missing = []
    for required in CREATE_REQUIRED:
        choices = required if isinstance(required, tuple) else (required,)
        if all(params.get(name) is None for name in choices):
            missing.append(" or ".join(choices))
    for name in CREATE_REQUIRED_BY_TYPE.get(params.get("type"), ()):
        if params.get(name) is None:
            missing.append("%s (for a %s process)" % (name, params["type"]))
    return missing


def split_create(fields):
    """The POST body of a create, and the fields that only a PATCH after it can set."""
    body = dict((name, value) for name, value in fields.items() if name not in PATCH_ONLY_FIELDS)
    later = dict((name, value) for name, value in fields.items() if name in PATCH_ONLY_FIELDS)
    return body, later


# ---------------------------------------------------------------------------
# Resource types.

def checked_resource_types(body):
    if not isinstance(body, list) or not all(isinstance(item, dict) and "id" in item and "name" in item for item in body):
        raise SevallaError("unexpected response shape: expected a list of resource types with id and name")
    return body


def resource_type_fields(client, name, process):
    """The process fields that assigning the resource type `name` sets; none when it already has it."""
    if name == process.get("resource_type_name"):
        return {}
    types = client.get(RESOURCE_TYPES_PATH, shape=checked_resource_types)
    for resource_type in types:
        if resource_type["name"] == name:
            return dict(resource_type_id=resource_type["id"], resource_type_name=name,
                        cpu_limit=resource_type.get("cpu_limit"), memory_limit=resource_type.get("memory_limit"))
    names = [item["name"] for item in types]
    raise SevallaError("resource_type %r is not a process resource type.%s Valid names: %s"
                       % (name, did_you_mean(name, names), listed_names(names) or "none"))


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


def plan_create(client, params, app, processes, desired):
    """The POST body, the PATCH-only fields to set after it, and the process as it would be (without id).

    Fails, before any change, when an option a create needs is missing or the application has its web process."""
    missing = missing_for_create(params)
    if missing:
        raise SevallaError("Application %s has no process with the key %r, so this task creates one, and a create "
                           "needs these options too: %s" % (app, params["process_key"], ", ".join(missing)))
    webs = [process for process in processes if process.get("type") == "web"]
    if desired["type"] == "web" and webs:
        raise SevallaError("Application %s already has a web process, %r (id %s), and an application has at most "
                           "one: manage it with process_key: %s" % (app, webs[0]["key"], webs[0]["id"], webs[0]["key"]))
    fields = dict(desired)
    assigned = {}
    if params["resource_type"] is not None:
        assigned = resource_type_fields(client, params["resource_type"], {})
        fields["resource_type_id"] = assigned["resource_type_id"]
    body, later = split_create(fields)
    predicted = dict(fields, app_id=app.id, key=params["process_key"])
    predicted.update(assigned)
    return body, later, predicted


def managed_names(params, desired):
    """The fields the task manages, for the diff: the ones set, and the resource type's name and ID."""
    names = list(desired)
    if params["resource_type"] is not None:
        names += ["resource_type_name", "resource_type_id"]
    return names
