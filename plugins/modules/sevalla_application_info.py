#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_application_info
short_description: Read Sevalla applications
version_added: 0.2.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Returns Sevalla applications as the API describes them.
  - With neither O(app_id) nor O(app_name), reads every application the API key can see with
    C(GET /applications), every page of it, 100 applications a page, newest first. The items of that list
    hold the summary fields only (C(id), C(name), C(display_name), C(status), C(type), C(source),
    C(is_suspended), C(created_at), C(updated_at)).
  - With O(app_id), reads that application with one C(GET /applications/{id}), which returns the full object.
  - With O(app_name), finds the application in the list, then reads the full object by its ID.
  - Only reads, so it never reports a change.
extends_documentation_fragment:
  - sevalla.cloud.api
attributes:
  check_mode:
    description: Runs normally in check mode, since it only reads.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
options:
  app_id:
    description:
      - ID of one application to return, a UUID. An application that does not exist fails.
      - Mutually exclusive with O(app_name). Without both, every application is returned.
    type: str
    aliases:
      - application_id
  app_name:
    description:
      - Name of one application to return.
      - Matches the application's unique C(name) first, then its C(display_name) when exactly one
        application has that display name. No match, or a display name that several applications share,
        fails and lists up to 30 names.
      - Mutually exclusive with O(app_id). Without both, every application is returned.
    type: str
notes:
  - 'Requests per task: O(app_id) costs one request; O(app_name) one request per 100 applications plus one;
    neither, one request per 100 applications.'
seealso:
  - module: sevalla.cloud.sevalla_process_info
  - module: sevalla.cloud.sevalla_process
"""

EXAMPLES = r"""
- name: Read every application the API key can see
  sevalla.cloud.sevalla_application_info:
  register: all_apps

- name: Show each application's name and status
  ansible.builtin.debug:
    msg: "{{ item.name }} ({{ item.display_name }}) is {{ item.status }}"
  loop: "{{ all_apps.applications }}"
  loop_control:
    label: "{{ item.name }}"

- name: Read one application by its name, with its build settings
  sevalla.cloud.sevalla_application_info:
    app_name: my-app
  register: my_app

- name: Use its ID in later tasks
  ansible.builtin.set_fact:
    app_id: "{{ my_app.applications[0].id }}"
"""

RETURN = r"""
applications:
  description:
    - The applications, as the API returns them.
    - Without O(app_id) and O(app_name), the list items of C(GET /applications), newest first.
    - With O(app_id) or O(app_name), a list of that one application, the full object of C(GET /applications/{id}),
      which also holds its build and deployment settings, as the sample shows.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the application.
      type: str
      sample: fb5e5168-4281-4bec-94c5-0d1584e9e657
    name:
      description: Unique name of the application, which O(app_name) matches first.
      type: str
      sample: my-app
    display_name:
      description: Name shown in the dashboard, which O(app_name) matches when one application alone has it.
      type: str
      sample: My Application
    status:
      description: Status of the application, for example V(deploymentSuccess).
      type: str
      sample: deploymentSuccess
    type:
      description: Kind of service, for example V(app).
      type: str
      sample: app
    source:
      description: Where the code comes from, for example V(privateGit), V(publicGit) or V(dockerImage).
      type: str
      sample: privateGit
    is_suspended:
      description: Whether the application is suspended.
      type: bool
      sample: false
    created_at:
      description: When the application was created.
      type: str
      sample: "2025-01-30T00:00:00.000Z"
    updated_at:
      description: When the application was last changed.
      type: str
      sample: "2025-01-30T00:00:00.000Z"
  sample:
    - id: fb5e5168-4281-4bec-94c5-0d1584e9e657
      company_id: 54fb80af-576c-4fdc-ba4f-b596c83f15a1
      project_id: null
      name: my-app
      namespace: my-app-abc123
      display_name: My Application
      source: privateGit
      type: app
      status: deploymentSuccess
      build_cache_enabled: true
      hibernation_enabled: false
      hibernate_after_seconds: null
      auto_deploy: true
      is_suspended: false
      git_type: github
      repo_url: https://github.com/user/repo
      default_branch: main
      docker_image: null
      build_type: nixpacks
      build_path: "."
      pack_builder: null
      nixpacks_version: null
      dockerfile_path: null
      docker_context: null
      allow_deploy_paths: []
      ignore_deploy_paths: []
      buildpacks: []
      cluster_id: 7e3c2a10-5b4d-4c6e-8f9a-0b1c2d3e4f50
      docker_registry_credential_id: null
      created_by: 0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b
      created_at: "2025-01-30T00:00:00.000Z"
      updated_at: "2025-01-30T00:00:00.000Z"
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
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657
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

from ansible_collections.sevalla.cloud.plugins.module_utils.application import (
    application_selector_spec,
    check_application_selector,
    get_application,
    list_applications,
    resolve_app,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule


def read_applications(module):
    if module.params["app_id"] or module.params["app_name"]:
        return dict(applications=[get_application(module.client, resolve_app(module.client, module.params))])
    return dict(applications=list_applications(module.client))


def main():
    spec, options = application_selector_spec(required=False)
    module = SevallaModule(spec, supports_check_mode=True, **options)
    module.run_checks(check_application_selector)
    module.run(read_applications)


if __name__ == "__main__":
    main()
