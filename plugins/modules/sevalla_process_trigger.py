#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_process_trigger
short_description: Run a Sevalla cron process once, now
version_added: 0.2.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Starts one run of a cron process of a Sevalla application now, outside its schedule, with
    C(POST /applications/{id}/processes/{process_id}/trigger).
  - Reads the process first, with one GET by O(process_id) or the process list (all pages) by O(process_key),
    and fails before the trigger when the process is not a cron process, naming its type. With O(app_name),
    the application list is read first, one request per 100 applications.
  - Every run reports a change; the module does not wait for the run to end.
  - With O(wait_log_seconds), it then waits that long and reads what the process logged since the trigger,
    with one C(GET /applications/{id}/runtime-logs), and returns it in RV(log_lines).
  - The trigger is sent at most once, see O(api_retries).
  - Every option is checked before the first request.
extends_documentation_fragment:
  - sevalla.cloud.api
  - sevalla.cloud.api.application
  - sevalla.cloud.api.process
attributes:
  check_mode:
    description: Looks the process up and checks its type, but does not trigger it, wait or read its log.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
options:
  process_id:
    description:
      - ID of the cron process, a UUID.
      - Exactly one of O(process_id) and O(process_key) is required.
    type: str
  process_key:
    description:
      - Key of the cron process, as in the Procfile, for example V(clock).
      - Exactly one of O(process_id) and O(process_key) is required.
    type: str
  wait_log_seconds:
    description:
      - After the trigger, wait this many seconds, from 0 to 3600, then read the runtime log entries of the
        process (those whose C(container) tag is its key) from the moment the trigger was sent, and return
        them in RV(log_lines). V(0), the default, reads no log.
      - The wait is a plain wait, not a check that the run has ended. Lines the run prints later are not
        returned; read them with M(sevalla.cloud.sevalla_log_info) and O(sevalla.cloud.sevalla_log_info#module:process_key).
      - The window starts at the controller's clock when the trigger was sent and ends at the API's now, so
        the controller's clock must be right (NTP). The read costs one more C(GET), which counts against the
        API's limit of about 30 log reads a minute, and takes at most 5000 entries of every process.
      - When that read fails after the trigger succeeded, the task does not fail, since the run has started.
        It warns, returns an empty RV(log_lines) and says why in RV(log_error).
    type: int
    default: 0
    version_added: 0.2.0
seealso:
  - module: sevalla.cloud.sevalla_log_info
  - module: sevalla.cloud.sevalla_process
  - module: sevalla.cloud.sevalla_process_info
"""

EXAMPLES = r"""
- name: Run the clock cron process of the application named my-app now
  sevalla.cloud.sevalla_process_trigger:
    app_name: my-app
    process_key: clock
  register: run

- name: Show the API's answer
  ansible.builtin.debug:
    var: run.msg

- name: Run it again, and return what it printed in its first 30 seconds
  sevalla.cloud.sevalla_process_trigger:
    app_name: my-app
    process_key: clock
    wait_log_seconds: 30
  register: run

- name: Show what the run printed
  ansible.builtin.debug:
    var: run.log_lines

- name: Run a cron process by ID, only after a schedule change
  sevalla.cloud.sevalla_process_trigger:
    app_id: "{{ app_id }}"
    process_id: 3c21f7fc-e6e1-45ef-b363-062cb2cf9f18
  when: schedule_change is changed
"""

RETURN = r"""
msg:
  description:
    - The API's message, for example V(Cron job triggered).
    - In check mode, what would have been done.
  returned: always
  type: str
  sample: Cron job triggered
process:
  description:
    - The process that was triggered, as the API returned it when it was looked up, with every field that
      RV(sevalla.cloud.sevalla_process#module:process) of M(sevalla.cloud.sevalla_process) lists.
  returned: success
  type: dict
  contains:
    id:
      description: ID of the process.
      type: str
      sample: 3c21f7fc-e6e1-45ef-b363-062cb2cf9f18
    key:
      description: Key of the process, unique in the application.
      type: str
      sample: clock
    type:
      description: V(web), V(worker), V(cron) or V(job).
      type: str
      sample: cron
    display_name:
      description: Name shown in the dashboard.
      type: str
      sample: Clock
    schedule:
      description: Cron expression of a cron process, else V(null).
      type: str
      sample: "*/5 * * * *"
  sample:
    id: 3c21f7fc-e6e1-45ef-b363-062cb2cf9f18
    key: clock
    type: cron
    schedule: "*/5 * * * *"
log_lines:
  description:
    - What the process logged from the trigger to the end of O(wait_log_seconds), oldest first, one line per entry,
      as C(timestamp severity message), like RV(sevalla.cloud.sevalla_log_info#module:log_lines).
    - Empty when the read failed, see RV(log_error).
  returned: when O(wait_log_seconds) is more than 0, and not in check mode
  type: list
  elements: str
  sample:
    - "2026-03-09 10:15:02.000 INFO Cron run started: node src/cleanup.js"
    - "2026-03-09 10:15:03.000 INFO Cron run finished with exit code 0"
log_error:
  description:
    - Why the log could not be read after the trigger (the same text as the warning). The run was triggered all
      the same.
  returned: when O(wait_log_seconds) is more than 0 and the log read failed
  type: str
  sample: "Could not read the runtime log of application fb5e5168-4281-4bec-94c5-0d1584e9e657. Sevalla API returned 429 ..."
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
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/processes/3c21f7fc-e6e1-45ef-b363-062cb2cf9f18/trigger
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

from ansible_collections.sevalla.cloud.plugins.module_utils.application import resolve_app
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule, check_range
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaAPIError, SevallaError, post_once
from ansible_collections.sevalla.cloud.plugins.module_utils.logs import MAX_LOG_ENTRIES, read_run_log, utc_now
from ansible_collections.sevalla.cloud.plugins.module_utils.process import (
    check_process_selector,
    describe,
    find_process,
    process_selector_spec,
)


def checked_message(answer):
    if not isinstance(answer, dict) or not isinstance(answer.get("message"), str):
        raise SevallaError("unexpected response shape: expected an object with a message")
    return answer["message"]


def trigger(module):
    p = module.params
    app = resolve_app(module.client, p)  # once for the whole task
    process = find_process(module.client, app, p["process_id"], p["process_key"])
    label = describe(process, app)
    if process["type"] != "cron":
        raise SevallaError("Only a cron process can be triggered, and %s is a %s process" % (label, process["type"]))
    if module.check_mode:
        return dict(changed=True, process=process, msg="Would have triggered a run of the cron %s" % label)
    started = utc_now()
    try:
        message = post_once(module.client, app.path("processes", process["id"], "trigger"), None, shape=checked_message,
                            effect="a run of the cron %s may have started" % label,
                            advice="Check for the run before triggering it again")
    except SevallaAPIError as error:
        raise error if error.may_have_acted else error.explain("Could not trigger the cron %s" % label)
    module.result.update(changed=True, process=process, msg=message)
    if p["wait_log_seconds"]:
        module.result.update(run_log(module, app, process, started))


def run_log(module, app, process, started):
    """log_lines of the run; a failed read is a warning and log_error, since the run has started all the same."""
    try:
        found = read_run_log(module.client, app, process["key"], started, module.params["wait_log_seconds"])
    except SevallaError as error:
        module.warn("The cron run was triggered, but its log could not be read: %s" % error)
        return dict(log_lines=[], log_error=str(error))
    if found["truncated"]:
        module.warn("The runtime log held %d entries or more since the trigger, the most one read returns: "
                    "log_lines may lack some lines of the run" % MAX_LOG_ENTRIES)
    return dict(log_lines=found["log_lines"])


def check_options(params):
    check_process_selector(params)
    check_range("wait_log_seconds", params["wait_log_seconds"], 0, 3600)


def main():
    spec, options = process_selector_spec(required=True)
    spec.update(wait_log_seconds=dict(type="int", default=0))
    module = SevallaModule(spec, supports_check_mode=True, **options)
    module.run_checks(check_options)
    module.run(trigger)


if __name__ == "__main__":
    main()
