# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator the tests of this folder talk to over HTTP: one per test file, reset before every test.

A test file sets SIMULATOR_OPTIONS (start_simulator's keyword arguments) to start it differently."""

from __future__ import annotations

import pytest
import requests

from simulator.server import start_simulator
from simulator.state import SimulatorState


@pytest.fixture(scope="module")
def server(request):
    running = start_simulator(**getattr(request.module, "SIMULATOR_OPTIONS", {}))
    yield running
    running.stop()


@pytest.fixture
def sim(server):
    requests.post(server.url + "/_simulator/reset", timeout=10).raise_for_status()
    return server


class FakeClock:
    """A clock that stands still until a test moves `now`."""

    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def book():
    """The deployments of a fresh state on a fake clock, with deployments of 4 s (1 s waiting, 3 s inProgress)."""
    state = SimulatorState(deployment_duration=4.0)
    state.deployments.clock = FakeClock()
    return state.deployments
