# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""JSON Schema validation of path parameters, queries and bodies against the files in schemas/."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource

from .wire import NOT_JSON, ApiError, flatten_query

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
INTEGER = re.compile(r"^-?[0-9]+$")
MAX_REASONS = 4


def _load_registry():
    schemas = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        schemas[path.stem] = schema
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    return schemas, registry


SCHEMAS, REGISTRY = _load_registry()
VALIDATORS = {
    name: Draft202012Validator(schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for name, schema in SCHEMAS.items()
}


def schema_error(schema_name, instance, location):
    """A description of the most relevant violation of the schema, or None when the instance is valid."""
    error = best_match(VALIDATORS[schema_name].iter_errors(instance))
    if error is None:
        return None
    message = "%s: %s" % (_where(location, error), error.message)
    if error.context:  # oneOf/anyOf: say why each alternative failed
        reasons = sorted({"%s: %s" % (_where(location, sub), sub.message) for sub in error.context})
        message += " (%s)" % "; ".join(reasons[:MAX_REASONS])
    return message


def _where(location, error):
    return ".".join([location] + [str(part) for part in error.absolute_path])


def validate(schema_name, instance, location):
    """Raise a 400 ApiError naming the failing field when the instance does not match the schema."""
    problem = schema_error(schema_name, instance, location)
    if problem:
        raise ApiError(400, problem, "validation")


def validate_body(schema_name, body):
    """Check a parsed request body; a missing or unparsable body is a 400 as well."""
    if body is NOT_JSON:
        raise ApiError(400, "body: the request body is not valid JSON", "invalid-json")
    if body is None:
        raise ApiError(400, "body: a JSON object is required", "missing-body")
    validate(schema_name, body, "body")
    return body


def validate_no_body(body):
    """Routes that take no body accept none, or an empty JSON object; anything else is a 400."""
    if body is not None:
        validate_body("no_body", body)


def query_values(query):
    """A flattened query string with integer-looking values converted, ready for an integer-typed schema."""
    return {name: int(value) if isinstance(value, str) and INTEGER.match(value) else value
            for name, value in flatten_query(query).items()}
