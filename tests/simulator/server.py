# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP layer of the simulator and the in-process entry point, start_simulator()."""

from __future__ import annotations

import threading
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import control
from .api import ApiService
from .deployments import DEFAULT_DURATION
from .faults import FaultBook
from .limits import CreationLimit, LogReadLimit, RateLimiter
from .requestlog import RequestLog
from .state import SimulatorState
from .wire import ApiError, Request, error_response, parse_body

HOST = "127.0.0.1"
DEFAULT_API_KEY = "sevalla-simulator-key"
DEFAULT_READONLY_API_KEY = "sevalla-simulator-readonly-key"


class Simulator:
    """Everything the handlers share: state, rate limiter, fault rules and request log."""

    def __init__(self, api_key, readonly_api_key, mutation_limit=0, read_limit=0, creation_limit=0,
                 deployment_duration=DEFAULT_DURATION, log_limit=0):
        self.creations = CreationLimit(creation_limit)
        self.log_reads = LogReadLimit(log_limit)
        self.state = SimulatorState(deployment_duration=deployment_duration, creations=self.creations,
                                    log_reads=self.log_reads)
        self.limiter = RateLimiter(mutation_limit=mutation_limit, read_limit=read_limit)
        self.faults = FaultBook()
        self.log = RequestLog()
        self.api = ApiService(self.state, self.limiter, self.faults, {readonly_api_key: "readonly", api_key: "full"})

    def reset(self):
        self.state.reset()
        self.log.clear()
        self.faults.clear()
        self.limiter.reset()
        self.creations.reset()
        self.log_reads.reset()


class Handler(BaseHTTPRequestHandler):
    """Reads one request, hands it to the control hooks or the API, and writes (or drops) the answer."""

    protocol_version = "HTTP/1.1"
    server_version = "SevallaSimulator/1.0"
    timeout = 120  # idle keep-alive connections are closed after this many seconds

    def do_GET(self):
        self.dispatch()

    do_HEAD = do_PATCH = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, *args):
        """Keep the console quiet; the request log is the record."""

    def dispatch(self):
        simulator = self.server.simulator
        request = self.read_request()
        request.epoch = simulator.log.epoch
        if request.path.startswith(control.PREFIX):
            self.send(control.handle(simulator, request), request)
            return
        try:
            response = simulator.api.handle(request)
        except Exception as error:  # pylint: disable=broad-except
            detail = "simulator bug: %s\n%s" % (error, traceback.format_exc())
            response = error_response(ApiError(500, detail, "simulator-bug"), request.request_id)
        simulator.log.record(request, response)  # before answering: a client holding the answer finds it logged
        try:
            self.send(response, request)
        except ConnectionError:  # the client left before the answer (e.g. its timeout ran out)
            self.close_connection = True

    def read_request(self):
        url = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length, self.close_connection = 0, True
        raw_body = self.rfile.read(length) if length > 0 else b""
        request = Request(method=self.command, path=url.path, query=parse_qs(url.query, keep_blank_values=True),
                          headers=self.headers, raw_body=raw_body, request_id=str(uuid.uuid4()))
        request.body = parse_body(raw_body)
        return request

    def send(self, response, request):
        if response.drop:
            self.close_connection = True
            return
        self.send_response(response.status)
        headers = {"content-type": "application/json", "x-request-id": request.request_id}
        headers.update(response.headers)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)


class SimulatorHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that carries the simulator for its handlers."""

    daemon_threads = True

    def __init__(self, port, simulator):
        super().__init__((HOST, port), Handler)
        self.simulator = simulator


class RunningSimulator:
    """A simulator serving in a daemon thread; .url, .api_url, .simulator and .stop()."""

    def __init__(self, httpd):
        self.httpd = httpd
        self.simulator = httpd.simulator
        self.port = httpd.server_address[1]
        self.url = "http://%s:%d" % (HOST, self.port)
        self.api_url = self.url + "/v3"
        self.thread = threading.Thread(target=httpd.serve_forever, name="sevalla-simulator", daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def start_simulator(api_key=DEFAULT_API_KEY, readonly_api_key=DEFAULT_READONLY_API_KEY, mutation_limit=0, read_limit=0, port=0,
                    creation_limit=0, deployment_duration=DEFAULT_DURATION, log_limit=0):
    """Serve a fresh simulator on 127.0.0.1 (port 0: any free port) in a daemon thread."""
    simulator = Simulator(api_key, readonly_api_key, mutation_limit=mutation_limit, read_limit=read_limit,
                          creation_limit=creation_limit, deployment_duration=deployment_duration, log_limit=log_limit)
    return RunningSimulator(SimulatorHTTPServer(port, simulator))
