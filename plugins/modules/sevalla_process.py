#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_process
short_description: Create, configure and delete a Sevalla application process
version_added: 0.1.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Creates, updates or deletes one process of a Sevalla application, idempotently.
  - "B(Finding the process.) O(process_id) or O(process_key) names it. With O(state=present), when no
    process has the key but exactly one has the O(display_name) and O(type) you give, that one is managed,
    with a warning that gives its real key: the server derives a new process's key from its display name, and
    this keeps a re-run from creating it twice. O(state=absent) only ever deletes the process that
    O(process_id) or the exact O(process_key) names."
  - "B(Updating.) The fields you set are compared with the process, and the ones that differ are sent in one
    C(PATCH); nothing is sent when none differs. An option left out, or V(null), leaves its field alone.
    O(scaling_strategy), O(liveness_probe) and O(readiness_probe) are compared and sent as a whole, without
    their unset keys: to remove a key from a probe, leave it out."
  - "B(Creating.) When no process matches, one C(POST) creates it. A create needs O(type), O(display_name),
    O(resource_type) or O(resource_type_id), O(scaling_strategy), and also O(schedule) for a cron process
    or O(job_start_policy) for a job process; the missing ones are named before anything changes. The API
    takes O(is_ingress_enabled) and O(ingress_protocol) only in an update, so one C(PATCH) follows the create
    when they differ. A O(process_id) that does not exist fails."
  - "B(Deleting.) O(state=absent) sends one C(DELETE), and nothing when the process does not exist, with a
    warning that names the keys that do. The web process cannot be deleted. The API removes the process at
    the next deployment."
  - The type of a process cannot change, and an application has at most one web process.
  - Every option is checked before the first request. The create is sent at most once, see O(api_retries).
  - Changes take effect at the next deployment of the application, see M(sevalla.cloud.sevalla_deployment).
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.application
  - sevalla.cloud.api.process
attributes:
  check_mode:
    description:
      - Sends no create, update or delete, and reports the change and the predicted process.
      - A predicted new process has no C(id), and its C(key) is O(process_key).
    support: full
  diff_mode:
    description:
      - Returns the fields you set, before and after, in the API's names.
      - For a create, C(before) is V({}); for a delete, C(after) is V({}) and C(before) holds the process's fields.
    support: full
options:
  state:
    description:
      - V(present) creates the process when it does not exist and updates the fields you set.
      - V(absent) deletes the process when it exists.
    type: str
    default: present
    choices:
      - present
      - absent
    version_added: 0.2.0
  type:
    description:
      - Type of the process. V(web) serves HTTP traffic, V(worker) runs in the background, V(cron) runs on a
        schedule and V(job) runs once around deployments.
      - Required to create a process. Set at creation only; a different type for an existing process fails.
      - With O(display_name), also finds a process whose key differs from O(process_key), see the description.
    type: str
    version_added: 0.2.0
    choices:
      - web
      - worker
      - cron
      - job
  display_name:
    description:
      - Human-readable name of the process shown in the Sevalla dashboard, 1 to 255 characters.
      - Required to create a process. The server derives the key of a new process from it.
    type: str
  entrypoint:
    description:
      - Command that starts the process, at most 1024 characters.
    type: str
  resource_type_id:
    description:
      - ID (a UUID) of the process resource type, the machine size that sets the CPU and memory limits.
      - A create needs this or O(resource_type).
      - Mutually exclusive with O(resource_type).
    type: str
  resource_type:
    description:
      - Name of the process resource type, for example V(s1), resolved to its ID through
        C(GET /resources/process-resource-types).
      - The list is read only when the name differs from the process's current C(resource_type_name), and
        for a create. An unknown name fails and lists the valid names.
      - Mutually exclusive with O(resource_type_id).
    type: str
  port:
    description:
      - Port the process listens on for incoming connections, from 1 to 65535.
    type: int
  is_ingress_enabled:
    description:
      - Whether external traffic is routed to the process.
      - Web processes only. Set with a PATCH after a create, when it differs from what the create returned.
    type: bool
  ingress_protocol:
    description:
      - Protocol of the ingress traffic, V(http) for HTTP and HTTPS or V(grpc) for gRPC.
      - Web processes only. Set with a PATCH after a create, when it differs from what the create returned.
    type: str
    choices:
      - http
      - grpc
  schedule:
    description:
      - Cron expression that sets when the process runs, for example V(0 */6 * * *), at most 100 characters.
      - Five fields separated by blanks, as in the API reference - minute (0-59), hour (0-23), day of the
        month (1-31), month (1-12 or V(JAN)-V(DEC)) and day of the week (0-7, 0 and 7 are Sunday, or
        V(SUN)-V(SAT)). Each field is C(*), a value, a range such as V(1-5), either with a step such as
        V(*/15) or V(0-30/5), or a comma-separated list of these such as V(0,30). Names are
        case-insensitive.
      - Checked before any request; a value out of its field's range fails naming the field. Macros such as
        C(@daily) and a sixth field for seconds are not in the API reference and are refused.
      - Cron processes only; required to create one.
    type: str
  time_zone:
    description:
      - IANA time zone of O(schedule), for example V(America/New_York), at most 100 characters.
      - Checked against the IANA zone database of the Python that runs the module (C(zoneinfo), Python 3.9
        and later, with the system's zone files or the C(tzdata) package); not checked when that Python has
        no zone database. An empty string is sent as it is.
      - Cron processes only.
    type: str
  job_start_policy:
    description:
      - When the job runs relative to a deployment.
      - V(beforeDeployment) runs it before the deployment starts, V(afterSuccessDeployment) after a
        successful deployment, V(afterFailedDeployment) after a failed one.
      - Job processes only; required to create one.
    type: str
    choices:
      - beforeDeployment
      - afterSuccessDeployment
      - afterFailedDeployment
  scaling_strategy:
    description:
      - How many instances of the process run.
      - Required to create a process.
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
  - 'Requests: a task that changes nothing costs 1 GET by O(process_id), or 1 GET per 100 processes by
    O(process_key); O(app_name) adds 1 GET per 100 applications. A create adds one POST (and a read of the
    resource types when O(resource_type) is a name), an update one PATCH, a delete one DELETE.'
  - Creating services is limited to 20 per hour per company; past it, the API answers C(429 Too Many Requests).
seealso:
  - module: sevalla.cloud.sevalla_process_info
  - module: sevalla.cloud.sevalla_application_info
"""

EXAMPLES = r"""
- name: Create a worker process, or keep it as it is, in the application named my-app
  sevalla.cloud.sevalla_process:
    app_name: my-app
    process_key: queue-worker
    type: worker
    display_name: Queue Worker
    entrypoint: node worker.js
    resource_type: s1
    scaling_strategy:
      type: manual
      config:
        instanceCount: 2
  register: worker

- name: Use the key the server gave the new process, which may differ from process_key
  ansible.builtin.debug:
    msg: "{{ worker.process.key }} runs {{ worker.process.entrypoint }}"

- name: Create a cron process that runs every night at two, Paris time
  sevalla.cloud.sevalla_process:
    app_name: my-app
    process_key: nightly-report
    type: cron
    display_name: Nightly Report
    entrypoint: node report.js
    schedule: 0 2 * * *
    time_zone: Europe/Paris
    resource_type: s1
    scaling_strategy:
      type: manual
      config:
        instanceCount: 1

- name: Delete the cron process; it is fully removed after the next deployment
  sevalla.cloud.sevalla_process:
    app_name: my-app
    process_key: nightly-report
    state: absent

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
    - The process as the API returned it after the create or the update, or as read when nothing changed.
    - In check mode, the process as it would be; a process that would be created has no C(id).
    - With O(state=absent), the process as it was before the delete.
  returned: success, except with O(state=absent) when the process does not exist
  type: dict
  contains:
    id:
      description: ID of the process.
      type: str
      sample: 3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f
    app_id:
      description: ID of its application.
      type: str
      sample: fb5e5168-4281-4bec-94c5-0d1584e9e657
    key:
      description: Key of the process, unique in the application.
      type: str
      sample: web
    type:
      description: V(web), V(worker), V(cron) or V(job).
      type: str
      sample: web
    display_name:
      description: Name shown in the dashboard.
      type: str
      sample: Web
    entrypoint:
      description: Command that starts the process.
      type: str
      sample: npm start
    port:
      description: Port the process listens on, or V(null).
      type: int
      sample: 8080
    is_ingress_enabled:
      description: Whether external traffic reaches the process.
      type: bool
      sample: true
    ingress_protocol:
      description: V(http), V(grpc), or V(null) for a process without ingress.
      type: str
      sample: http
    scaling_strategy:
      description: The scaling type and its C(config), in the API's camelCase names.
      type: dict
      sample: {type: manual, config: {instanceCount: 1}}
    resource_type_id:
      description: ID of the resource type, the machine size.
      type: str
      sample: 5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f
    resource_type_name:
      description: Name of the resource type.
      type: str
      sample: s1
    cpu_limit:
      description: CPU limit of the resource type, in millicores.
      type: int
      sample: 500
    memory_limit:
      description: Memory limit of the resource type, in MiB.
      type: int
      sample: 512
    schedule:
      description: Cron expression of a cron process, else V(null).
      type: str
      sample: 0 2 * * *
    time_zone:
      description: Time zone of the schedule, else V(null).
      type: str
      sample: Europe/Paris
    job_start_policy:
      description: When a job process runs, else V(null).
      type: str
      sample: beforeDeployment
    liveness_probe:
      description: Liveness probe of a web process, in the API's camelCase names, or V(null).
      type: dict
      sample: {httpGet: {path: /health, port: 8080}, periodSeconds: 10}
    readiness_probe:
      description: Readiness probe of a web process, in the API's camelCase names, or V(null).
      type: dict
      sample: {tcpSocket: {port: 8080}}
    internal_hostname:
      description: Host name of the process inside the application's network.
      type: str
      sample: my-app-web.my-app-abc123.svc.cluster.local
    created_at:
      description: When the process was created.
      type: str
      sample: "2025-01-30T00:00:00.000Z"
    updated_at:
      description: When the process was last changed.
      type: str
      sample: "2025-01-30T00:00:00.000Z"
msg:
  description:
    - With O(state=absent), the API's answer to the delete, for example C(Process is being deleted), or why
      nothing was deleted.
  returned: with O(state=absent)
  type: str
  sample: Process is being deleted
diff:
  description:
    - The fields you set, in the API's names, before and after the create or the update.
    - With O(resource_type), also C(resource_type_name) and C(resource_type_id).
    - For a create, C(before) is V({}). For a delete, C(before) holds the process's key and fields and
      C(after) is V({}).
  returned: in diff mode
  type: dict
  contains:
    before:
      description: The current values, V({}) for a create.
      type: dict
      returned: in diff mode
    after:
      description: The values after the create or the update, V({}) for a delete.
      type: dict
      returned: in diff mode
  sample:
    before:
      port: 8080
    after:
      port: 3000
api_error:
  description: What the API said about a failed request.
  returned: when an API request failed
  type: dict
  contains:
    method:
      description: HTTP method of the request.
      type: str
      sample: PATCH
    path:
      description: Path of the request, after the API URL.
      type: str
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/processes/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f
    status:
      description: HTTP status, or V(null) when no answer arrived.
      type: int
      sample: 400
    reason:
      description: HTTP reason phrase.
      type: str
      sample: Bad Request
    message:
      description: The API's message, or what went wrong in transport.
      type: str
      sample: Validation failed
    code:
      description: The API's error code, when it gave one.
      type: str
    request_id:
      description: The API's request ID, to quote to Sevalla support.
      type: str
    detail:
      description: The API's detailed message, when it gave one.
      type: str
api_waits:
  description:
    - Every wait before a request was sent again, in order (see O(api_retries)). Each request sent more than
      once also gave a warning.
  returned: when a request was sent again
  type: list
  elements: dict
  contains:
    method:
      description: HTTP method of the request.
      type: str
      sample: GET
    path:
      description: Path of the request, after the API URL.
      type: str
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/processes
    reason:
      description:
        - What was waited for, C(rate limit (429)), C(server error (503)) (with the status), C(timeout),
          C(dropped connection) or C(refused connection).
      type: str
      sample: rate limit (429)
    seconds:
      description: How long the wait was.
      type: float
      sample: 12.0
    attempt:
      description: The attempt it followed, 1 for the first.
      type: int
      sample: 1
"""

from ansible_collections.sevalla.cloud.plugins.module_utils.application import resolve_app
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule, listed_names
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaError
from ansible_collections.sevalla.cloud.plugins.module_utils.process import (
    check_process_selector,
    create_process,
    delete_process,
    get_process,
    list_processes,
    process_selector_spec,
    update_process,
    with_display_name,
    with_key,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.process_fields import (
    FIELD_OPTIONS,
    check_fields,
    check_same_type,
    check_type_rules,
    described,
    desired_fields,
    field_spec,
    field_values,
    managed_names,
    plan_create,
    plan_update,
)


def module_spec():
    spec, options = process_selector_spec(required=True)
    spec.update(field_spec())
    spec.update(state=dict(type="str", default="present", choices=["present", "absent"]))
    options["mutually_exclusive"] = options["mutually_exclusive"] + FIELD_OPTIONS["mutually_exclusive"]
    return spec, options


def check_options(params):
    check_process_selector(params)
    check_fields(params)


def present(module, app):
    p = module.params
    if p["process_id"]:
        process, processes = get_process(module.client, app, p["process_id"]), None
    else:
        processes = list_processes(module.client, app)
        process = with_key(processes, p["process_key"])
        if process is None and p["display_name"] is not None and p["type"] is not None:
            process = with_display_name(processes, p["display_name"], p["type"])
            if process is not None:
                module.warn("Application %s has no process with the key %r; managing process %r instead, the one %s "
                            "process with the display name %r. Set process_key: %s in the playbook."
                            % (app, p["process_key"], process["key"], p["type"], p["display_name"], process["key"]))
    desired = desired_fields(p)
    if process is None:
        return create(module, app, processes, desired)
    check_same_type(process, desired)
    check_type_rules(process.get("type"), desired,
                     "Process %r is a %s process and" % (process["key"], process.get("type") or "untyped"))
    changes, predicted = plan_update(module.client, p, process, desired)
    result = dict(changed=bool(changes), process=process)
    if changes:
        result["process"] = predicted if module.check_mode else update_process(module.client, app, process, changes)
    if module._diff:
        names = managed_names(p, desired)
        result["diff"] = dict(before=field_values(process, names), after=field_values(predicted, names))
    return result


def create(module, app, processes, desired):
    p, result = module.params, module.result
    body, later, predicted = plan_create(module.client, p, app, processes, desired)
    result.update(changed=True, process=predicted)
    if not module.check_mode:
        result["process"] = created = create_process(module.client, app, body)
        if created["key"] != p["process_key"]:
            module.warn("The server gave the new process the key %r, not %r: set process_key: %s in the playbook."
                        % (created["key"], p["process_key"], created["key"]))
        ingress = dict((name, value) for name, value in later.items() if value != created.get(name))
        if ingress:
            try:
                result["process"] = update_process(module.client, app, created, ingress)
            except SevallaError as error:
                raise error.explain("Process %r was created (id %s), but setting %s failed"
                                    % (created["key"], created["id"], ", ".join(sorted(ingress))))
    if module._diff:
        result["diff"] = dict(before={}, after=field_values(result["process"], managed_names(p, desired)))
    return result


def absent(module, app):
    """Deletes only the process that process_id or the exact process_key names: never one matched otherwise."""
    p = module.params
    if p["process_id"]:
        process = get_process(module.client, app, p["process_id"], missing_ok=True)
    else:
        processes = list_processes(module.client, app)
        process = with_key(processes, p["process_key"])
        if process is None:
            module.warn(nothing_to_delete(app, p, processes))
    if process is None:
        selector = "the key %r" % p["process_key"] if p["process_key"] else "the ID %s" % p["process_id"]
        result = dict(changed=False, msg="Application %s has no process with %s: nothing to delete" % (app, selector))
    else:
        if process.get("type") == "web":
            raise SevallaError("Process %r (id %s) is the web process of application %s, and the API does not delete "
                               "web processes: an application keeps its web process. Only worker, cron and job "
                               "processes can be deleted." % (process["key"], process["id"], app))
        if p["type"] is not None and p["type"] != process.get("type"):
            raise SevallaError("Process %r is a %s process, not a %s process (type): nothing was deleted"
                               % (process["key"], process.get("type"), p["type"]))
        result = dict(changed=True, process=process, msg="Process %r would be deleted" % process["key"])
        if not module.check_mode:
            result["msg"] = delete_process(module.client, app, process)
    if module._diff:
        result["diff"] = dict(before=described(process) if process else {}, after={})
    return result


def nothing_to_delete(app, p, processes):
    """The warning when no process has the key: the key of a process that the task may have meant."""
    text = "Application %s has no process with the key %r, so nothing was deleted." % (app, p["process_key"])
    namesake = with_display_name(processes, p["display_name"], p["type"]) if p["display_name"] and p["type"] else None
    if namesake is not None:
        return "%s The %s process %r has the key %r: set process_key: %s to delete it." % (
            text, p["type"], p["display_name"], namesake["key"], namesake["key"])
    return "%s Existing keys: %s" % (text, listed_names([process["key"] for process in processes]) or "none")


def ensure(module):
    app = resolve_app(module.client, module.params)
    return (absent if module.params["state"] == "absent" else present)(module, app)


def main():
    spec, options = module_spec()
    module = SevallaModule(spec, supports_check_mode=True, **options)
    module.run_checks(check_options)
    module.run(ensure)


if __name__ == "__main__":
    main()
