# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a module's main() in-process with given arguments and capture its exit or failure."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

try:  # ansible-core 2.19 and later
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.17 and 2.18
    patch_module_args = None

API = "https://api.sevalla.com/v3"
API_KEY = "unit-test-secret-key"


class ModuleExit(Exception):
    """Raised instead of exiting, carrying the module's result."""

    def __init__(self, result):
        super(ModuleExit, self).__init__(result)
        self.result = result


@contextlib.contextmanager
def module_args(args):
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    old = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = old


@pytest.fixture
def run_module(monkeypatch):
    """run_module(module, args, check_mode=False, diff=False) -> result dict, with 'failed' set."""

    def exit_json(self, **result):
        result.setdefault("failed", False)
        raise ModuleExit(result)

    def fail_json(self, msg, **result):
        result.update(msg=msg, failed=True)
        raise ModuleExit(result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setenv("SEVALLA_API_KEY", API_KEY)
    monkeypatch.delenv("SEVALLA_API_URL", raising=False)

    def run(module, args, check_mode=False, diff=False):
        full_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with module_args(full_args):
            with pytest.raises(ModuleExit) as caught:
                module.main()
        result = caught.value.result
        assert API_KEY not in json.dumps(result), "the API key leaked into the result"
        return result

    return run


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    """Retries wait through time.sleep; tests should not."""
    from ansible_collections.sevalla.cloud.plugins.module_utils import client as sevalla
    delays = []
    monkeypatch.setattr(sevalla.time, "sleep", delays.append)
    return delays
