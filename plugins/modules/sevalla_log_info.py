#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sevalla_log_info
short_description: Read the runtime or access log of a Sevalla application
version_added: 0.2.0
author: Sevalla Ansible collection contributors (@sevalla)
description:
  - Returns the entries of an application's runtime log (what its processes print on stdout and stderr) or of
    its HTTP access log, in a time window, oldest first.
  - Reads them with one C(GET /applications/{id}/runtime-logs) or C(GET /applications/{id}/access-logs).
    With O(app_name), the application list is read first, one request per 100 applications.
  - The API allows about 30 log reads a minute. A C(429) is waited for and sent again as every read is, see
    O(api_retries).
  - The window is built from the controller's clock, in UTC, and sent as C(from) and C(to) with a C(Z), to the
    millisecond. Both ends are included.
  - Every option is checked before the first request.
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
  source:
    description:
      - Which log to read. V(runtime) is what the processes print, V(access) the HTTP requests that reached
        the web process.
    type: str
    choices: [runtime, access]
    default: runtime
  since:
    description:
      - Read the entries of this last stretch of time, up to now. A number and a unit, V(s), V(m), V(h) or V(d),
        or several of them, for example V(30s), V(15m), V(2h), V(1d) or V(1h30m). At most V(3650d).
      - Mutually exclusive with O(from) and O(to).
      - Without O(since), O(from) and O(to), the window is the last hour, as in the API.
    type: str
  from:
    description:
      - Start of the window, an ISO 8601 date and time such as V(2026-03-09T10:15:00Z), or with an offset such as
        V(2026-03-09T12:15:00+02:00). Without C(Z) or an offset, it is UTC. A space may replace the C(T), so
        the C(timestamp) of an entry (V(2026-03-09 10:15:00.000)) can be used as it is. A date alone is its
        midnight.
      - Without O(to), the window ends now. It fails before any request when it is after O(to), or after now
        without O(to).
    type: str
  to:
    description:
      - End of the window, in the forms O(from) takes.
      - Without O(from), the window is the hour before O(to).
    type: str
  severity:
    description:
      - Keep only the entries of this level or these levels, for example V(ERROR) or V([ERROR, WARN]).
      - Sent to the API as a filter on C(severity), with C(EQUALS) for one level and C(IN) for several,
        together with O(filters). Levels are sent upper case, as the API writes them (V(error) is sent as
        V(ERROR)); to match another spelling exactly, use O(filters).
    type: list
    elements: str
  filters:
    description:
      - More API filters, sent as they are, together with O(severity). Every filter must match.
      - "Each is an object with C(key), C(operator), and C(value) or C(values) (a list, for operators such as
        C(IN)), for example V({key: message, operator: CONTAINS, value: timeout}). Keys name a field of the
        entry, such as C(message), C(severity), C(tags.container) or C(attributes.status_code)."
      - The operators the API takes are those of its documentation, for example C(EQUALS) and C(IN); the API
        refuses others.
    type: list
    elements: dict
  process_key:
    description:
      - Keep only the entries of this process, those whose C(container) tag is this key, for example V(clock).
      - "This filter is applied by the module to the entries the API returned, since the API documents no
        process filter. So O(lines) applies B(before) it. To see up to O(lines) entries of the process, narrow the
        window, or filter on the server with O(filters) and C({key: tags.container, operator: EQUALS, value: clock})
        where the API supports it."
      - A key that names no process gives no entries; it is not looked up.
    type: str
  lines:
    description:
      - How many entries the API may return at most, from 1 to 5000, sent as its C(limit).
      - When the window holds more, which entries the API keeps is not documented. RV(truncated) then says so.
        Narrow the window (a shorter O(since), or O(from) and O(to)), add O(severity) or O(filters), or raise
        O(lines), rather than rely on which entries come back.
    type: int
    default: 100
notes:
  - The controller's clock must be right (NTP), since the window is computed there and the entries are stamped
    by the API's clock.
seealso:
  - module: sevalla.cloud.sevalla_process_trigger
    description: Its O(sevalla.cloud.sevalla_process_trigger#module:wait_log_seconds) returns what a cron run printed.
  - module: sevalla.cloud.sevalla_deployment
    description: A failed deployment fails with the ERROR lines of its build and rollout log.
"""

EXAMPLES = r"""
- name: Read the ERROR entries of the last 15 minutes of the application named my-app
  sevalla.cloud.sevalla_log_info:
    app_name: my-app
    since: 15m
    severity: ERROR
  register: errors

- name: Show them, oldest first
  ansible.builtin.debug:
    var: errors.log_lines

- name: Read what the clock cron process printed in the last two hours
  sevalla.cloud.sevalla_log_info:
    app_id: "{{ app_id }}"
    since: 2h
    process_key: clock
    lines: 1000
  register: clock

- name: Read the 5xx answers of a given hour from the access log
  sevalla.cloud.sevalla_log_info:
    app_id: "{{ app_id }}"
    source: access
    from: "2026-03-09T10:00:00Z"
    to: "2026-03-09T11:00:00Z"
    filters:
      - key: attributes.status_code
        operator: IN
        values: [500, 502, 503, 504]
    lines: 5000
  register: server_errors

- name: Say when the window held more than was returned
  ansible.builtin.debug:
    msg: Only {{ server_errors.entries | length }} entries came back; narrow the window to see the others
  when: server_errors.truncated
"""

RETURN = r"""
entries:
  description:
    - The entries, as the API returns them, sorted oldest first by C(unix_timestamp), whatever the order of the
      API's answer. Entries of the same moment keep the order in which they were written.
    - With O(process_key), only the entries of that process.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: ID of the entry.
      type: str
      sample: runtime-000042
    message:
      description: The line the process printed, or the request of an access entry.
      type: str
      sample: "Error: upstream payments-api timed out after 30000 ms"
    service:
      description: V(APP_RUNTIME) or V(APP_ACCESS).
      type: str
      sample: APP_RUNTIME
    severity:
      description: Level of the entry, for example V(INFO), V(WARN), V(ERROR) or V(DEBUG).
      type: str
      sample: ERROR
    timestamp:
      description: When it was written, UTC, as V(YYYY-MM-DD HH:MM:SS.mmm).
      type: str
      sample: "2026-03-09 10:15:02.000"
    tags:
      description: Labels of the entry; C(container) is the key of the process that wrote it.
      type: dict
      sample: {idApp: fb5e5168-4281-4bec-94c5-0d1584e9e657, container: web}
    attributes:
      description: Structured fields, for example C(method), C(path) and C(status_code) of an access entry.
      type: dict
      sample: {}
    unix_timestamp:
      description: When it was written, in microseconds since the epoch.
      type: int
      sample: 1773051302000000
log_lines:
  description:
    - One line per entry of RV(entries), in the same order, as C(timestamp severity message).
  returned: success
  type: list
  elements: str
  sample:
    - "2026-03-09 10:15:02.000 ERROR Error: upstream payments-api timed out after 30000 ms"
truncated:
  description:
    - Whether the API returned O(lines) entries, so the window may hold more than were returned.
    - It is counted before O(process_key) filters the entries.
    - When true, narrow the window or filter more, as O(lines) explains.
  returned: success
  type: bool
  sample: false
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
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/runtime-logs
    status:
      description: HTTP status, or V(null) when no answer arrived.
      type: int
      sample: 429
    reason:
      description: HTTP reason phrase.
      type: str
      sample: Too Many Requests
    message:
      description: The API's message, or what went wrong in transport.
      type: str
      sample: Too many requests
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
      sample: /applications/fb5e5168-4281-4bec-94c5-0d1584e9e657/runtime-logs
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
from ansible_collections.sevalla.cloud.plugins.module_utils.base import SevallaModule
from ansible_collections.sevalla.cloud.plugins.module_utils.logs import SOURCES, log_query, read_log


def check_options(params):
    check_application_selector(params)
    log_query(params)  # raises on a bad window, filter or limit


def read(module):
    p = module.params
    query = log_query(p)
    app = resolve_app(module.client, p)
    return read_log(module.client, app, p["source"], query, p["process_key"])


def main():
    spec, options = application_selector_spec(required=True)
    spec.update({
        "source": dict(type="str", choices=sorted(SOURCES), default="runtime"),
        "since": dict(type="str"),
        "from": dict(type="str"),
        "to": dict(type="str"),
        "severity": dict(type="list", elements="str"),
        "filters": dict(type="list", elements="dict"),
        "process_key": dict(type="str", no_log=False),
        "lines": dict(type="int", default=100),
    })
    module = SevallaModule(spec, supports_check_mode=True, **options)
    module.run_checks(check_options)
    module.run(read)


if __name__ == "__main__":
    main()
