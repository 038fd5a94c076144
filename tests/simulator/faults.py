# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults: rules that make the next matching API requests slow, fail, or vanish."""

from __future__ import annotations

import copy
import re
import threading

DEFAULTS = {"method": "*", "path": "", "count": 1}


def fault_kind(rule):
    """A label for the log: the effects the rule applies, joined by '+'."""
    kinds = [name for name in ("delay", "drop", "body", "status") if rule.get(name)]
    return "+".join(kinds) or None


class FaultBook:
    """Active fault rules in registration order; the first rule matching a request is used and counted down."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []

    def add(self, rule):
        rule = dict(DEFAULTS, **rule)
        with self.lock:
            self.rules.append(rule)
            return copy.deepcopy(rule)

    def list(self):
        with self.lock:
            return copy.deepcopy(self.rules)

    def clear(self):
        with self.lock:
            self.rules = []

    def take(self, method, path):
        """The first rule matching the request, with its count used once; None when none matches."""
        with self.lock:
            for rule in self.rules:
                if rule["method"] in ("*", method) and re.search(rule["path"], path):
                    rule["count"] -= 1
                    if rule["count"] <= 0:
                        self.rules.remove(rule)
                    return copy.deepcopy(rule)
        return None
