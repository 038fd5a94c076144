#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_env_var_info
short_description: Read the environment variables of a Sevalla application, or the global ones
version_added: 0.2.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Returns the environment variables of one Sevalla application (O(app_id) or O(app_name)), or the company-wide
    variables (O(global=true)), B(without their values) unless O(show_values=true).
  - Reads every page, 100 variables a page (C(GET /applications/{id}/env-vars) or
    C(GET /applications/global-env-vars)); O(app_name) adds one C(GET) per 100 applications.
  - Only reads, so it never reports a change.
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.env_var_scope
attributes:
  check_mode:
    description: Runs normally in check mode, since it only reads.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
options:
  keys:
    description:
      - Return only the variables with these keys (compared case-sensitively), filtered after reading. A key that
        no variable has is left out of RV(env_vars), without an error.
      - When not set, every variable of the scope is returned.
    type: list
    elements: str
  show_values:
    description:
      - Also return each variable's C(value), decrypted, as the API gives it.
      - >-
        B(The values then appear in the task's output) (at C(-v) and above, and with callbacks that print results)
        and in the registered variable. Set C(no_log: true) on the task to keep them out of the output.
      - On ansible-core 2.22 and later, a value that an earlier task of the run registered as a secret (for example
        one that M(sevalla.cloud.sevalla_env_var) set) is still masked wherever Ansible prints it; the registered
        variable holds it.
    type: bool
    default: false
seealso:
  - module: sevalla.cloud.sevalla_env_var
"""

EXAMPLES = r"""
- name: List the variables of the application named my-app, without their values
  sevalla.cloud.sevalla_env_var_info:
    app_name: my-app
  register: env

- name: Show their keys and where each is used
  ansible.builtin.debug:
    msg: "{{ item.key }}: runtime={{ item.is_runtime }}, build time={{ item.is_buildtime }}"
  loop: "{{ env.env_vars }}"
  loop_control:
    label: "{{ item.key }}"

- name: Check that the application has a DATABASE_URL
  sevalla.cloud.sevalla_env_var_info:
    app_name: my-app
    keys: [DATABASE_URL]
  register: database_url
  failed_when: database_url.env_vars | length == 0

- name: Read one value on purpose, keeping it out of the output
  sevalla.cloud.sevalla_env_var_info:
    app_name: my-app
    keys: [NODE_ENV]
    show_values: true
  register: node_env
  no_log: true

- name: Read the company-wide variables
  sevalla.cloud.sevalla_env_var_info:
    global: true
  register: global_env
"""

RETURN = r"""
env_vars:
  description:
    - The variables, in the API's order (creation time); with O(keys), only those.
    - Without C(value) unless O(show_values=true).
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the variable.
      type: str
      sample: 8b0e3f4c-2a1d-4e5f-9a8b-7c6d5e4f3a2b
    app_id:
      description: ID of its application. Global variables have none.
      type: str
      sample: fb5e5168-4281-4bec-94c5-0d1584e9e657
    key:
      description: Name of the variable.
      type: str
      sample: DATABASE_URL
    value:
      description: The value, decrypted. Only with O(show_values=true).
      type: str
      returned: when O(show_values=true)
      sample: postgres://app:secret@db.internal:5432/app
    is_runtime:
      description: Whether the running application sees it.
      type: bool
      sample: true
    is_buildtime:
      description: Whether the build sees it.
      type: bool
      sample: false
    created_at:
      description: When it was created, ISO 8601.
      type: str
      sample: "2026-03-09T10:15:02.000Z"
    updated_at:
      description: When it last changed, ISO 8601.
      type: str
      sample: "2026-03-09T10:15:02.000Z"
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
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/env-vars
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
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/env-vars
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

from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule
from ansible_collections.sevalla.cloud.plugins.module_utils.env_var import (
    check_scope,
    list_env_vars,
    resolve_scope,
    scope_spec,
    without_value,
)


def read_env_vars(module):
    p = module.params
    variables = list_env_vars(module.client, resolve_scope(module.client, p))
    if p["keys"] is not None:
        keys = set(p["keys"])
        variables = [variable for variable in variables if variable["key"] in keys]
    return dict(env_vars=variables if p["show_values"] else [without_value(variable) for variable in variables])


def main():
    spec, options = scope_spec()
    spec.update(
        keys=dict(type="list", elements="str", no_log=False),
        show_values=dict(type="bool", default=False),
    )
    module = SevallaModule(spec, supports_check_mode=True, **options)
    module.run_checks(check_scope)
    module.run(read_env_vars)


if __name__ == "__main__":
    main()
