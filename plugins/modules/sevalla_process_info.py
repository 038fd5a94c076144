#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_process_info
short_description: Read the processes of a Sevalla application
version_added: 0.1.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Returns the processes of a Sevalla application as the API describes them.
  - With O(process_id), reads that process with one C(GET /applications/{id}/processes/{process_id}).
  - With O(process_key), or with neither, reads the application's process list with
    C(GET /applications/{id}/processes), every page of it, 100 processes a page.
  - With O(app_name), the application list is read first, one request per 100 applications.
  - Only reads, so it never reports a change.
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.application
  - sevalla.cloud.api.process
attributes:
  check_mode:
    description: Runs normally in check mode, since it only reads.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
options:
  process_id:
    description:
      - ID of one process to return, a UUID.
      - Mutually exclusive with O(process_key). Without both, every process of the application is returned.
    type: str
  process_key:
    description:
      - Key of one process to return, as in the Procfile, for example V(web).
      - An unknown key fails and lists the keys that exist.
      - Mutually exclusive with O(process_id). Without both, every process of the application is returned.
    type: str
  type:
    description:
      - Return only processes of this type, filtered after reading.
      - V(web) serves HTTP traffic, V(worker) runs in the background, V(cron) runs on a schedule and V(job)
        runs once around deployments.
      - With O(process_id) or O(process_key), a process of another type gives an empty RV(processes).
    type: str
    choices:
      - web
      - worker
      - cron
      - job
seealso:
  - module: sevalla.cloud.sevalla_process
  - module: sevalla.cloud.sevalla_process_exec
  - module: sevalla.cloud.sevalla_application_info
"""

EXAMPLES = r"""
- name: Read every process of the application
  sevalla.cloud.sevalla_process_info:
    app_id: "{{ app_id }}"
  register: app_processes

- name: Show each process key and type
  ansible.builtin.debug:
    msg: "{{ item.key }} is a {{ item.type }} process"
  loop: "{{ app_processes.processes }}"
  loop_control:
    label: "{{ item.key }}"

- name: Read the web process
  sevalla.cloud.sevalla_process_info:
    app_id: "{{ app_id }}"
    process_key: web
  register: web

- name: Run a command in it by ID
  sevalla.cloud.sevalla_process_exec:
    app_id: "{{ app_id }}"
    process_id: "{{ web.processes[0].id }}"
    cmd: ls /app

- name: Read the worker processes only
  sevalla.cloud.sevalla_process_info:
    app_id: "{{ app_id }}"
    type: worker
  register: workers

- name: Read the processes of the application named my-app, without its ID
  sevalla.cloud.sevalla_process_info:
    app_name: my-app
  register: my_app_processes

- name: Set the connection and the application once, for every module of the collection
  module_defaults:
    group/sevalla.cloud.all:
      api_key: "{{ lookup('ansible.builtin.env', 'SEVALLA_API_KEY') }}"
      app_id: "{{ app_id }}"
  block:
    - name: Read the cron processes
      sevalla.cloud.sevalla_process_info:
        type: cron
      register: crons

    - name: List the files of the web process
      sevalla.cloud.sevalla_process_exec:
        process_key: web
        cmd: ls /app
      changed_when: false
"""

RETURN = r"""
processes:
  description:
    - The processes, as the API returns them, in the API's order.
    - With O(process_id) or O(process_key), a list of that one process, or an empty list when O(type) does
      not match it.
    - Each process has every field that RV(sevalla.cloud.sevalla_process#module:process) of
      M(sevalla.cloud.sevalla_process) lists.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the process.
      type: str
      sample: 0c2d1a7e-5f6b-4c1d-9e8f-7a6b5c4d3e2f
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
      sample: Web Process
    schedule:
      description: Cron expression of a cron process, else V(null).
      type: str
      sample: null
  sample:
    - id: 0c2d1a7e-5f6b-4c1d-9e8f-7a6b5c4d3e2f
      app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
      key: web
      type: web
      display_name: Web Process
      entrypoint: npm start
      port: 8080
      is_ingress_enabled: true
      ingress_protocol: http
      scaling_strategy:
        type: manual
        config:
          instanceCount: 1
      resource_type_id: 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d
      resource_type_name: s1
      cpu_limit: 500
      memory_limit: 512
      schedule: null
      time_zone: null
      job_start_policy: null
      liveness_probe: null
      readiness_probe: null
      internal_hostname: my-app-web.my-app-abc123.svc.cluster.local
      created_at: "2026-03-01T09:00:00.000Z"
      updated_at: "2026-03-09T10:15:02.000Z"
api_error:
  description: What the API said about a failed request.
  returned: when an API request failed
  type: dict
  contains:
    method:
      description: HTTP method of the request.
      type: str
      sample: GET
    path:
      description: Path of the request, after the API URL.
      type: str
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/processes
    status:
      description: HTTP status, or V(null) when no answer arrived.
      type: int
      sample: 404
    reason:
      description: HTTP reason phrase.
      type: str
      sample: Not Found
    message:
      description: The API's message, or what went wrong in transport.
      type: str
      sample: Not Found
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
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule
from ansible_collections.sevalla.cloud.plugins.module_utils.process import (
    PROCESS_TYPES,
    check_process_selector,
    find_process,
    list_processes,
    process_selector_spec,
)


def read_processes(module):
    p = module.params
    app = resolve_app(module.client, p)
    if p["process_id"] or p["process_key"]:
        processes = [find_process(module.client, app, p["process_id"], p["process_key"])]
    else:
        processes = list_processes(module.client, app)
    return dict(processes=[process for process in processes if p["type"] in (None, process["type"])])


def main():
    spec, options = process_selector_spec(required=False)
    spec.update(type=dict(type="str", choices=list(PROCESS_TYPES)))
    module = SevallaModule(spec, supports_check_mode=True, **options)
    module.run_checks(check_process_selector)
    module.run(read_processes)


if __name__ == "__main__":
    main()
