# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # The connection options. Their argument spec is sevalla_argument_spec() in module_utils/base.py.
    DOCUMENTATION = r"""
options:
  api_key:
    description:
      - Sevalla API key, sent as a Bearer token. No other credential replaces it, not even a C(~/.netrc)
        entry for the API's host.
      - Create one in the Sevalla dashboard under API keys. A read-only key can read, and run read-only
        commands only.
      - If not set, the value of the E(SEVALLA_API_KEY) environment variable is used. The task fails
        before any request when neither is set, or when the key is empty.
      - Surrounding whitespace, such as the newline of a pasted key, is removed. A key that still holds
        whitespace, control characters or non-ASCII characters cannot go into an HTTP header, and the task
        fails without showing it.
      - The modules never return or log the key. Ansible itself prints the arguments of a failed ad-hoc
        command (C(ansible -m ... -a 'api_key=...')), so pass the key there through E(SEVALLA_API_KEY).
    type: str
  api_url:
    description:
      - Base URL of the Sevalla API, including the version path C(/v3).
      - If not set, the value of the E(SEVALLA_API_URL) environment variable is used, and then the default.
      - The scheme is C(http) or C(https), followed by a host, an optional port from 1 to 65535 and an
        optional path. User info (C(user:password@)), a query, a fragment, whitespace and control
        characters are refused, and a password in the URL is not shown.
      - With C(http://) to a host that is not a loopback address, the module warns that the key is sent in
        clear text.
      - Every error names the URL it used. A C(404) from a URL whose path does not end in C(/v3) adds a hint
        to check this option, and does not claim that a resource is missing.
      - The API does not redirect. A redirect answer fails the task and is not followed.
    type: str
    default: https://api.sevalla.com/v3
  api_timeout:
    description:
      - Seconds that one attempt of a request may take as a whole, from 1 to 3600. This includes connecting,
        sending and reading the complete answer, so a server that sends its answer slowly cannot hold
        the task longer.
      - Answers larger than 64 MiB, counted after decompression, fail without the rest being read.
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate.
      - Leave this on. To trust a private CA or a TLS-intercepting proxy, set the E(REQUESTS_CA_BUNDLE)
        environment variable to a CA bundle file instead.
    type: bool
    default: true
  api_retries:
    description:
      - How many times one request may be sent again, from 0 to 10. This is the collection's one retry rule;
        the modules refer to it.
      - A C(429 Too Many Requests) answer is sent again for every method, after the seconds in its
        C(Retry-After) header (seconds or an HTTP date) or its C(x-ratelimit-reset) header. A wait of more
        than 60 seconds, as the hourly limit on creating services asks for, fails the task at once and gives
        the reset in seconds and as a UTC clock time. A negative, NaN or infinite value, or a date in the
        past, counts as absent.
      - A 5xx answer, a dropped connection or a timeout is sent again with exponential backoff and jitter (at
        most 30 seconds a wait) for reads (C(GET)) and for C(PUT), C(PATCH) and C(DELETE), which do no more
        when sent twice. A C(DELETE) answered C(404) after being sent again counts as done.
      - "A C(POST) that acts (a create, a command run with the exec API, a deployment, a rollback, a cancel or
        a cron run) is B(never sent again) once it may have reached the API: after a 5xx answer, a dropped
        connection, a timeout or an answer that cannot be read, the task fails, says that the action may have
        happened, and says how to check."
      - A connection refused is tried once more at most, since it rarely mends within a task; as the request
        never left, a C(POST) is tried once more too. A host name that does not resolve, and a TLS certificate
        error, fail at once, naming the host.
      - Every wait is reported as a warning and in the RV(api_waits) result.
      - "The worst case for one request is (O(api_retries) + 1) attempts of O(api_timeout) seconds each, plus
        O(api_retries) waits of at most 60 seconds: with the defaults, 6 x 30 + 5 x 60 = 480 seconds. A task
        that reads a list makes one request a page."
    type: int
    default: 5
notes:
  - All modules in this collection belong to the action group C(sevalla.cloud.all), so
    C(module_defaults) with C(group/sevalla.cloud.all) can set the connection options once for a play.
requirements:
  - requests
attributes:
  action_group:
    description: Use C(group/sevalla.cloud.all) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - sevalla.cloud.all
"""

    # Selecting an application. The argument spec is application_selector_spec() in module_utils/application.py.
    APPLICATION = r"""
options:
  app_id:
    description:
      - ID of the application, a UUID.
      - Exactly one of O(app_id) and O(app_name) is required.
    type: str
    aliases:
      - application_id
  app_name:
    description:
      - Name of the application, instead of its ID.
      - Matches the application's unique C(name) first, then its C(display_name) when exactly one
        application has that display name. No match, or a display name that several applications share,
        fails and lists up to 30 names.
      - Resolved with C(GET /applications), every page of it, which costs one request per 100 applications
        the API key can see. O(app_id) costs no request.
      - Exactly one of O(app_id) and O(app_name) is required.
    type: str
    version_added: 0.2.0
"""

    # Selecting a process of that application. The argument spec is process_selector_spec() in module_utils/process.py.
    PROCESS = r"""
options:
  process_id:
    description:
      - ID of the process, a UUID.
      - Mutually exclusive with O(process_key).
    type: str
  process_key:
    description:
      - Key of the process within the application, as in its Procfile, for example V(web) or V(worker).
      - The key is looked up in the application's process list, all pages of it. An unknown key fails
        and lists the keys that exist.
      - Mutually exclusive with O(process_id).
    type: str
"""

    # The scope of environment variables: one application, or the company. The argument spec is scope_spec() in
    # module_utils/env_var.py.
    ENV_VAR_SCOPE = r"""
options:
  app_id:
    description:
      - ID of the application whose variables these are, a UUID.
      - Exactly one of O(app_id), O(app_name) and O(global=true) is required.
    type: str
    aliases:
      - application_id
  app_name:
    description:
      - Name of the application, instead of its ID. It is resolved as O(sevalla.cloud.sevalla_process#module:app_name)
        is, through C(GET /applications), one request per 100 applications.
      - Exactly one of O(app_id), O(app_name) and O(global=true) is required.
    type: str
  global:
    description:
      - V(true) selects the company-wide (global) variables, which every application inherits. A variable of an
        application overrides a global one with the same key.
      - >-
        Combined with O(app_id) or O(app_name), the task fails before any request. When C(module_defaults) sets
        O(app_id) or O(app_name) for the group C(sevalla.cloud.all), write C(app_name: "{{ omit }}") (or
        C(app_id: "{{ omit }}")) in the task next to O(global=true); see the examples.
    type: bool
    default: false
"""
