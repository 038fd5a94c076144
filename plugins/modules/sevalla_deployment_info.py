#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_deployment_info
short_description: Read the deployments of a Sevalla application
version_added: 0.2.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Returns deployments of a Sevalla application as the API describes them.
  - With O(deployment_id), reads that deployment with one C(GET /applications/{id}/deployments/{deployment_id}).
    An unknown ID fails.
  - Otherwise returns the application's newest deployments, newest first as the API orders them, at most
    O(limit), read with C(GET /applications/{id}/deployments) one page of at most 100 at a time, so
    ceil(O(limit) / 100) requests at most.
  - Use it to find a deployment that a failed trigger may have started, or one started by a git push, and
    wait for it with M(sevalla.cloud.sevalla_deployment) and its O(sevalla.cloud.sevalla_deployment#module:deployment_id).
  - Only reads, so it never reports a change.
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.application
attributes:
  check_mode:
    description: Runs normally in check mode, since it only reads.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
options:
  deployment_id:
    description:
      - ID of one deployment to return, a UUID.
      - Without it, the newest deployments are returned, at most O(limit).
    type: str
  limit:
    description:
      - How many of the newest deployments to return at most, from 1 to 1000.
      - Ignored with O(deployment_id).
    type: int
    default: 10
seealso:
  - module: sevalla.cloud.sevalla_deployment
"""

EXAMPLES = r"""
- name: Read the five newest deployments of the application named my-app
  sevalla.cloud.sevalla_deployment_info:
    app_name: my-app
    limit: 5
  register: recent

- name: Show their status
  ansible.builtin.debug:
    msg: "{{ item.created_at }} {{ item.trigger }} {{ item.status }}"
  loop: "{{ recent.deployments }}"
  loop_control:
    label: "{{ item.id }}"

- name: Wait for the newest deployment if it is still running, for example after a git push
  sevalla.cloud.sevalla_deployment:
    app_id: "{{ app_id }}"
    deployment_id: "{{ recent.deployments[0].id }}"
  when:
    - recent.deployments | length > 0
    - recent.deployments[0].status in ['waiting', 'inProgress']

- name: Read one deployment
  sevalla.cloud.sevalla_deployment_info:
    app_id: "{{ app_id }}"
    deployment_id: 5d8c2e7a-0b1f-4c3d-8e9a-1b2c3d4e5f60
  register: one
"""

RETURN = r"""
deployments:
  description:
    - The deployments, as the API returns them, newest first.
    - With O(deployment_id), a list of that one deployment. Empty when the application has no deployment.
    - Each deployment also holds C(type), C(steps), C(git_type), C(repo_url), C(commit_message),
      C(author_login), C(author_img) and C(updated_at), as the sample shows.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the deployment.
      type: str
      sample: 5d8c2e7a-0b1f-4c3d-8e9a-1b2c3d4e5f60
    app_id:
      description: ID of the application.
      type: str
      sample: fb5e5168-4281-4bec-94c5-0d1584e9e657
    status:
      description: V(waiting), V(inProgress), V(success), V(failed), V(cancelled) or V(skipped).
      type: str
      sample: success
    trigger:
      description: What started it, for example V(MANUAL_DEPLOY), V(RESTART) or V(GIT_PUSH).
      type: str
      sample: RESTART
    branch:
      description: Branch deployed, or V(null) for a Docker image.
      type: str
      sample: main
    commit_sha:
      description: Commit deployed, or V(null).
      type: str
      sample: a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2
    docker_image_url:
      description: Image that was built or deployed.
      type: str
      sample: us-central1-docker.pkg.dev/project/repo/image:abc123
    created_at:
      description: When the deployment was created.
      type: str
      sample: "2026-03-09T10:15:02.000Z"
    started_at:
      description: When it started, or V(null) while it waits.
      type: str
      sample: "2026-03-09T10:15:04.000Z"
    finished_at:
      description: When it ended, or V(null) while it runs.
      type: str
      sample: "2026-03-09T10:17:31.000Z"
  sample:
    - id: 5d8c2e7a-0b1f-4c3d-8e9a-1b2c3d4e5f60
      app_id: fb5e5168-4281-4bec-94c5-0d1584e9e657
      status: success
      type: manual
      trigger: RESTART
      steps: [rollout]
      docker_image_url: us-central1-docker.pkg.dev/project/repo/image:abc123
      git_type: github
      repo_url: https://github.com/user/repo
      branch: main
      commit_sha: a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2
      commit_message: "feat: add new feature"
      author_login: octocat
      author_img: https://avatars.githubusercontent.com/u/583231
      started_at: "2026-03-09T10:15:04.000Z"
      finished_at: "2026-03-09T10:17:31.000Z"
      created_at: "2026-03-09T10:15:02.000Z"
      updated_at: "2026-03-09T10:17:31.000Z"
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
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/deployments
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
    resolve_app,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule, check_range, check_uuid
from ansible_collections.sevalla.cloud.plugins.module_utils.deployment import list_deployments, read_deployment


def check_options(params):
    check_application_selector(params)
    if params["deployment_id"] is not None:
        check_uuid("deployment_id", params["deployment_id"])
    check_range("limit", params["limit"], 1, 1000)


def read_deployments(module):
    p = module.params
    app = resolve_app(module.client, p)  # once for the whole task
    if p["deployment_id"]:
        return dict(deployments=[read_deployment(module.client, app, p["deployment_id"])])
    return dict(deployments=list_deployments(module.client, app, p["limit"]))


def main():
    spec, options = application_selector_spec(required=True)
    spec.update(deployment_id=dict(type="str"), limit=dict(type="int", default=10))
    module = SevallaModule(spec, supports_check_mode=True, **options)
    module.run_checks(check_options)
    module.run(read_deployments)


if __name__ == "__main__":
    main()
