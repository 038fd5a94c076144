# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's data: resource types, applications and their processes, loaded from seed.json."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from string import Template

from .deployments import DEFAULT_DURATION, Deployments
from .envvars import EnvVars, expand_seed, seed_ids
from .limits import CreationLimit
from .logs import AppLogs, check_seed as check_log_seed
from .shell import FileSystem, Shell
from .validation import schema_error
from .wire import ApiError

SEED_PATH = Path(__file__).resolve().parent / "seed.json"
RESOURCE_FIELDS = {"resource_type_name": "name", "cpu_limit": "cpu_limit", "memory_limit": "memory_limit"}
# The fields of an item of GET /applications; GET /applications/{id} returns every field.
LIST_FIELDS = ("id", "name", "display_name", "status", "type", "source", "is_suspended", "created_at", "updated_at")
MAX_KEY_LENGTH = 64


class SeedError(Exception):
    """seed.json does not describe a valid starting state."""


def load_seed(path=SEED_PATH):
    """Read seed.json, expand generated processes and check everything against the schemas."""
    seed = json.loads(Path(path).read_text(encoding="utf-8"))
    _check("seed_file", seed, "seed")
    defaults = seed.pop("application_defaults")
    apps = seed["applications"] + _generated_applications(seed.pop("generate_applications"))
    seed["applications"] = [_complete_application(app, defaults) for app in apps]
    for app in seed["applications"]:
        app["processes"].extend(_generated_processes(app.pop("generate", None)))
        _check("application", public_application(app), "seed application %s" % app["name"])
    names = [app["name"] for app in seed["applications"]]
    if len(set(names)) != len(names):
        raise SeedError("seed: application names are not unique")
    resource_types = {item["id"]: item for item in seed["resource_types"]}
    for app in seed["applications"]:
        for process in app["processes"]:
            _check_process(process, app, resource_types)
    try:
        seed["env_vars"] = expand_seed(seed.get("env_vars", {}), {app["id"] for app in seed["applications"]})
        check_log_seed(seed.get("logs", []), seed["applications"])
    except ValueError as error:
        raise SeedError("seed %s" % error) from error
    _check_ids(seed)
    return seed


def _generated_applications(spec):
    """Applications numbered from 1, a day apart, with uuid5 ids in the given namespace and no processes."""
    first = parse_time(spec["first_created_at"])
    apps = []
    for number in range(1, spec["count"] + 1):
        name = spec["name_format"].format(number)
        stamp = format_time(first + timedelta(days=number - 1))
        apps.append({"id": str(uuid.uuid5(uuid.UUID(spec["namespace"]), name)), "name": name,
                     "display_name": spec["display_name_format"].format(number),
                     "created_at": stamp, "updated_at": stamp, "processes": []})
    return apps


def _complete_application(app, defaults):
    """The seed entry with every field the API returns: the defaults ($name substituted), then its own."""
    words = {"name": app["name"]}
    full = {name: Template(value).safe_substitute(words) if isinstance(value, str) else copy.deepcopy(value)
            for name, value in defaults.items()}
    full["namespace"] = "%s-%s" % (app["name"], hashlib.sha256(app["id"].encode("ascii")).hexdigest()[:5])
    full.update(app)
    return full


def public_application(app):
    """The application as GET /applications/{id} returns it: without the simulator's process list."""
    return {name: value for name, value in app.items() if name != "processes"}


def derived_key(display_name, taken):
    """The key of a new process: an ASSUMPTION, since the API reference does not say how the server derives it.

    A slug of the display name: lowercase, each run of characters other than a-z and 0-9 becomes one '-',
    no '-' at either end, at most 64 characters, and -2, -3, ... appended while the key is taken."""
    base = re.sub(r"[^a-z0-9]+", "-", display_name.lower()).strip("-")[:MAX_KEY_LENGTH].strip("-") or "process"
    key, number = base, 2
    while key in taken:
        suffix = "-%d" % number
        key = base[:MAX_KEY_LENGTH - len(suffix)].rstrip("-") + suffix
        number += 1
    return key


def _check(schema_name, instance, location):
    problem = schema_error(schema_name, instance, location)
    if problem:
        raise SeedError(problem)


def _generated_processes(spec):
    """Processes built from a template, numbered from 1, with uuid5 ids in the given namespace."""
    if not spec:
        return []
    processes = []
    for number in range(1, spec["count"] + 1):
        key = spec["key_format"].format(number)
        process = dict(copy.deepcopy(spec["template"]), key=key)
        process["id"] = str(uuid.uuid5(uuid.UUID(spec["namespace"]), key))
        process["display_name"] = spec["display_name_format"].format(number)
        process["internal_hostname"] = spec["hostname_format"].format(key=key)
        processes.append(process)
    return processes


def _check_process(process, app, resource_types):
    where = "seed %s/%s" % (app["name"], process.get("key"))
    _check("process", process, where)
    if process["app_id"] != app["id"]:
        raise SeedError("%s: app_id differs from the application id" % where)
    resource = resource_types.get(process["resource_type_id"])
    if resource is None or any(process[field] != resource[source] for field, source in RESOURCE_FIELDS.items()):
        raise SeedError("%s: resource fields do not match a resource type" % where)


def _check_ids(seed):
    """Every entry of `ids` names something in the seed, except the unknown_* ones, which must not."""
    known = {item["id"] for item in seed["resource_types"]}
    for app in seed["applications"]:
        known.add(app["id"])
        known.update(process["id"] for process in app["processes"])
    known.update(seed_ids(seed["env_vars"]))
    for name, value in seed["ids"].items():
        if (value in known) == name.startswith("unknown_"):
            raise SeedError("seed ids.%s: %s is %s" % (name, value, "known" if value in known else "unknown"))


def parse_time(stamp):
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def format_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


class SimulatorState:
    """Mutable copy of the seed; every access holds the lock."""

    def __init__(self, seed=None, deployment_duration=DEFAULT_DURATION, creations=None, log_reads=None):
        self.seed = seed or load_seed()
        self.creations = creations or CreationLimit()
        self.lock = threading.RLock()
        self.deployments = Deployments(self, deployment_duration)
        self.env_vars = EnvVars(self)
        self.logs = AppLogs(self, log_reads)
        self.resource_types = {}
        self.applications = {}
        self.shells = {}
        self.last_update = None
        self.reset()

    def reset(self):
        with self.lock:
            seed = copy.deepcopy(self.seed)
            self.resource_types = {item["id"]: item for item in seed["resource_types"]}
            self.applications = {app["id"]: app for app in seed["applications"]}
            self.shells = {}
            self.last_update = None
            self.deployments.reset()
            self.env_vars.reset()
            self.logs.reset()

    def list_resource_types(self):
        with self.lock:
            return copy.deepcopy(list(self.resource_types.values()))

    def application(self, app_id):
        app = self.applications.get(app_id)
        if app is None:
            raise ApiError(404, "no application with id %s" % app_id, "app-not-found", "Application not found")
        return app

    def process(self, app_id, process_id):
        """The stored process (not a copy); callers hold the lock."""
        for process in self.application(app_id)["processes"]:
            if process["id"] == process_id:
                return process
        raise ApiError(404, "application %s has no process with id %s" % (app_id, process_id), "process-not-found", "Process not found")

    def get_process(self, app_id, process_id):
        with self.lock:
            return copy.deepcopy(self.process(app_id, process_id))

    def list_processes(self, app_id, offset, limit):
        with self.lock:
            processes = self.application(app_id)["processes"]
            return copy.deepcopy(processes[offset:offset + limit]), len(processes)

    def all_processes(self, app_id):
        with self.lock:
            return copy.deepcopy(self.application(app_id)["processes"])

    def list_applications(self, offset, limit):
        """A page of applications, newest first, as list items."""
        with self.lock:
            apps = sorted(self.applications.values(), key=lambda app: (app["created_at"], app["id"]), reverse=True)
            return [{name: copy.deepcopy(app[name]) for name in LIST_FIELDS} for app in apps[offset:offset + limit]], len(apps)

    def get_application(self, app_id):
        with self.lock:
            return copy.deepcopy(public_application(self.application(app_id)))

    def create_process(self, app_id, body):
        """Add a process from a validated POST body; the server's defaults fill the fields it does not set."""
        with self.lock:
            app = self.application(app_id)
            resource = self.resource_types[body["resource_type_id"]]
            key = derived_key(body["display_name"], {process["key"] for process in app["processes"]})
            now = self._next_timestamp()
            web = body["type"] == "web"
            process = {
                "id": str(uuid.uuid4()), "app_id": app_id, "key": key, "type": body["type"],
                "display_name": body["display_name"], "entrypoint": body.get("entrypoint", ""), "port": body.get("port"),
                # Assumed defaults: a new web process takes HTTP traffic; other types take none.
                "is_ingress_enabled": web, "ingress_protocol": "http" if web else None,
                "scaling_strategy": copy.deepcopy(body["scaling_strategy"]), "resource_type_id": resource["id"],
            }
            process.update({field: resource[source] for field, source in RESOURCE_FIELDS.items()})
            for name in ("schedule", "time_zone", "job_start_policy", "liveness_probe", "readiness_probe"):
                process[name] = copy.deepcopy(body.get(name))
            process.update(internal_hostname="%s-%s.%s.svc.cluster.local" % (app["name"], key, app["namespace"]),
                           created_at=now, updated_at=now)
            problem = schema_error("process", process, "process")
            if problem:
                raise ApiError(500, "the create would produce an invalid process (%s)" % problem, "invalid-result")
            app["processes"].append(process)
            return copy.deepcopy(process)

    def delete_process(self, app_id, process_id):
        """Remove the process at once (the real API removes it at the next deployment)."""
        with self.lock:
            process = self.process(app_id, process_id)
            self.application(app_id)["processes"].remove(process)
            self.shells.pop(process_id, None)

    def update_process(self, app_id, process_id, changes):
        """Apply the given top-level fields; return the updated process, checked against the response schema."""
        with self.lock:
            process = self.process(app_id, process_id)
            if not changes:
                return copy.deepcopy(process)
            updated = dict(process, **copy.deepcopy(changes))
            if changes.get("resource_type_id", process["resource_type_id"]) != process["resource_type_id"]:
                resource = self.resource_types[changes["resource_type_id"]]
                updated.update({field: resource[source] for field, source in RESOURCE_FIELDS.items()})
            updated["updated_at"] = self._next_timestamp()
            problem = schema_error("process", updated, "process")
            if problem:
                raise ApiError(500, "the update would produce an invalid process (%s)" % problem, "invalid-result")
            process.clear()
            process.update(updated)
            return copy.deepcopy(process)

    def _next_timestamp(self):
        """Now, in milliseconds, strictly after the previous update."""
        now = datetime.now(timezone.utc)
        moment = now.replace(microsecond=now.microsecond // 1000 * 1000)
        if self.last_update is not None and moment <= self.last_update:
            moment = self.last_update + timedelta(milliseconds=1)
        self.last_update = moment
        return format_time(moment)

    def shell(self, app_id, process_id):
        """The process's shell, created on first use from the seed's runtime description."""
        with self.lock:
            process = self.process(app_id, process_id)
            if process_id not in self.shells:
                self.shells[process_id] = self._new_shell(self.application(app_id)["name"], process)
            return self.shells[process_id]

    def _new_shell(self, app_name, process):
        runtime = self.seed["runtime"]
        suffix = hashlib.sha256(process["id"].encode("ascii")).hexdigest()[:5]
        words = {"app": app_name, "key": process["key"], "hostname": "%s-%s" % (process["key"], suffix)}
        env = {name: Template(value).safe_substitute(words) for name, value in runtime["env"].items()}
        env["HOSTNAME"] = words["hostname"]
        if process["port"] is not None:
            env["PORT"] = str(process["port"])
        files = {path: Template(content).safe_substitute(words) for path, content in runtime["files"].items()}
        return Shell(FileSystem(runtime["dirs"], files, parse_time(runtime["mtime"])), env)
