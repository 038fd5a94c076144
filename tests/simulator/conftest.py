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


@pytest.fixture(scope="module")
def server(request):
    running = start_simulator(**getattr(request.module, "SIMULATOR_OPTIONS", {}))
    yield running
    running.stop()


@pytest.fixture
def sim(server):
    requests.post(server.url + "/_simulator/reset", timeout=10).raise_for_status()
    return server
