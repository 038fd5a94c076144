# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixed-window rate limiting per API key, with separate buckets for reads and mutations."""

from __future__ import annotations

import math
import threading
import time

WINDOW_SECONDS = 60
UNLIMITED_REPORTED = 1000  # the limit advertised when no limit is enforced


def bucket_kind(method):
    return "read" if method == "GET" else "mutation"


class RateLimiter:
    """Counts requests per (key role, bucket kind) in 60 s windows; a limit of 0 never blocks."""

    def __init__(self, mutation_limit=0, read_limit=0, clock=time.monotonic):
        self.limits = {"mutation": mutation_limit, "read": read_limit}
        self.initial_limits = dict(self.limits)
        self.clock = clock
        self.lock = threading.Lock()
        self.windows = {}  # (role, kind) -> [window start, count]

    def configure(self, mutation_limit=None, read_limit=None):
        with self.lock:
            if mutation_limit is not None:
                self.limits["mutation"] = mutation_limit
            if read_limit is not None:
                self.limits["read"] = read_limit
            return {"mutation_limit": self.limits["mutation"], "read_limit": self.limits["read"]}

    def reset(self):
        """Forget every window and go back to the limits the simulator started with."""
        with self.lock:
            self.windows.clear()
            self.limits = dict(self.initial_limits)

    def hit(self, role, method):
        """Count one request; return (allowed, headers)."""
        kind = bucket_kind(method)
        with self.lock:
            window = self._window(role, kind)
            limit = self.limits[kind]
            allowed = not limit or window[1] < limit
            if allowed:
                window[1] += 1
            return allowed, self._headers(kind, window)

    def peek(self, role, method):
        """The headers for a request that is not counted (rejected before the rate-limit step)."""
        kind = bucket_kind(method)
        with self.lock:
            return self._headers(kind, self._window(role, kind))

    def _window(self, role, kind):
        now = self.clock()
        window = self.windows.get((role, kind))
        if window is None or now >= window[0] + WINDOW_SECONDS:
            window = self.windows[(role, kind)] = [now, 0]
        return window

    def _headers(self, kind, window):
        limit = self.limits[kind] or UNLIMITED_REPORTED
        reset = max(1, math.ceil(window[0] + WINDOW_SECONDS - self.clock()))
        return {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(max(0, limit - window[1])),
            "x-ratelimit-reset": str(reset),
        }


CREATION_WINDOW_SECONDS = 3600


class CreationLimit:
    """Process creations per company in a sliding hour (the API: 20 services per hour); 0 never blocks.

    One company owns every key of the simulator, so all keys share the count."""

    def __init__(self, limit=0, clock=time.monotonic):
        self.limit = limit
        self.initial_limit = limit
        self.clock = clock
        self.lock = threading.Lock()
        self.created = []  # monotonic times of the creations in the last hour

    def configure(self, creation_limit=None):
        with self.lock:
            if creation_limit is not None:
                self.limit = creation_limit
            return {"creation_limit": self.limit}

    def reset(self):
        with self.lock:
            self.created = []
            self.limit = self.initial_limit

    def take(self):
        """Count one creation and return None, or return the seconds until the next one is allowed."""
        with self.lock:
            now = self.clock()
            self.created = [moment for moment in self.created if moment > now - CREATION_WINDOW_SECONDS]
            if self.limit and len(self.created) >= self.limit:
                return max(1, math.ceil(self.created[0] + CREATION_WINDOW_SECONDS - now))
            self.created.append(now)
            return None


class LogReadLimit:
    """Runtime and access log reads per company in fixed 60 s windows (the API: about 30 a minute); 0 never blocks.

    One company owns every key of the simulator, so all keys share the count."""

    def __init__(self, limit=0, clock=time.monotonic):
        self.limit = limit
        self.initial_limit = limit
        self.clock = clock
        self.lock = threading.Lock()
        self.window = None  # [window start, count]

    def configure(self, log_limit=None):
        with self.lock:
            if log_limit is not None:
                self.limit = log_limit
            return {"log_limit": self.limit}

    def reset(self):
        with self.lock:
            self.window = None
            self.limit = self.initial_limit

    def hit(self):
        """Count one read; return (allowed, headers). The headers describe this window, and are empty when off."""
        with self.lock:
            now = self.clock()
            if self.window is None or now >= self.window[0] + WINDOW_SECONDS:
                self.window = [now, 0]
            if not self.limit:
                return True, {}
            allowed = self.window[1] < self.limit
            if allowed:
                self.window[1] += 1
            reset = max(1, math.ceil(self.window[0] + WINDOW_SECONDS - now))
            headers = {"x-ratelimit-limit": str(self.limit), "x-ratelimit-remaining": str(self.limit - self.window[1]),
                       "x-ratelimit-reset": str(reset)}
            if not allowed:
                headers["Retry-After"] = str(reset)
            return allowed, headers
