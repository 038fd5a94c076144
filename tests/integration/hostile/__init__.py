# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small hostile HTTP server on 127.0.0.1: answers that a broken network or an attacker would give.

The scenario is the first path segment of the API URL, http://127.0.0.1:PORT/<scenario>/v3, so every task
picks its own fault and tests can run in parallel against one server. Every request is logged with the
time it arrived and ended and the bytes the server managed to send. Each loop that sends stops by itself:
after a fixed number of bytes or seconds, or when the client goes away.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

APP = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
PROCESS = "0c2d1a7e-5f6b-4c1d-9e8f-7a6b5c4d3e2f"
PROCESS_PATH = "/v3/applications/%s/processes/%s" % (APP, PROCESS)
LIST_PATH = "/v3/applications/%s/processes" % APP
EXEC_PATH = PROCESS_PATH + "/exec"
MIB = 1024 * 1024
DRIP_LIMIT_SECONDS = 30
HUGE_BYTES = 256 * MIB
BOMB_BYTES = 4096 * MIB
SEND_PIECE = 64 * 1024


def process(index=0, key="web"):
    return {"id": PROCESS if index == 0 else "%08d-0000-4000-8000-000000000000" % index, "app_id": APP,
            "key": key, "type": "web", "display_name": "Web %d" % index, "port": 8080}


def gzip_bomb():
    """BOMB_BYTES of zeros as gzip: one member of 1 MiB compressed (about 1 KiB), repeated; clients decode
    concatenated members as one body."""
    return gzip.compress(b"\0" * MIB, 9) * (BOMB_BYTES // MIB)


class Entry(dict):
    """One request as the server saw it."""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "HostileServer"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the log is self.server.log."""

    def do_GET(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def handle_any(self):
        path, query = (self.path.split("?", 1) + [""])[:2]
        scenario, api_path = (path.lstrip("/").split("/", 1) + [""])[:2]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        entry = Entry(scenario=scenario, method=self.command, path="/" + api_path, query=query,
                      authorization=self.headers.get("Authorization"), body=body.decode("utf-8", "replace"),
                      arrived=time.monotonic(), ended=None, sent=0, outcome="answered")
        self.server.record(entry)
        self.entry = entry
        try:
            self.server.answer(self, scenario, entry)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            entry["outcome"] = "client went away"
        finally:
            entry["ended"] = time.monotonic()
            self.close_connection = True

    # Helpers for the scenarios ------------------------------------------------------

    def head(self, status, headers=None, length=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()

    def send(self, data):
        self.wfile.write(data)
        self.wfile.flush()
        self.entry["sent"] += len(data)

    def gone_within(self, seconds):
        """Wait up to seconds; True as soon as the client has closed the connection."""
        readable = select.select([self.connection], [], [], seconds)[0]
        if readable and not self.connection.recv(1, socket.MSG_PEEK):
            self.entry["outcome"] = "client went away"
            return True
        return False

    def json(self, value, status=200, headers=None):
        data = json.dumps(value).encode()
        self.head(status, dict({"Content-Type": "application/json"}, **(headers or {})), len(data))
        self.send(data)

    def text(self, data, status=200, headers=None):
        self.head(status, dict({"Content-Type": "application/json"}, **(headers or {})), len(data))
        self.send(data)

    def normal(self):
        """What the API would answer to a well-formed request."""
        entry = self.entry
        if entry["path"] == PROCESS_PATH and entry["method"] in ("GET", "PATCH"):
            return self.json(process())
        if entry["path"] == LIST_PATH:
            return self.json({"data": [process()], "total": 1})
        if entry["path"] == EXEC_PATH:
            return self.json({"stdout": "ok\n", "stderr": "", "exit_code": 0})
        return self.json({"message": "Not found", "status": 404}, status=404)


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, scenarios, other=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.scenarios = scenarios
        self.other = other
        self.log = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]

    def api_url(self, scenario):
        return "%s/%s/v3" % (self.url, scenario)

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def requests(self, scenario=None):
        with self.lock:
            return [dict(entry) for entry in self.log if scenario is None or entry["scenario"] == scenario]

    def answer(self, handler, scenario, entry):
        name, argument = (scenario.split("~", 1) + [""])[:2]
        action = self.scenarios.get(name)
        if action is None:
            return handler.normal()
        return action(self, handler, entry, argument)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()
        self.thread.join(10)


# Scenarios: name -> action(server, handler, entry, argument). The argument is what follows "~" in the name.

def redirect(server, handler, entry, argument):
    """Answer the request named by the argument (GET, PATCH or POST) with a redirect to the other host."""
    status, method = argument.split("-", 1)
    if entry["method"] != method.upper():
        return handler.normal()
    handler.head(int(status), {"Location": server.other.url + "/v3/stolen" + entry["path"]}, 0)


def drip(server, handler, entry, argument):
    """A 200 whose body comes one byte a second, for at most DRIP_LIMIT_SECONDS."""
    handler.head(200, {"Content-Type": "application/json"}, DRIP_LIMIT_SECONDS + 2)
    handler.send(b'"')
    ended = time.monotonic() + DRIP_LIMIT_SECONDS
    while time.monotonic() < ended:
        if handler.gone_within(1):
            return
        handler.send(b" ")
    handler.send(b'"')


def drip_headers(server, handler, entry, argument):
    """A status line, then one header byte a second, for at most DRIP_LIMIT_SECONDS."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    ended = time.monotonic() + DRIP_LIMIT_SECONDS
    while time.monotonic() < ended:
        handler.send(b"a")
        if handler.gone_within(1):
            return


def huge(server, handler, entry, argument):
    """A 200 exec answer of HUGE_BYTES, streamed without a length (argument 'length': with its length)."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_PIECE)
    headers = {"Content-Type": "application/json"}
    if argument == "length":
        handler.head(200, headers, HUGE_BYTES)
    else:
        handler.head(200, headers)
    handler.send(b'{"exit_code": 0, "stderr": "", "stdout": "')
    piece = b"x" * SEND_PIECE
    while entry["sent"] < HUGE_BYTES - 2 * SEND_PIECE:
        handler.send(piece)
    handler.send(b'"}')


def bomb(server, handler, entry, argument):
    """A 200 whose gzip body decompresses to BOMB_BYTES."""
    data = BOMB
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_PIECE)
    handler.head(200, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, len(data))
    for start in range(0, len(data), SEND_PIECE):
        handler.send(data[start:start + SEND_PIECE])


def pages(server, handler, entry, argument):
    """The process list, told wrongly: 'endless' (a page of one, total 10**9), 'short' (empty before the
    total), 'over' (more items than the total)."""
    if entry["path"] != LIST_PATH:
        return handler.normal()
    if argument == "endless":
        return handler.json({"data": [process(1, "worker")], "total": 10 ** 9})
    if argument == "short":
        offset = int(parse_qs(entry["query"]).get("offset", ["0"])[0])
        return handler.json({"data": [] if offset else [process(1, "worker")], "total": 5})
    return handler.json({"data": [process(1, "worker"), process(2, "cron")], "total": 1})


def retry_after(server, handler, entry, argument):
    """The first request of the scenario gets a 429 with the header the argument names; then normal answers."""
    if len(server.requests(entry["scenario"])) > 1:
        return handler.normal()
    headers = {
        "negative": {"Retry-After": "-5"},
        "nan": {"Retry-After": "NaN"},
        "inf": {"Retry-After": "inf"},
        "reset-negative": {"x-ratelimit-reset": "-1"},
        "reset-inf": {"x-ratelimit-reset": "Infinity"},
        "date": {"Retry-After": email.utils.formatdate(time.time() + 3, usegmt=True)},
    }[argument]
    handler.json({"message": "Too many requests", "status": 429}, status=429, headers=headers)


def surrogates(server, handler, entry, argument):
    """An exec answer whose output holds lone surrogates, as JSON escapes."""
    if entry["path"] != EXEC_PATH:
        return handler.normal()
    handler.text(b'{"stdout": "before \\ud800 after\\n", "stderr": "\\udfff", "exit_code": 0}')


BOMB = gzip_bomb()
SCENARIOS = {
    "redirect": redirect,
    "drip": drip,
    "drip-headers": drip_headers,
    "huge": huge,
    "bomb": bomb,
    "pages": pages,
    "retry-after": retry_after,
    "surrogates": surrogates,
}


def start_servers():
    """The hostile server, and the other host its redirects point at (which must never see a request)."""
    other = HostileServer({}).start()
    return HostileServer(SCENARIOS, other=other).start(), other
