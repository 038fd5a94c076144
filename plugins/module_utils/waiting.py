# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one wait loop of the collection: poll until a final state or a monotonic deadline."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time


def wait_until(read, is_final, timeout, interval, sleep=time.sleep, clock=time.monotonic):
    """Call read() every `interval` seconds until is_final(value) is true or `timeout` seconds have passed.

    The first read comes one interval after the call (the caller already holds a fresh value). Each sleep is
    min(interval, time left), so the last read happens at the deadline. read() is expected to retry what is
    safe to retry itself (the API client does); an exception from it ends the wait and propagates.

    Returns (value, finished, elapsed): the last value read, whether it is final, and the seconds waited."""
    start = clock()
    deadline = start + timeout
    while True:
        sleep(max(0.0, min(interval, deadline - clock())))
        value = read()
        finished = bool(is_final(value))
        now = clock()
        if finished or now >= deadline:
            return value, finished, now - start
