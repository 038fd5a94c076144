# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every playbook under playbooks/ is a self-checking test: it asserts on results and the simulator's log."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import PLAYBOOKS, check_no_deprecation, run_playbook

PLAYBOOK_NAMES = sorted(path.name for path in PLAYBOOKS.glob("*.yml"))


def test_playbooks_exist():
    assert PLAYBOOK_NAMES, "no integration playbooks found under %s" % PLAYBOOKS


@pytest.mark.parametrize("name", PLAYBOOK_NAMES)
def test_playbook(simulator, name):
    result = run_playbook(simulator, name)
    assert "failed=0" in result.stdout


def test_a_deprecation_warning_fails_the_test():
    """check_no_deprecation (run_playbook and every other run of an ansible command) finds what this ansible-core
    shows for a deprecation."""
    shown = subprocess.run([sys.executable, "-c", "from ansible.utils.display import Display; "
                            "Display().deprecated('Something old', version='9.99')"],
                           capture_output=True, text=True, timeout=60, check=True)
    with pytest.raises(pytest.fail.Exception, match="Something old"):
        check_no_deprecation(["ansible-playbook"], shown.stdout, shown.stderr)
    check_no_deprecation(["ansible-playbook"], shown.stdout.replace("DEPRECATION", ""), shown.stderr.replace("DEPRECATION", ""))
