#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_process
short_description: Keep a Sevalla application process in the desired configuration
version_added: 0.1.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Reads one process of a Sevalla application and updates the fields you set, with one
    C(PATCH /applications/{id}/processes/{process_id}) request, only when they differ from the current
    configuration.
  - An option left out, or set to V(null), leaves that field as it is.
  - Scalar fields are compared by value.
  - 'Nested objects (O(scaling_strategy), O(liveness_probe), O(readiness_probe)) are compared as a whole:
    the field is unchanged when the object you give, without its unset keys, equals the current object
    without its V(null) keys. When they differ, the whole object you give is sent and replaces the current
    one. So to remove a key from a probe, leave it out; and an object that holds only some of the current
    keys is a change, not a no-op.'
  - Nested keys may be written in the API's camelCase (as in the API documentation) or in snake_case; the
    request always uses the API's names.
  - Every input is checked before the first request. After reading the process, options that do not apply
    to its type fail the task before any update, even when the value equals the current one.
  - Changes to the resource type, scaling or probes take effect on the next deployment of the application.
    A change of O(ingress_protocol) is applied asynchronously.
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.process
attributes:
  check_mode:
    description: Sends no update and reports the change and the predicted process it would make.
    support: full
  diff_mode:
    description: Returns the fields you set, before and after, in the API's names.
    support: full
options:
  display_name:
    description:
      - Human-readable name of the process shown in the Sevalla dashboard, 1 to 255 characters.
    type: str
  entrypoint:
    description:
      - Command that starts the process, at most 1024 characters.
    type: str
  resource_type_id:
    description:
      - ID (a UUID) of the process resource type, the machine size that sets the CPU and memory limits.
      - Mutually exclusive with O(resource_type).
    type: str
  resource_type:
    description:
      - Name of the process resource type, for example V(s1), resolved to its ID through
        C(GET /resources/process-resource-types).
      - The list is read only when the name differs from the process's current C(resource_type_name).
        An unknown name fails and lists the valid names.
      - Mutually exclusive with O(resource_type_id).
    type: str
  port:
    description:
      - Port the process listens on for incoming connections, from 1 to 65535.
    type: int
  is_ingress_enabled:
    description:
      - Whether external traffic is routed to the process.
      - Web processes only.
    type: bool
  ingress_protocol:
    description:
      - Protocol of the ingress traffic, V(http) for HTTP and HTTPS or V(grpc) for gRPC.
      - Web processes only.
    type: str
    choices:
      - http
      - grpc
  schedule:
    description:
      - Cron expression that sets when the process runs, for example V(0 */6 * * *), at most 100 characters.
      - Cron processes only.
    type: str
  time_zone:
    description:
      - IANA time zone of O(schedule), for example V(America/New_York), at most 100 characters.
      - Cron processes only.
    type: str
  job_start_policy:
    description:
      - When the job runs relative to a deployment.
      - V(beforeDeployment) runs it before the deployment starts, V(afterSuccessDeployment) after a
        successful deployment, V(afterFailedDeployment) after a failed one.
      - Job processes only.
    type: str
    choices:
      - beforeDeployment
      - afterSuccessDeployment
      - afterFailedDeployment
  scaling_strategy:
    description:
      - How many instances of the process run.
      - Compared and sent as a whole, see the description above.
    type: dict
    suboptions:
      type:
        description:
          - V(manual) runs a fixed number of instances, C(config.instanceCount).
          - V(horizontal) scales between C(config.minInstanceCount) and C(config.maxInstanceCount) on CPU
            or memory use.
        type: str
        required: true
        choices:
          - manual
          - horizontal
      config:
        description:
          - Settings of the scaling type.
          - V(manual) needs O(scaling_strategy.config.instanceCount) and accepts no other key.
          - V(horizontal) needs O(scaling_strategy.config.minInstanceCount) and
            O(scaling_strategy.config.maxInstanceCount), accepts the other keys, and does not accept
            O(scaling_strategy.config.instanceCount).
        type: dict
        required: true
        suboptions:
          instanceCount:
            description:
              - Number of instances to run, from 0 to 50. Manual scaling only.
            type: int
            aliases:
              - instance_count
          minInstanceCount:
            description:
              - Fewest instances to run, from 0 to 50, at most O(scaling_strategy.config.maxInstanceCount).
              - Horizontal scaling only.
            type: int
            aliases:
              - min_instance_count
          maxInstanceCount:
            description:
              - Most instances to run, from 0 to 50. Horizontal scaling only.
            type: int
            aliases:
              - max_instance_count
          targetCpuPercent:
            description:
              - CPU use, in percent of the limit, that the scaler aims for, from 1 to 100. Horizontal scaling only.
            type: int
            aliases:
              - target_cpu_percent
          targetMemoryPercent:
            description:
              - Memory use, in percent of the limit, that the scaler aims for, from 1 to 100. Horizontal scaling only.
            type: int
            aliases:
              - target_memory_percent
          scaleUpIntervalSeconds:
            description:
              - Seconds to wait between two scale-up events, from 1 to 60000. Horizontal scaling only.
            type: int
            aliases:
              - scale_up_interval_seconds
          scaleUpIncrement:
            description:
              - Instances added by one scale-up event, from 1 to 5. Horizontal scaling only.
            type: int
            aliases:
              - scale_up_increment
          scaleDownIntervalSeconds:
            description:
              - Seconds to wait between two scale-down events, from 1 to 60000. Horizontal scaling only.
            type: int
            aliases:
              - scale_down_interval_seconds
          scaleDownIncrement:
            description:
              - Instances removed by one scale-down event, from 1 to 5. Horizontal scaling only.
            type: int
            aliases:
              - scale_down_increment
  liveness_probe:
    description:
      - Kubernetes liveness probe, which restarts an instance that stops answering.
      - Exactly one of C(exec), C(httpGet) and C(tcpSocket) sets how the probe checks the instance.
      - Compared and sent as a whole, see the description above.
      - Web processes only.
    type: dict
    suboptions: &probe_suboptions
      exec:
        description:
          - Runs a command inside the container; exit status 0 is a success.
        type: dict
        suboptions:
          command:
            description:
              - The command and its arguments.
            type: list
            elements: str
            required: true
      httpGet:
        description:
          - Sends an HTTP GET request; a status from 200 to 399 is a success.
        type: dict
        aliases:
          - http_get
        suboptions:
          path:
            description:
              - Path to request, for example V(/health).
            type: str
          port:
            description:
              - Container port to connect to, from 1 to 65535.
            type: int
          host:
            description:
              - Host name to connect to; the instance's IP address when not set.
            type: str
          scheme:
            description:
              - Scheme of the request.
            type: str
            choices:
              - HTTP
              - HTTPS
          httpHeaders:
            description:
              - Extra headers to send with the request.
            type: list
            elements: dict
            aliases:
              - http_headers
            suboptions:
              name:
                description:
                  - Header name.
                type: str
                required: true
              value:
                description:
                  - Header value.
                type: str
                required: true
      tcpSocket:
        description:
          - Opens a TCP connection; a connection that opens is a success.
        type: dict
        aliases:
          - tcp_socket
        suboptions:
          host:
            description:
              - Host name to connect to; the instance's IP address when not set.
            type: str
          port:
            description:
              - Container port to connect to, from 1 to 65535.
            type: int
            required: true
      initialDelaySeconds:
        description:
          - Seconds to wait after the container starts before the first probe, 0 or more.
        type: int
        aliases:
          - initial_delay_seconds
      periodSeconds:
        description:
          - Seconds between two probes, 1 or more.
        type: int
        aliases:
          - period_seconds
      timeoutSeconds:
        description:
          - Seconds after which one probe times out, 1 or more.
        type: int
        aliases:
          - timeout_seconds
      successThreshold:
        description:
          - Consecutive successes after a failure for the probe to count as successful, 1 or more.
        type: int
        aliases:
          - success_threshold
      failureThreshold:
        description:
          - Consecutive failures for the probe to count as failed, 1 or more.
        type: int
        aliases:
          - failure_threshold
  readiness_probe:
    description:
      - Kubernetes readiness probe, which sends traffic to an instance only while it succeeds.
      - Takes the same keys as O(liveness_probe).
      - Compared and sent as a whole, see the description above.
      - Web processes only.
    type: dict
    suboptions: *probe_suboptions
notes:
  - A process found by O(process_key) costs one paginated list read and no extra read.
"""

EXAMPLES = r"""
- name: Configure a web process with probes and ingress (API camelCase keys)
  sevalla.cloud.sevalla_process:
    app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
    process_key: web
    display_name: Web
    entrypoint: npm start
    port: 8080
    is_ingress_enabled: true
    ingress_protocol: http
    liveness_probe:
      httpGet:
        path: /health
        port: 8080
        scheme: HTTP
        httpHeaders:
          - name: X-Probe
            value: liveness
      initialDelaySeconds: 10
      periodSeconds: 10
      failureThreshold: 3
    readiness_probe:
      tcpSocket:
        port: 8080
      periodSeconds: 5

- name: The same web probes written in snake_case
  sevalla.cloud.sevalla_process:
    app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
    process_key: web
    liveness_probe:
      http_get:
        path: /health
        port: 8080
        scheme: HTTP
        http_headers:
          - name: X-Probe
            value: liveness
      initial_delay_seconds: 10
      period_seconds: 10
      failure_threshold: 3

- name: Let a worker scale between 2 and 10 instances on CPU use
  sevalla.cloud.sevalla_process:
    app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
    process_key: worker
    resource_type: s2
    scaling_strategy:
      type: horizontal
      config:
        min_instance_count: 2
        max_instance_count: 10
        target_cpu_percent: 70
        scale_up_increment: 2

- name: Run a worker on exactly three instances
  sevalla.cloud.sevalla_process:
    app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
    process_id: 0b4d4c4e-1f2a-4c3b-9d8e-7f6a5b4c3d2e
    scaling_strategy:
      type: manual
      config:
        instanceCount: 3

- name: Run a cron process every six hours, New York time
  sevalla.cloud.sevalla_process:
    app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
    process_key: clock
    schedule: 0 */6 * * *
    time_zone: America/New_York

- name: Run the migration job before each deployment
  sevalla.cloud.sevalla_process:
    app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
    process_key: migrate
    job_start_policy: beforeDeployment
    entrypoint: npm run migrate

- name: Set the API key and the application once for several processes
  module_defaults:
    group/sevalla.cloud.all:
      api_key: "{{ sevalla_api_key }}"
      app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
  block:
    - name: Preview a resource type change, with a diff
      sevalla.cloud.sevalla_process:
        process_key: worker
        resource_type: s1
      check_mode: true
      diff: true
      register: preview

    - name: Show what would change
      ansible.builtin.debug:
        var: preview.diff
"""

RETURN = r"""
process:
  description:
    - The process as the API returned it after the update, or as read when nothing changed.
    - In check mode, the process as it would be after the update.
  returned: success
  type: dict
  sample:
    id: 3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f
    app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
    key: web
    type: web
    display_name: Web
    entrypoint: npm start
    port: 8080
    is_ingress_enabled: true
    ingress_protocol: http
    scaling_strategy:
      type: manual
      config:
        instanceCount: 1
    resource_type_id: 5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f
    resource_type_name: s1
    cpu_limit: 500
    memory_limit: 512
    schedule: null
    time_zone: null
    job_start_policy: null
    liveness_probe:
      httpGet:
        path: /health
        port: 8080
        scheme: HTTP
    readiness_probe:
      httpGet:
        path: /ready
        port: 8080
        scheme: HTTP
    internal_hostname: my-app-web.my-app-abc123.svc.cluster.local
    created_at: "2025-01-30T00:00:00.000Z"
    updated_at: "2025-01-30T00:00:00.000Z"
diff:
  description:
    - The fields you set, in the API's names, before and after the update.
    - With O(resource_type), also C(resource_type_name) and C(resource_type_id).
  returned: in diff mode
  type: dict
  contains:
    before:
      description: The current values.
      type: dict
      returned: in diff mode
    after:
      description: The values after the update.
      type: dict
      returned: in diff mode
  sample:
    before:
      port: 8080
    after:
      port: 3000
"""

import re

from ansible_collections.sevalla.cloud.plugins.module_utils.process import (
    check_process_selector,
    checked_process,
    find_process,
    process_path,
    process_selector_spec,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.sevalla import (
    SevallaAPIError,
    SevallaError,
    SevallaModule,
    check_length,
    check_range,
    check_uuid,
)

RESOURCE_TYPES_PATH = "/resources/process-resource-types"
MAX_SAFE_INTEGER = 9007199254740991
MAX_VALID_NAMES_LISTED = 30

SCALAR_FIELDS = ("display_name", "entrypoint", "resource_type_id", "port", "is_ingress_enabled",
                 "ingress_protocol", "schedule", "time_zone", "job_start_policy")
NESTED_FIELDS = ("scaling_strategy", "liveness_probe", "readiness_probe")

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

PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket"]
PROBE_TIMING_MINIMUMS = (
    ("initialDelaySeconds", 0),
    ("periodSeconds", 1),
    ("timeoutSeconds", 1),
    ("successThreshold", 1),
    ("failureThreshold", 1),
)


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


def module_spec():
    spec, options = process_selector_spec(required=True)
    spec.update(
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
        scaling_strategy=dict(type="dict", options=dict(
            type=dict(type="str", required=True, choices=["manual", "horizontal"]),
            config=dict(type="dict", required=True, options=scaling_config_options()),
        )),
        liveness_probe=probe_spec(),
        readiness_probe=probe_spec(),
    )
    options["mutually_exclusive"] = options["mutually_exclusive"] + [("resource_type", "resource_type_id")]
    return spec, options


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


def desired_fields(params, spec):
    """The fields the user set, in API names, ready to compare and to send."""
    desired = dict((name, params[name]) for name in SCALAR_FIELDS if params[name] is not None)
    for name in NESTED_FIELDS:
        if params[name] is not None:
            desired[name] = canonical(params[name], spec[name]["options"])
    return desired


# ---------------------------------------------------------------------------
# Input checks, before any request.

def check_scalar_fields(params):
    check_process_selector(params)
    check_length("display_name", params["display_name"], 1, 255)
    check_length("entrypoint", params["entrypoint"], 0, 1024)
    check_length("schedule", params["schedule"], 0, 100)
    check_length("time_zone", params["time_zone"], 0, 100)
    check_range("port", params["port"], 1, 65535)
    if params["resource_type_id"] is not None:
        check_uuid("resource_type_id", params["resource_type_id"])
    if params["resource_type"] == "":
        raise SevallaError("resource_type must be a resource type name such as s1, got an empty string")


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


def check_process_type(process, desired):
    """Fail on fields that do not apply to the process's type."""
    kind = process.get("type")
    misplaced = ["%s (%s only)" % (name, FIELD_PROCESS_TYPE[name]) for name in sorted(desired)
                 if name in FIELD_PROCESS_TYPE and FIELD_PROCESS_TYPE[name] != kind]
    if misplaced:
        raise SevallaError("Process %r is a %s process; these options do not apply to it: %s"
                           % (process["key"], kind or "untyped", ", ".join(misplaced)))


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
    names = [item["name"] for item in types]
    listed = ", ".join(names[:MAX_VALID_NAMES_LISTED]) or "none"
    raise SevallaError("resource_type %r is not a process resource type. Valid names: %s" % (name, listed))


# ---------------------------------------------------------------------------
# The update.

def managed_fields(params, desired):
    names = list(desired)
    if params["resource_type"] is not None:
        names += ["resource_type_name", "resource_type_id"]
    return names


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


def update_process(module):
    params = module.params
    client = module.client
    process = find_process(client, params["app_id"], params["process_id"], params["process_key"])
    desired = desired_fields(params, module.argument_spec)
    check_process_type(process, desired)
    changes, predicted = plan_update(client, params, process, desired)

    result = dict(changed=bool(changes), process=process)
    if changes:
        result["process"] = predicted if module.check_mode else send_update(client, params["app_id"], process, changes)
    if module._diff:
        names = managed_fields(params, desired)
        result["diff"] = dict(before=dict((name, without_none(process.get(name))) for name in names),
                              after=dict((name, without_none(predicted.get(name))) for name in names))
    return result


def send_update(client, app_id, process, changes):
    path = process_path(app_id, process["id"])
    return checked_process(client.patch(path, changes), "PATCH", path)


def main():
    spec, options = module_spec()
    module = SevallaModule(spec, supports_check_mode=True, **options)
    module.run_checks(check_scalar_fields, check_scaling_strategy, check_probes)
    module.run(update_process)


if __name__ == "__main__":
    main()
