#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_deployment
short_description: Deploy a Sevalla application and wait until the deployment ends
version_added: 0.2.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Triggers a deployment of a Sevalla application with one C(POST /applications/{id}/deployments), and by
    default waits until it ends, reading it with C(GET /applications/{id}/deployments/{deployment_id}) every
    O(poll_interval) seconds.
  - Changes to a process's resource type, scaling or probes, new processes and deleted processes take effect
    only on the next deployment. O(restart=true) applies them without building again. Run this module from a
    handler, so that it deploys only when a task reported a change; see the examples.
  - With O(deployment_id) it triggers nothing. It reads that deployment, for example one started by a git
    push, and waits for it when O(wait=true).
  - A deployment that ends V(success) or V(skipped) is ok. One that ends V(failed) or V(cancelled) fails the
    task; the message names the application, the deployment and its status, and quotes the ERROR lines of the
    deployment's log (at most 20, the last ones), or its last 20 lines when none is an ERROR. Reading the log
    costs one more request, C(GET /applications/{id}/deployments/{deployment_id}/logs).
  - When O(wait_timeout) passes first, the task fails with the deployment's last status. The deployment goes
    on; wait for it again with O(deployment_id).
  - Requests - a trigger without O(wait) costs 1 POST. With O(wait), it costs 1 POST plus at most
    ceil(duration / O(poll_interval)) + 1 GETs, and one logs GET when the deployment fails. Polls count
    against the API's read limit of 400 requests per minute per company.
  - The trigger is sent at most once (see O(api_retries)); when it may have started a deployment all the same,
    the message points to M(sevalla.cloud.sevalla_deployment_info). A poll that still fails after its retries
    fails the task and names the deployment.
  - Every option is checked before the first request.
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.application
attributes:
  check_mode:
    description: Triggers nothing.
    support: full
    details:
      - Without O(deployment_id), sends no request (apart from resolving O(app_name)) and reports
        C(changed=true); nothing is started, so RV(deployment) is V(null).
      - With O(deployment_id), reads the deployment once and does not wait. A deployment that already ended
        V(failed) or V(cancelled) fails the task as it would outside check mode.
  diff_mode:
    description: Returns no diff.
    support: none
options:
  restart:
    description:
      - Redeploy the build of the last successful deployment without building again (the API's C(is_restart)).
        This applies runtime configuration, such as process changes.
      - When V(false), the API builds and deploys the latest commit of the default branch, or O(branch), or
        deploys O(docker_image).
      - V(true) cannot be combined with O(branch), O(docker_image) or O(deployment_id).
    type: bool
    default: false
  branch:
    description:
      - Git branch to deploy, for an application built from a git repository. The API's default is the
        application's default branch.
      - Mutually exclusive with O(docker_image) and O(deployment_id).
    type: str
  docker_image:
    description:
      - Docker image to deploy, for example V(nginx:1.27), for an application deployed from an image.
      - Mutually exclusive with O(branch) and O(deployment_id).
    type: str
  deployment_id:
    description:
      - ID of an existing deployment, a UUID. Trigger nothing; read that deployment, and wait for it when
        O(wait=true).
      - Mutually exclusive with O(branch) and O(docker_image), and cannot be combined with O(restart=true).
    type: str
  wait:
    description:
      - Wait until the deployment ends, and fail unless it ends V(success) or V(skipped).
      - When V(false), the task returns after the trigger (or after reading O(deployment_id)).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the deployment to end, from 1 to 86400. The deployment is read one last time when
        they have passed.
    type: int
    default: 900
  poll_interval:
    description:
      - Seconds between two reads of the deployment while waiting, from 1 to 300, and at most O(wait_timeout).
      - Sevalla asks clients to poll every 10 seconds or more. Values under 10 are meant for tests against the
        bundled simulator.
    type: int
    default: 10
notes:
  - Handlers run once at the end of the play, or where C(ansible.builtin.meta) C(flush_handlers) runs, however
    many tasks notified them, so several process changes cost one deployment.
seealso:
  - module: sevalla.cloud.sevalla_deployment_info
  - module: sevalla.cloud.sevalla_process
  - module: sevalla.cloud.sevalla_process_trigger
"""

EXAMPLES = r"""
# Change processes, then apply the changes with one restart deployment, only when something changed.
- name: Scale the web process and apply the change
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Run the web process on three instances
      sevalla.cloud.sevalla_process:
        app_id: "{{ app_id }}"
        process_key: web
        scaling_strategy:
          type: manual
          config:
            instance_count: 3
      notify: Apply process changes

    - name: Deploy now rather than at the end of the play
      ansible.builtin.meta: flush_handlers

    - name: Check the new instances
      sevalla.cloud.sevalla_process_exec:
        app_id: "{{ app_id }}"
        process_key: web
        cmd: env
      changed_when: false

  handlers:
    - name: Apply process changes
      sevalla.cloud.sevalla_deployment:
        app_id: "{{ app_id }}"
        restart: true

- name: Deploy a branch and wait up to 30 minutes
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Build and deploy the release branch of the application named my-app
      sevalla.cloud.sevalla_deployment:
        app_name: my-app
        branch: release
        wait_timeout: 1800
        poll_interval: 15
      register: release

    - name: Show when it finished
      ansible.builtin.debug:
        msg: "{{ release.deployment.id }} finished at {{ release.deployment.finished_at }} after {{ release.elapsed }} s"

- name: Deploy an image without waiting, then wait for that deployment later
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Start the deployment
      sevalla.cloud.sevalla_deployment:
        app_id: "{{ app_id }}"
        docker_image: nginx:1.27
        wait: false
      register: started

    - name: Wait for it
      sevalla.cloud.sevalla_deployment:
        app_id: "{{ app_id }}"
        deployment_id: "{{ started.deployment.id }}"

- name: Show the ERROR lines of a failed deployment
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Deploy
      sevalla.cloud.sevalla_deployment:
        app_id: "{{ app_id }}"
      register: deploy
      ignore_errors: true

    - name: Print the lines of its log
      ansible.builtin.debug:
        var: deploy.log_lines
      when: deploy is failed
"""

RETURN = r"""
deployment:
  description:
    - The deployment as the API last returned it, with every field that
      RV(sevalla.cloud.sevalla_deployment_info#module:deployments) of M(sevalla.cloud.sevalla_deployment_info) lists.
    - V(null) in check mode without O(deployment_id), where nothing is started, and when the trigger failed.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the deployment.
      type: str
      sample: 5d8c2e7a-0b1f-4c3d-8e9a-1b2c3d4e5f60
    status:
      description:
        - V(waiting), V(inProgress), V(success), V(failed), V(cancelled) or V(skipped).
        - Without O(wait), usually V(waiting).
      type: str
      sample: success
    trigger:
      description: What started it, for example V(MANUAL_DEPLOY) or V(RESTART).
      type: str
      sample: RESTART
    started_at:
      description: When the deployment started, or V(null) while it waits.
      type: str
      sample: "2026-03-09T10:15:04.000Z"
    finished_at:
      description: When the deployment ended, or V(null) while it runs.
      type: str
      sample: "2026-03-09T10:17:31.000Z"
  sample:
    id: 5d8c2e7a-0b1f-4c3d-8e9a-1b2c3d4e5f60
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
elapsed:
  description: Seconds spent waiting for the deployment, V(0) when the task did not wait.
  returned: always
  type: float
  sample: 147.3
log_lines:
  description:
    - The ERROR lines of the deployment's log, at most 20 (the last ones), or its last 20 lines when none is an
      ERROR; each line is the entry's timestamp, severity and message.
    - Empty when the log could not be read or is empty.
  returned: when the deployment ended V(failed) or V(cancelled)
  type: list
  elements: str
  sample: ["2026-03-09 10:16:58.120 ERROR npm ERR! Missing script: \"build\""]
msg:
  description: What the task did or would have done.
  returned: in check mode without O(deployment_id), and on failure
  type: str
  sample: A deployment of application fb5e5168-4281-4bec-94c5-0d1584e9e657 would have been triggered
api_error:
  description: What the API said about a failed request.
  returned: when an API request failed
  type: dict
  contains:
    method:
      description: HTTP method of the request.
      type: str
      sample: POST
    path:
      description: Path of the request, after the API URL.
      type: str
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/deployments
    status:
      description: HTTP status, or V(null) when no answer arrived.
      type: int
      sample: 500
    reason:
      description: HTTP reason phrase.
      type: str
      sample: Internal Server Error
    message:
      description: The API's message, or what went wrong in transport.
      type: str
      sample: Internal Server Error
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

import time

from ansible_collections.sevalla.cloud.plugins.module_utils.application import (
    application_selector_spec,
    check_application_selector,
    resolve_app,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule, check_range, check_uuid
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaError
from ansible_collections.sevalla.cloud.plugins.module_utils.deployment import (
    OK_STATUSES,
    is_final,
    read_deployment,
    read_log_lines,
    trigger_deployment,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.waiting import wait_until

# What every result holds, also a failure before anything was triggered.
NO_DEPLOYMENT = dict(changed=False, deployment=None, elapsed=0.0)


def check_options(params):
    check_application_selector(params)
    if params["deployment_id"] is not None:
        check_uuid("deployment_id", params["deployment_id"])
    for name in ("branch", "docker_image"):
        if params[name] == "":
            raise SevallaError("%s must not be empty" % name)
    if params["restart"]:
        given = [name for name in ("branch", "docker_image", "deployment_id") if params[name] is not None]
        if given:
            raise SevallaError("restart=true cannot be combined with %s: a restart redeploys the last successful build"
                               % " or ".join(given))
    check_range("wait_timeout", params["wait_timeout"], 1, 86400)
    check_range("poll_interval", params["poll_interval"], 1, 300)
    if params["wait"] and params["poll_interval"] > params["wait_timeout"]:
        raise SevallaError("poll_interval (%d) must not exceed wait_timeout (%d)" % (params["poll_interval"], params["wait_timeout"]))


def request_body(params):
    """The POST body: only what was asked for, so the API's defaults apply to the rest."""
    if params["restart"]:
        return {"is_restart": True}
    return {name: params[name] for name in ("branch", "docker_image") if params[name] is not None}


def wait_for(module, app):
    """Poll until the deployment ends or wait_timeout passes; module.result keeps the last deployment read."""
    p, result = module.params, module.result

    def read():
        result["deployment"] = read_deployment(module.client, app, result["deployment"]["id"])
        return result["deployment"]

    started = time.monotonic()
    try:
        _deployment, finished, elapsed = wait_until(read, is_final, p["wait_timeout"], p["poll_interval"])
    except SevallaError as error:
        result["elapsed"] = round(time.monotonic() - started, 1)
        raise error.explain("Stopped waiting for deployment %s of application %s, which goes on"
                            % (result["deployment"]["id"], app))
    result["elapsed"] = round(elapsed, 1)
    if not finished:
        deployment = result["deployment"]
        raise SevallaError(
            "Deployment %s of application %s did not end within wait_timeout=%d s: its last status is %s after %s s "
            "of waiting. The deployment goes on; wait for it again with deployment_id=%s"
            % (deployment["id"], app, p["wait_timeout"], deployment["status"], result["elapsed"], deployment["id"]))


def bad_outcome(module, app):
    """The failure for a deployment that ended failed or cancelled, quoting its log (one more GET)."""
    deployment = module.result["deployment"]
    try:
        lines, errors = read_log_lines(module.client, app, deployment)
        shown = ("Its log has no lines." if not lines else
                 "ERROR lines of its log:\n" if errors else "Its log has no ERROR line; its last lines:\n")
    except SevallaError as error:
        lines, shown = [], "Its log could not be read: %s" % error
    module.result["log_lines"] = lines
    return SevallaError("Deployment %s of application %s ended with status %s. %s%s" % (
        deployment["id"], app, deployment["status"], shown, "\n".join(lines)))


def deploy(module):
    p, result = module.params, module.result
    app = resolve_app(module.client, p)  # once for the whole task
    if p["deployment_id"] is None and module.check_mode:
        result.update(changed=True, msg="A deployment of application %s would have been triggered; check mode started nothing" % app)
        return
    if p["deployment_id"] is None:
        result["deployment"] = trigger_deployment(module.client, app, request_body(p))
        result["changed"] = True
    else:
        result["deployment"] = read_deployment(module.client, app, p["deployment_id"])
    if p["wait"] and not module.check_mode and not is_final(result["deployment"]):
        wait_for(module, app)
    if is_final(result["deployment"]) and result["deployment"]["status"] not in OK_STATUSES:
        raise bad_outcome(module, app)


def main():
    spec, options = application_selector_spec(required=True)
    spec.update(
        restart=dict(type="bool", default=False),
        branch=dict(type="str"),
        docker_image=dict(type="str"),
        deployment_id=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
        poll_interval=dict(type="int", default=10),
    )
    module = SevallaModule(
        spec,
        result=NO_DEPLOYMENT,
        supports_check_mode=True,
        required_one_of=options["required_one_of"],
        mutually_exclusive=options["mutually_exclusive"] + [
            ("branch", "docker_image"), ("branch", "deployment_id"), ("docker_image", "deployment_id")],
    )
    module.run_checks(check_options)
    module.run(deploy)


if __name__ == "__main__":
    main()
