#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_deployment
short_description: Deploy, roll back or cancel a Sevalla application's deployment, and wait until it ends
version_added: 0.2.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Triggers a deployment of a Sevalla application with one C(POST /applications/{id}/deployments), or a rollback
    with O(rollback=true), and by default waits until it ends, reading it with
    C(GET /applications/{id}/deployments/{deployment_id}) every O(poll_interval) seconds.
  - Changes to a process's resource type, scaling or probes, new processes and deleted processes take effect
    only on the next deployment. O(restart=true) applies them without building again. Run this module from a
    handler, so that it deploys only when a task reported a change; see the examples.
  - Never stacks deployments by default. Before a trigger, it looks for a deployment of the application that is
    still running (V(waiting) or V(inProgress)) with one C(GET /applications/{id}/deployments) of the 10 newest,
    and waits for it to end (O(if_running=wait)) or cancels it (O(if_running=cancel)). So running the same task
    again after O(wait_timeout) passed waits for the first deployment instead of starting a second one.
  - With O(deployment_id) it triggers nothing. It reads that deployment, for example one started by a git
    push, and waits for it when O(wait=true).
  - With O(cancel=true) it triggers nothing either. It cancels O(deployment_id), or every running deployment of the
    application, and waits until they have ended. When nothing runs, it does nothing and reports no change.
  - A deployment that ends V(success) or V(skipped) is ok. One that ends V(failed) or V(cancelled) fails the
    task; the message names the application, the deployment and its status, and quotes the ERROR lines of the
    deployment's log (at most 20, the last ones), or its last 20 lines when none is an ERROR. Reading the log
    costs one more request, C(GET /applications/{id}/deployments/{deployment_id}/logs). With
    O(on_failure=rollback), the task then rolls the application back, waits for the rollback, and fails anyway.
  - When O(wait_timeout) passes first, the task fails with the deployment's last status. The deployment goes
    on; wait for it again with O(deployment_id). A timeout is not a failure of the deployment, so nothing is rolled
    back.
  - Requests - a trigger costs 1 POST, plus 1 GET of the newest deployments unless O(if_running=new). With
    O(wait), add at most ceil(duration / O(poll_interval)) + 1 GETs per deployment waited for (a running one, the
    triggered one, a rollback), and one logs GET when the deployment fails. O(if_running=cancel) and O(cancel=true)
    add one cancel POST per running deployment; O(on_failure=rollback) adds one rollback POST. Polls count
    against the API's read limit of 400 requests per minute per company.
  - Every POST (trigger, rollback, cancel) is sent at most once (see O(api_retries)); when it may have acted all
    the same, the message says so and points to M(sevalla.cloud.sevalla_deployment_info). A poll that still
    fails after its retries fails the task and names the deployment.
  - Every option is checked before the first request.
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.application
attributes:
  check_mode:
    description: Sends no POST; it reads, and reports what it would do.
    support: full
    details:
      - A trigger or a rollback reads the newest deployments (unless O(if_running=new)) and reports C(changed=true)
        with a RV(msg) that says what would happen - wait for or cancel the running deployment, then trigger or
        roll back. Nothing is started, so RV(deployment) is V(null); RV(previous) is the running deployment.
      - O(cancel=true) reads the deployment or the newest deployments, and reports C(changed=true) when there is
        something to cancel.
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
  rollback:
    description:
      - Roll the application back to its most recent successful deployment, with one
        C(POST /applications/{id}/deployments/rollback). The API starts a new deployment that reuses that
        deployment's build; the task waits for it like any deployment.
      - An action, so the task reports C(changed=true) whenever it runs.
      - V(true) cannot be combined with O(restart), O(branch), O(docker_image), O(deployment_id) or O(cancel).
    type: bool
    default: false
  cancel:
    description:
      - Cancel a deployment, with one C(POST /applications/{id}/deployments/{deployment_id}/cancel), and wait until
        it has ended (unless O(wait=false)). A V(waiting) deployment is skipped at once; an V(inProgress) one is stopped.
      - With O(deployment_id), that deployment. Without, every deployment of the application that is running,
        found with one C(GET /applications/{id}/deployments).
      - When nothing is running, or the deployment has already ended, it sends no POST and reports
        C(changed=false), so running it again is harmless. A cancelled deployment does not fail the task.
      - V(true) cannot be combined with O(restart), O(rollback), O(branch) or O(docker_image).
    type: bool
    default: false
  if_running:
    description:
      - What a trigger (a deployment, O(restart), O(branch), O(docker_image) or O(rollback)) does when a deployment
        of the application is already running (V(waiting) or V(inProgress)), as one
        C(GET /applications/{id}/deployments) of the 10 newest tells. Every running one counts, not only the newest.
      - V(wait) waits for it to end, for at most O(wait_timeout) seconds, then triggers. If it does not end in
        time, the task fails without triggering, naming the running deployment.
      - V(cancel) cancels it, waits until it has ended, then triggers.
      - V(new) triggers at once, even while another deployment runs, without that GET.
      - The running deployment, as last read, is returned as RV(previous). It applies with O(wait=false) too;
        it is ignored with O(deployment_id) and O(cancel).
    type: str
    choices: [wait, cancel, new]
    default: wait
  on_failure:
    description:
      - What happens when the triggered deployment ends V(failed) or V(cancelled).
      - V(fail) fails the task with the ERROR lines of its log.
      - V(rollback) also rolls the application back (as O(rollback=true) does), waits for the rollback, then fails
        the task anyway. The message says that the deployment failed, quotes its ERROR lines, and says whether
        the rollback succeeded, with both deployment IDs; the rollback is returned as RV(rollback). A
        O(wait_timeout) that passes is not a failure of the deployment, so nothing is rolled back then.
      - V(rollback) needs O(wait=true) and a trigger, so it cannot be combined with O(deployment_id), O(cancel) or
        O(rollback) (a failed rollback is not rolled back again).
    type: str
    choices: [fail, rollback]
    default: fail
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
        O(wait=true). With O(cancel=true), the deployment to cancel.
      - Mutually exclusive with O(branch) and O(docker_image), and cannot be combined with O(restart=true) or
        O(rollback=true).
    type: str
  wait:
    description:
      - Wait until the deployment ends, and fail unless it ends V(success) or V(skipped).
      - When V(false), the task returns after the trigger (or after reading O(deployment_id), or after the cancel).
        O(if_running) still applies before a trigger.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for a deployment to end, from 1 to 86400. The deployment is read one last time when they
        have passed.
      - Each wait has this much time - for the running deployment (O(if_running)), for the triggered one, and for
        the rollback (O(on_failure=rollback)).
    type: int
    default: 900
  poll_interval:
    description:
      - Seconds between two reads of a deployment while waiting, from 1 to 300, and at most O(wait_timeout).
      - Sevalla asks clients to poll every 10 seconds or more. Values under 10 are meant for tests against the
        bundled simulator.
    type: int
    default: 10
notes:
  - Handlers run once at the end of the play, or where C(ansible.builtin.meta) C(flush_handlers) runs, however
    many tasks notified them, so several process changes cost one deployment.
  - Sevalla allows 10 deployments per minute per application; rollbacks count too.
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

- name: Release a branch, and roll back to the last good build if the release fails
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Deploy the release branch; on failure, roll back, wait for the rollback, then fail
      sevalla.cloud.sevalla_deployment:
        app_id: "{{ app_id }}"
        branch: release
        on_failure: rollback
      register: release

- name: Roll back by hand in a rescue block, after a release and a smoke test
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Release and check
      block:
        - name: Deploy the release branch
          sevalla.cloud.sevalla_deployment:
            app_id: "{{ app_id }}"
            branch: release

        - name: Smoke test from inside the web process
          sevalla.cloud.sevalla_process_exec:
            app_id: "{{ app_id }}"
            process_key: web
            argv: [test, -f, /app/server.js]
          changed_when: false

      rescue:
        - name: Roll back to the most recent successful deployment and wait for it
          sevalla.cloud.sevalla_deployment:
            app_id: "{{ app_id }}"
            rollback: true
            if_running: cancel  # stop the release if it is still running

        - name: Fail the play all the same
          ansible.builtin.fail:
            msg: "The release failed and was rolled back: {{ ansible_failed_result.msg }}"

- name: Run again after a timeout - the running deployment is waited for, not stacked
  hosts: localhost
  gather_facts: false
  tasks:
    # A first run failed when wait_timeout passed; the deployment it started goes on. Running the same task
    # again (for example by retrying the CI job) finds that deployment running, waits for it to end, and only
    # then triggers, so two deployments never run at once. if_running: wait is the default.
    - name: Restart the application
      sevalla.cloud.sevalla_deployment:
        app_id: "{{ app_id }}"
        restart: true
        wait_timeout: 600
      register: restart

    - name: Show the deployment that was waited for, if there was one
      ansible.builtin.debug:
        msg: "Waited for {{ restart.previous.id }}, which ended {{ restart.previous.status }}"
      when: restart.previous is not none

- name: Cancel a stuck deployment
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Cancel whatever deployment of the application is running, and wait until it has stopped
      sevalla.cloud.sevalla_deployment:
        app_id: "{{ app_id }}"
        cancel: true

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
    - With O(rollback=true), the rollback deployment; with O(cancel=true), the cancelled deployment (the newest,
      when several were running).
    - V(null) in check mode without O(deployment_id), where nothing is started, when the trigger failed, and with
      O(cancel=true) when nothing was running.
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
previous:
  description:
    - The deployment that was running before the trigger and that the task waited for or cancelled
      (O(if_running)), as the API last returned it, with the fields of RV(deployment); its C(status) is final
      unless the task failed waiting for it.
    - When several were running, the newest of them; the task waited for or cancelled every one.
    - V(null) when none was running, with O(if_running=new), with O(deployment_id) and with O(cancel).
  returned: always
  type: dict
  contains:
    id:
      description: ID of the deployment that was running.
      type: str
      sample: 0a4f3c1e-2b7d-4e8f-9a6b-5c4d3e2f1a0b
    status:
      description: Its last status, V(success), V(failed), V(cancelled) or V(skipped) once it has ended.
      type: str
      sample: success
    trigger:
      description: What started it.
      type: str
      sample: GIT_PUSH
    finished_at:
      description: When it ended, or V(null) while it runs.
      type: str
      sample: "2026-03-09T10:14:58.000Z"
rollback:
  description:
    - The rollback that O(on_failure=rollback) started after the triggered deployment failed, as the API last
      returned it, with the fields of RV(deployment). Its C(trigger) names the rollback.
    - V(null) when nothing was rolled back.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the rollback deployment.
      type: str
      sample: 7e6d5c4b-3a2f-4e1d-8c9b-0a1b2c3d4e5f
    status:
      description: Its last status; V(success) when the application was rolled back.
      type: str
      sample: success
    trigger:
      description: What started it, for example V(ROLLBACK_DEPLOYMENT).
      type: str
      sample: ROLLBACK_DEPLOYMENT
    finished_at:
      description: When it ended, or V(null) while it runs.
      type: str
      sample: "2026-03-09T10:19:02.000Z"
elapsed:
  description:
    - Seconds spent waiting, for every deployment the task waited for (a running one, the triggered one, a
      rollback), V(0) when the task did not wait.
  returned: always
  type: float
  sample: 147.3
log_lines:
  description:
    - The ERROR lines of the deployment's log, at most 20 (the last ones), or its last 20 lines when none is an
      ERROR; each line is the entry's timestamp, severity and message.
    - Empty when the log could not be read or is empty.
  returned: when the deployment ended V(failed) or V(cancelled), which fails the task (not with O(cancel=true))
  type: list
  elements: str
  sample: ["2026-03-09 10:16:58.120 ERROR npm ERR! Missing script: \"build\""]
msg:
  description: What the task did or would have done.
  returned: in check mode without O(deployment_id), with O(cancel=true) when there was nothing to cancel, and on failure
  type: str
  sample: >-
    A deployment of application fb5e5168-4281-4bec-94c5-0d1584e9e657 would have been triggered, once deployment
    0a4f3c1e-2b7d-4e8f-9a6b-5c4d3e2f1a0b (inProgress) had ended; check mode started nothing
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

from ansible_collections.sevalla.cloud.plugins.module_utils.application import (
    application_selector_spec,
    check_application_selector,
    resolve_app,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule, check_range, check_uuid
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaError
from ansible_collections.sevalla.cloud.plugins.module_utils.deployment import read_deployment
from ansible_collections.sevalla.cloud.plugins.module_utils.release import cancel, finish, release

# What every result holds, also a failure before anything was triggered.
NO_DEPLOYMENT = dict(changed=False, deployment=None, previous=None, rollback=None, elapsed=0.0)
# What each action cannot be combined with, and why.
CONFLICTS = (
    ("restart", ("branch", "docker_image", "deployment_id"), "a restart redeploys the last successful build"),
    ("rollback", ("restart", "branch", "docker_image", "deployment_id"),
     "a rollback redeploys the build of the most recent successful deployment"),
    ("cancel", ("restart", "rollback", "branch", "docker_image"), "a cancel stops a deployment and starts none"),
)


def check_options(params):
    check_application_selector(params)
    if params["deployment_id"] is not None:
        check_uuid("deployment_id", params["deployment_id"])
    for name in ("branch", "docker_image"):
        if params[name] == "":
            raise SevallaError("%s must not be empty" % name)
    for action, excluded, reason in CONFLICTS:
        given = [name for name in excluded if params[name] not in (None, False)]
        if params[action] and given:
            raise SevallaError("%s=true cannot be combined with %s: %s" % (action, " or ".join(given), reason))
    check_on_failure(params)
    check_range("wait_timeout", params["wait_timeout"], 1, 86400)
    check_range("poll_interval", params["poll_interval"], 1, 300)
    triggers = params["deployment_id"] is None and not params["cancel"]
    may_wait = params["wait"] or (triggers and params["if_running"] != "new")
    if may_wait and params["poll_interval"] > params["wait_timeout"]:
        raise SevallaError("poll_interval (%d) must not exceed wait_timeout (%d)" % (params["poll_interval"], params["wait_timeout"]))


def check_on_failure(params):
    if params["on_failure"] != "rollback":
        return
    if params["rollback"]:
        raise SevallaError("on_failure=rollback cannot be combined with rollback=true: a failed rollback is not rolled back again")
    given = [name for name in ("deployment_id", "cancel") if params[name] not in (None, False)]
    if given:
        raise SevallaError("on_failure=rollback cannot be combined with %s: it rolls back a deployment that the task "
                           "triggers" % " or ".join(given))
    if not params["wait"]:
        raise SevallaError("on_failure=rollback needs wait=true: without waiting, the task does not see the deployment fail")


def deploy(module):
    p, result = module.params, module.result
    app = resolve_app(module.client, p)  # once for the whole task
    if p["cancel"]:
        cancel(module, app)
    elif p["deployment_id"] is None:
        release(module, app)
    else:
        result["deployment"] = read_deployment(module.client, app, p["deployment_id"])
        finish(module, app)


def main():
    spec, options = application_selector_spec(required=True)
    spec.update(
        restart=dict(type="bool", default=False),
        rollback=dict(type="bool", default=False),
        cancel=dict(type="bool", default=False),
        if_running=dict(type="str", default="wait", choices=["wait", "cancel", "new"]),
        on_failure=dict(type="str", default="fail", choices=["fail", "rollback"]),
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
