# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Calls the simulator tests make: an API request with a key (none when key is None), and a control hook."""

from __future__ import annotations

import json
from pathlib import Path

import requests

from simulator.server import DEFAULT_API_KEY

IDS = json.loads((Path(__file__).resolve().parent / "seed.json").read_text(encoding="utf-8"))["ids"]


def api(sim, method, path, key=DEFAULT_API_KEY, **kwargs):
    headers = {"Authorization": "Bearer " + key} if key else {}
    return requests.request(method, sim.api_url + path, headers=headers, timeout=30, **kwargs)


def control(sim, method, hook, **kwargs):
    return requests.request(method, sim.url + "/_simulator/" + hook, timeout=10, **kwargs)
