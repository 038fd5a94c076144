#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_env_var
short_description: Set and delete the environment variables of a Sevalla application, or the global ones
version_added: 0.2.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Sets, updates and deletes environment variables of one Sevalla application (O(app_id) or O(app_name)), or
    the company-wide variables that every application inherits (O(global=true)), idempotently.
  - "B(Comparing.) The task reads every variable of the scope (C(GET), 100 a page, every page) and compares only
    what it sets: the value, exactly (the API returns values decrypted), and a flag only when the task gives it.
    A new variable without a flag takes the API's default, V(true)."
  - "B(Sending.) One C(POST) per new variable, one C(PUT) per changed variable carrying only its changed fields,
    one C(DELETE) per variable removed, and nothing when nothing differs (then C(changed=false))."
  - "B(Values are secrets.) No value appears in the result, in the diff, in a message or at C(-vvvv): the result
    and the diff name the keys and the flags, and the diff shows a placeholder for a value. O(variables[].value)
    is C(no_log), and the task also registers the current values of the variables it compares or deletes as
    secrets, so that Ansible masks them wherever they would show, an API error message included."
  - "B(Taking effect.) Every change takes effect at the application's next deployment. A restart
    (O(sevalla.cloud.sevalla_deployment#module:restart=true)) applies runtime variables; a build-time variable
    needs a new build. RV(redeploy) says which one the change needs."
  - Every option is checked before the first request, see the notes. A create is sent at most once, see
    O(api_retries).
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.env_var_scope
attributes:
  check_mode:
    description:
      - Reads the variables and sends nothing else. C(changed), RV(created), RV(updated), RV(deleted) and
        RV(redeploy) are what the task would report; RV(env_vars) is predicted, and a variable that would be created
        has no C(id) and no timestamps.
    support: full
  diff_mode:
    description:
      - Returns the listed variables, and the ones that would be deleted, by key, before and after, with their
        flags. A value shows as V(<hidden>), and a value that changes as V(<hidden, changed>) after the change.
        Never a value, nor a hash of one.
    support: full
options:
  variables:
    description:
      - The variables to set (O(state=present)) or to delete (O(state=absent)).
      - Each key may be listed once.
    type: list
    elements: dict
    required: true
    suboptions:
      key:
        description:
          - Name of the variable, 1 to 255 characters, without C(=), whitespace or a NUL character. Keys compare
            case-sensitively.
        type: str
        required: true
      value:
        description:
          - Value of the variable, at most 32768 characters. Required with O(state=present); ignored with
            O(state=absent).
          - It is C(no_log). Keep secret values in Ansible Vault. Quote values that YAML would read as another type
            (V("5432"), V("true")).
        type: str
      is_runtime:
        description:
          - Whether the variable is available to the running application.
          - When not set, an existing variable keeps its flag and a new one takes the API's default, V(true).
          - Ignored with O(state=absent).
        type: bool
      is_buildtime:
        description:
          - Whether the variable is available during the build.
          - When not set, an existing variable keeps its flag and a new one takes the API's default, V(true).
          - Ignored with O(state=absent).
        type: bool
  state:
    description:
      - V(present) creates the listed variables that do not exist and updates those that differ.
      - V(absent) deletes the listed variables that exist; only their keys are needed.
    type: str
    default: present
    choices:
      - present
      - absent
  purge:
    description:
      - With O(state=present), also delete every variable of the scope that is not listed, so that the listed
        variables are exactly the ones the scope has. With an empty O(variables), that deletes them all.
      - Cannot be combined with O(state=absent).
    type: bool
    default: false
notes:
  - "Input checks, each naming the item, before any request: an empty key, a key over 255 characters or holding C(=),
    whitespace or a NUL character; a key listed twice; a value over 32768 characters, or missing with
    O(state=present); O(global=true) with O(app_id) or O(app_name); O(purge=true) with O(state=absent)."
  - "Requests: one C(GET) per 100 variables of the scope, plus one request per variable that differs; O(app_name)
    adds one C(GET) per 100 applications. Mutations are limited to 10 per minute: a larger change waits for the
    limit to reset (see O(api_retries)) and goes on."
  - "A failure part-way leaves the requests that succeeded in place: RV(created), RV(updated) and RV(deleted) of the
    failure name them, and so does its message. A re-run reads the variables again and sends only what still differs."
  - A create is sent at most once; an update or a delete names the variable by its id, so it may be sent again. See
    O(api_retries).
seealso:
  - module: sevalla.cloud.sevalla_env_var_info
  - module: sevalla.cloud.sevalla_deployment
"""

EXAMPLES = r"""
- name: Set two variables of the application named my-app; the values come from Ansible Vault
  sevalla.cloud.sevalla_env_var:
    app_name: my-app
    variables:
      - key: DATABASE_URL
        value: "{{ vault_database_url }}"
        is_buildtime: false
      - key: NPM_TOKEN
        value: "{{ vault_npm_token }}"
        is_runtime: false
  register: env

- name: Make these three the only variables of the application
  sevalla.cloud.sevalla_env_var:
    app_name: my-app
    purge: true
    variables:
      - key: NODE_ENV
        value: production
      - key: DATABASE_URL
        value: "{{ vault_database_url }}"
        is_buildtime: false
      - key: NPM_TOKEN
        value: "{{ vault_npm_token }}"
        is_runtime: false

- name: Delete a variable
  sevalla.cloud.sevalla_env_var:
    app_name: my-app
    state: absent
    variables:
      - key: LEGACY_FLAG

- name: Set a company-wide variable, which every application inherits
  sevalla.cloud.sevalla_env_var:
    global: true
    variables:
      - key: SUPPORT_EMAIL
        value: help@example.com
        is_buildtime: false

- name: The same, in a block whose module_defaults name an application
  module_defaults:
    group/sevalla.cloud.all:
      app_name: my-app
  block:
    - name: Omit the application where the task sets the global variables
      sevalla.cloud.sevalla_env_var:
        global: true
        app_name: "{{ omit }}"
        variables:
          - key: SUPPORT_EMAIL
            value: help@example.com
            is_buildtime: false

# In a handler (see sevalla.cloud.sevalla_deployment), choose the deployment from redeploy: a restart applies
# runtime variables, and a build-time variable needs a new build.
- name: Apply the first task's variables with the deployment they need
  sevalla.cloud.sevalla_deployment:
    app_name: my-app
    restart: "{{ env.redeploy != 'build' }}"
  when: env.redeploy != 'none'
"""

RETURN = r"""
created:
  description: Keys of the variables created, in the order of O(variables); in check mode, those that would be.
  returned: always
  type: list
  elements: str
  sample: [NPM_TOKEN]
updated:
  description: Keys of the variables updated; in check mode, those that would be.
  returned: always
  type: list
  elements: str
  sample: [DATABASE_URL]
deleted:
  description: Keys of the variables deleted, in the API's order; in check mode, those that would be.
  returned: always
  type: list
  elements: str
  sample: []
redeploy:
  description:
    - What the change needs to take effect, for a handler to choose between a restart and a new build.
    - V(build) when a variable used at build time was created, changed or deleted (its C(is_buildtime) before or
      after the change is V(true)); V(restart) when only variables used at run time were; V(none) otherwise,
      including when nothing changed. A flag the API returns as V(null) counts as V(true), its default.
    - On a failure part-way, what the requests that succeeded need.
  returned: always
  type: str
  choices: [build, restart, none]
  sample: build
env_vars:
  description:
    - The variables of the scope after the change, in the API's order (creation time), B(without their values).
    - In check mode, as they would be; a variable that would be created has no C(id) and no timestamps.
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
diff:
  description: With C(--diff), the listed and deleted variables by key, before and after; values are placeholders.
  returned: when diff mode is on
  type: dict
  sample:
    before:
      DATABASE_URL:
        value: "<hidden>"
        is_runtime: true
        is_buildtime: false
    after:
      DATABASE_URL:
        value: "<hidden, changed>"
        is_runtime: true
        is_buildtime: false
      NPM_TOKEN:
        value: "<hidden>"
        is_runtime: false
        is_buildtime: true
api_error:
  description: What the API said about a failed request. A value the task knows is masked in it.
  returned: when an API request failed
  type: dict
  contains:
    method:
      description: HTTP method of the request.
      type: str
      sample: PUT
    path:
      description: Path of the request, after the API URL.
      type: str
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/env-vars/8b0e3f4c-2a1d-4e5f-9a8b-7c6d5e4f3a2b
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
      sample: PUT
    path:
      description: Path of the request, after the API URL.
      type: str
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/env-vars/8b0e3f4c-2a1d-4e5f-9a8b-7c6d5e4f3a2b
    reason:
      description:
        - What was waited for, C(rate limit (429)), C(server error (503)) (with the status), C(timeout),
          C(dropped connection) or C(refused connection).
      type: str
      sample: server error (500)
    seconds:
      description: How long the wait was.
      type: float
      sample: 1.2
    attempt:
      description: The attempt it followed, 1 for the first.
      type: int
      sample: 1
"""

from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule
from ansible_collections.sevalla.cloud.plugins.module_utils.env_var import (
    DEFAULTS,
    Plan,
    apply_plan,
    check_scope,
    check_variables,
    list_env_vars,
    resolve_scope,
    scope_spec,
)


def ensure(module):
    p, result = module.params, module.result
    scope = resolve_scope(module.client, p)
    plan = Plan(list_env_vars(module.client, scope), p["variables"], p["state"], p["purge"])
    module.mask(plan.known_values())
    if module._diff:
        result["diff"] = plan.diff()
    if module.check_mode:
        return dict(plan.predicted(), changed=bool(plan))
    return dict(env_vars=apply_plan(module.client, scope, plan, result))


def main():
    spec, options = scope_spec()
    spec.update(
        variables=dict(type="list", elements="dict", required=True, options=dict(
            key=dict(type="str", required=True, no_log=False),
            value=dict(type="str", no_log=True),
            is_runtime=dict(type="bool"),
            is_buildtime=dict(type="bool"),
        )),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        purge=dict(type="bool", default=False),
    )
    module = SevallaModule(spec, result=DEFAULTS, supports_check_mode=True, **options)
    module.run_checks(check_scope, check_variables)
    module.run(ensure)


if __name__ == "__main__":
    main()
