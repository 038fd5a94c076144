# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's data: resource types, applications and their processes, loaded from seed.json."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from string import Template

from .deployments import DEFAULT_DURATION, Deployments
from .shell import FileSystem, Shell
from .validation import schema_error
from .wire import ApiError

SEED_PATH = Path(__file__).resolve().parent / "seed.json"
RESOURCE_FIELDS = {"resource_type_name": "name", "cpu_limit": "cpu_limit", "memory_limit": "memory_limit"}


class SeedError(Exception):
    """seed.json does not describe a valid starting state."""


def load_seed(path=SEED_PATH):
    """Read seed.json, expand generated processes and check everything against the schemas."""
    seed = json.loads(Path(path).read_text(encoding="utf-8"))
    _check("seed_file", seed, "seed")
    for app in seed["applications"]:
        app["processes"].extend(_generated_processes(app.pop("generate", None)))
    resource_types = {item["id"]: item for item in seed["resource_types"]}
    for app in seed["applications"]:
        for process in app["processes"]:
            _check_process(process, app, resource_types)
    _check_ids(seed)
    return seed


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
    for name, value in seed["ids"].items():
        if (value in known) == name.startswith("unknown_"):
            raise SeedError("seed ids.%s: %s is %s" % (name, value, "known" if value in known else "unknown"))


def parse_time(stamp):
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def format_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


class SimulatorState:
    """Mutable copy of the seed; every access holds the lock."""

    def __init__(self, seed=None, deployment_duration=DEFAULT_DURATION):
        self.seed = seed or load_seed()
        self.lock = threading.RLock()
        self.deployments = Deployments(self, deployment_duration)
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
