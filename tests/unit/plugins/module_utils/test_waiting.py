# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for wait_until, on a fake clock: no test really sleeps."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sevalla.cloud.plugins.module_utils.waiting import wait_until


class FakeTime:
    """A clock that only moves when slept on, plus a read() that returns scripted values and notes when."""

    def __init__(self, values, read_cost=0.0):
        self.now = 100.0
        self.sleeps = []
        self.reads = []
        self.values = list(values)
        self.read_cost = read_cost

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def read(self):
        self.now += self.read_cost
        self.reads.append(self.now - 100.0)
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


def wait(fake, timeout, interval):
    return wait_until(fake.read, lambda value: value == "done", timeout, interval, sleep=fake.sleep, clock=fake.clock)


def test_reads_every_interval_until_final():
    fake = FakeTime(["running", "running", "done"])
    assert wait(fake, 60, 10) == ("done", True, 30.0)
    assert fake.reads == [10.0, 20.0, 30.0]
    assert fake.sleeps == [10, 10, 10]


def test_first_read_comes_after_one_interval():
    fake = FakeTime(["done"])
    assert wait(fake, 60, 5) == ("done", True, 5.0)
    assert fake.reads == [5.0]


def test_last_read_is_at_the_deadline_and_times_out():
    fake = FakeTime(["running"])
    value, finished, elapsed = wait(fake, 25, 10)
    assert (value, finished, elapsed) == ("running", False, 25.0)
    assert fake.sleeps == [10, 10, 5], "the last sleep is only the time left"
    assert fake.reads == [10.0, 20.0, 25.0]


def test_final_at_the_deadline_read_counts_as_finished():
    fake = FakeTime(["running", "running", "done"])
    assert wait(fake, 25, 10) == ("done", True, 25.0)


def test_slow_reads_use_up_the_time_left():
    fake = FakeTime(["running"], read_cost=4.0)
    _value, finished, elapsed = wait(fake, 20, 10)
    assert not finished
    assert fake.sleeps == [10, 6], "a read's own time counts against the deadline"
    assert elapsed == 24.0 and len(fake.reads) == 2


def test_interval_equal_to_timeout_reads_once():
    fake = FakeTime(["running"])
    assert wait(fake, 10, 10) == ("running", False, 10.0)
    assert fake.reads == [10.0]


def test_reads_at_most_ceil_duration_over_interval_plus_one():
    for duration in range(1, 40):
        for interval in (1, 3, 10):
            fake = FakeTime([])
            fake.read = lambda fake=fake: fake.reads.append(fake.now) or ("done" if fake.now - 100.0 >= duration else "running")
            wait(fake, 1000, interval)
            assert len(fake.reads) <= -(-duration // interval) + 1


def test_an_error_from_read_ends_the_wait():
    fake = FakeTime(["running"])

    def failing_read():
        if fake.now >= 120.0:
            raise RuntimeError("poll failed")
        return fake.read()

    with pytest.raises(RuntimeError, match="poll failed"):
        wait_until(failing_read, lambda value: False, 60, 10, sleep=fake.sleep, clock=fake.clock)
    assert fake.sleeps == [10, 10]
