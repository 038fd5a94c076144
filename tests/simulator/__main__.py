# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Command line: PYTHONPATH=tests python -m simulator --host 127.0.0.1 --port 0 [options].

Prints SEVALLA_SIMULATOR_URL=http://127.0.0.1:PORT once listening, then a line a shell can eval,
export SEVALLA_API_URL=http://127.0.0.1:PORT/v3 SEVALLA_API_KEY=<full-access key>, and serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import tempfile
import threading

from .deployments import DEFAULT_DURATION
from .server import DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY, HOST, start_simulator


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m simulator", description="Local Sevalla API simulator.")
    parser.add_argument("--host", default=HOST, help="address to bind; only %s is accepted" % HOST)
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    parser.add_argument("--url-file", help="also write the base URL to this file (atomically)")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="full-access API key")
    parser.add_argument("--readonly-api-key", default=DEFAULT_READONLY_API_KEY, help="read-only API key")
    parser.add_argument("--mutation-limit", type=int, default=0,
                        help="PATCH/PUT/POST/DELETE requests per key and minute; 0 = unlimited")
    parser.add_argument("--read-limit", type=int, default=0, help="GET requests per key and minute; 0 = unlimited")
    parser.add_argument("--creation-limit", type=int, default=0,
                        help="process creations per hour, for all keys together (the API allows 20); 0 = unlimited")
    parser.add_argument("--log-limit", type=int, default=0,
                        help="runtime and access log reads per minute, for all keys together (the API allows about 30); 0 = unlimited")
    parser.add_argument("--deployment-duration", type=float, default=DEFAULT_DURATION,
                        help="seconds a deployment takes from waiting to its final status (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.host != HOST:
        parser.error("--host must be %s; the simulator listens on the loopback address only" % HOST)
    if min(args.port, args.mutation_limit, args.read_limit, args.creation_limit, args.log_limit, args.deployment_duration) < 0:
        parser.error("--port, --mutation-limit, --read-limit, --creation-limit, --log-limit and --deployment-duration "
                     "must not be negative")
    return args


def write_atomically(path, text):
    """Write to a temporary file next to path, then rename it into place."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".simulator-url-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def main(argv=None):
    args = parse_args(argv)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    running = start_simulator(api_key=args.api_key, readonly_api_key=args.readonly_api_key,
                              mutation_limit=args.mutation_limit, read_limit=args.read_limit, port=args.port,
                              creation_limit=args.creation_limit, deployment_duration=args.deployment_duration,
                              log_limit=args.log_limit)
    if args.url_file:
        write_atomically(args.url_file, running.url)
    sys.stdout.write("SEVALLA_SIMULATOR_URL=%s\n" % running.url)
    sys.stdout.write("export SEVALLA_API_URL=%s SEVALLA_API_KEY=%s\n" % (shlex.quote(running.api_url), shlex.quote(args.api_key)))
    sys.stdout.flush()
    while not stopping.wait(1):
        pass
    running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
