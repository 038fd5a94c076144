# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every playbook under playbooks/ is a self-checking test: it asserts on results and the simulator's log."""

from __future__ import annotations

import pytest

from conftest import PLAYBOOKS, run_playbook

PLAYBOOK_NAMES = sorted(path.name for path in PLAYBOOKS.glob("*.yml"))


def test_playbooks_exist():
    assert PLAYBOOK_NAMES, "no integration playbooks found under %s" % PLAYBOOKS


@pytest.mark.parametrize("name", PLAYBOOK_NAMES)
def test_playbook(simulator, name):
    result = run_playbook(simulator, name)
    assert "failed=0" in result.stdout
