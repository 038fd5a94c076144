# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Request and response values passed between the HTTP layer and the handlers, and the API error shape."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Dict, List, Optional

# Short messages for the statuses the simulator produces; others use the standard reason phrase.
MESSAGES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    429: "Too many requests",
    500: "Internal server error",
}

NOT_JSON = object()  # marks a request body that is present but is not valid JSON


@dataclass
class Request:
    """One HTTP request as read from the socket."""

    method: str
    path: str
    query: Dict[str, List[str]]
    headers: Any
    raw_body: bytes
    request_id: str
    body: Any = None  # parsed JSON, None when empty, NOT_JSON when unparsable
    auth: str = "missing"
    role: Optional[str] = None
    epoch: int = 0  # the request log's epoch when the request arrived


@dataclass
class Response:
    """What to send back: a status, a body and headers, or nothing at all when drop is set."""

    status: int = 200
    body: bytes = b""
    headers: Dict[str, str] = field(default_factory=dict)
    drop: bool = False
    fault: Optional[str] = None


class ApiError(Exception):
    """An error answered in the API's error shape: message, status and data {code, message}."""

    def __init__(self, status, detail, code, message=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.message = message or status_message(status)
        self.headers = headers or {}  # sent with the error, over the rate-limit headers


def status_message(status):
    if status in MESSAGES:
        return MESSAGES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def json_response(payload, status=200):
    return Response(status=status, body=json.dumps(payload).encode("utf-8"))


def error_response(error, request_id):
    """The API error body; the code carries part of the request id so that it is unique-ish."""
    payload = {
        "message": error.message,
        "status": error.status,
        "data": {"code": "err-%s-%s" % (error.code, request_id[:8]), "message": error.detail},
    }
    return json_response(payload, error.status)


def flatten_query(query):
    """A parsed query string with single values unwrapped; repeated parameters stay lists."""
    return {name: values[0] if len(values) == 1 else values for name, values in query.items()}


def parse_body(raw_body):
    if not raw_body.strip():
        return None
    try:
        return json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return NOT_JSON
