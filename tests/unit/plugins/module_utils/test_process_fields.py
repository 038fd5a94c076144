# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The process field model is one thing: create and update read the same options, rules and spellings."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import sys

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.sevalla.cloud.plugins.module_utils import process_fields as model
from ansible_collections.sevalla.cloud.plugins.module_utils.application import App
from ansible_collections.sevalla.cloud.plugins.module_utils.process_fields import plan_create, plan_update
from ansible_collections.sevalla.cloud.plugins.module_utils.client import SevallaError
from ansible_collections.sevalla.cloud.plugins.modules import sevalla_process

APP_ID = "fb5e5168-4281-4bec-94c5-0d1584e9e657"
S1_ID = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
SNAKE = dict(
    liveness_probe={"http_get": {"path": "/live", "port": 8080, "http_headers": [{"name": "X", "value": "1"}]},
                    "period_seconds": 5},
    scaling_strategy={"type": "horizontal", "config": {"min_instance_count": 1, "max_instance_count": 3}},
)
CAMEL = dict(
    liveness_probe={"httpGet": {"path": "/live", "port": 8080, "httpHeaders": [{"name": "X", "value": "1"}]},
                    "periodSeconds": 5},
    scaling_strategy={"type": "horizontal", "config": {"minInstanceCount": 1, "maxInstanceCount": 3}},
)


def validated(**options):
    """Options as AnsibleModule hands them to the module: aliases resolved, every unset option None."""
    result = ArgumentSpecValidator(model.field_spec(), **model.FIELD_OPTIONS).validate(options)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def test_the_module_takes_the_model_fields():
    spec, options = sevalla_process.module_spec()
    for name, option in model.field_spec().items():
        assert spec[name] == option, name
    assert ("resource_type", "resource_type_id") in options["mutually_exclusive"]
    assert set(model.FIELDS) <= set(spec)


@pytest.mark.parametrize("spelling", [SNAKE, CAMEL], ids=["snake_case", "camelCase"])
def test_both_spellings_give_the_api_names(spelling):
    assert model.desired_fields(validated(**spelling)) == CAMEL


def test_create_and_update_send_the_same_normalised_fields():
    params = dict(validated(type="web", display_name="Web", resource_type_id=S1_ID, port=8080, **SNAKE),
                  process_key="web")
    desired = model.desired_fields(params)
    body, later, predicted = plan_create(None, params, App(APP_ID), [], desired)
    current = {"id": "x", "key": "web", "type": "web", "display_name": "Old", "port": 8080,
               "liveness_probe": None, "scaling_strategy": None, "resource_type_id": S1_ID}
    changes, _after = plan_update(None, params, current, desired)
    assert body == dict(CAMEL, type="web", display_name="Web", resource_type_id=S1_ID, port=8080)
    assert later == {}
    assert changes == dict(CAMEL, display_name="Web")
    assert all(changes[name] == body[name] for name in changes)
    assert predicted == dict(body, app_id=APP_ID, key="web")


def test_patch_only_fields_are_split_from_the_create_body():
    body, later = model.split_create({"type": "web", "display_name": "Web", "is_ingress_enabled": False,
                                      "ingress_protocol": "grpc"})
    assert body == {"type": "web", "display_name": "Web"}
    assert later == {"is_ingress_enabled": False, "ingress_protocol": "grpc"}


@pytest.mark.parametrize("kind, option, value", [
    ("worker", "schedule", "* * * * *"),
    ("web", "time_zone", "UTC"),
    ("cron", "job_start_policy", "beforeDeployment"),
    ("job", "is_ingress_enabled", True),
    ("worker", "ingress_protocol", "http"),
    ("cron", "liveness_probe", {"exec": {"command": ["true"]}}),
    ("job", "readiness_probe", {"tcpSocket": {"port": 80}}),
])
def test_one_per_type_rule_for_create_and_update(kind, option, value):
    params = validated(type=kind, **{option: value})
    with pytest.raises(SevallaError) as for_create:
        model.check_fields(params)
    assert "A %s process does not take these options: %s" % (kind, option) in str(for_create.value)
    desired = model.desired_fields(dict(params, type=None))
    with pytest.raises(SevallaError) as for_update:
        model.check_type_rules(kind, desired, "Process 'p' is a %s process and" % kind)
    assert "%s (%s only)" % (option, model.FIELD_PROCESS_TYPE[option]) in str(for_update.value)


@pytest.mark.parametrize("kind, option, value", [
    ("cron", "schedule", "* * * * *"),
    ("cron", "time_zone", "UTC"),
    ("job", "job_start_policy", "beforeDeployment"),
    ("web", "ingress_protocol", "grpc"),
    ("web", "liveness_probe", {"exec": {"command": ["true"]}}),
])
def test_fields_of_the_right_type_pass(kind, option, value):
    model.check_fields(validated(type=kind, **{option: value}))


@pytest.mark.parametrize("options, missing", [
    (dict(), ["type", "display_name", "resource_type or resource_type_id", "scaling_strategy"]),
    (dict(type="worker", display_name="W", resource_type="s1"), ["scaling_strategy"]),
    (dict(type="cron", display_name="C", resource_type_id=S1_ID, scaling_strategy=CAMEL["scaling_strategy"]),
     ["schedule (for a cron process)"]),
    (dict(type="job", scaling_strategy=CAMEL["scaling_strategy"]),
     ["display_name", "resource_type or resource_type_id", "job_start_policy (for a job process)"]),
    (dict(type="worker", display_name="W", resource_type="s1", scaling_strategy=CAMEL["scaling_strategy"]), []),
])
def test_what_a_create_needs(options, missing):
    assert model.missing_for_create(validated(**options)) == missing


@pytest.mark.parametrize("options, message", [
    (dict(port=0), "port must be between 1 and 65535"),
    (dict(display_name=""), "display_name must be 1 to 255 characters long"),
    (dict(scaling_strategy={"type": "manual", "config": {"instanceCount": 51}}),
     "scaling_strategy.config.instanceCount must be between 0 and 50"),
    (dict(liveness_probe={"tcp_socket": {"port": 70000}}), "liveness_probe.tcpSocket.port must be between 1 and 65535"),
    (dict(resource_type_id="s1"), "resource_type_id must be a UUID"),
])
def test_ranges_are_checked_once_for_every_use(options, message):
    with pytest.raises(SevallaError) as caught:
        model.check_fields(validated(**options))
    assert message in str(caught.value)


def test_a_different_type_is_refused():
    with pytest.raises(SevallaError) as caught:
        model.check_same_type({"key": "worker", "type": "worker"}, {"type": "cron"})
    assert "the type of a process cannot change" in str(caught.value) and "delete it" in str(caught.value)
    model.check_same_type({"key": "worker", "type": "worker"}, {"type": "worker"})
    model.check_same_type({"key": "worker", "type": "worker"}, {})


def test_described_is_the_model_view_of_a_process():
    process = {"id": "x", "key": "clock", "type": "cron", "display_name": "Clock", "schedule": "0 * * * *",
               "port": None, "liveness_probe": None, "resource_type_name": "s1",
               "scaling_strategy": {"type": "manual", "config": {"instanceCount": 1, "maxInstanceCount": None}},
               "internal_hostname": "h", "created_at": "t"}
    assert model.described(process) == {
        "key": "clock", "type": "cron", "display_name": "Clock", "schedule": "0 * * * *", "resource_type_name": "s1",
        "scaling_strategy": {"type": "manual", "config": {"instanceCount": 1}}}


# ---------------------------------------------------------------------------
# schedule and time_zone, checked before any request.

@pytest.mark.parametrize("schedule", [
    "* * * * *", "0 */6 * * *", "15 */6 * * *", "0 2 * * *", "*/5 * * * *", "0,30 9-17 * * 1-5",
    "0 0 1 JAN *", "0 0 * jan-Jun MON-fri", "0 0 * * 0", "0 0 * * 7", "0 0 31 12 SUN", "59 23 1-31/2 */3 0-7",
    "1/5 * * * *", "0 9-17/2 * * *", "  0   2 * * *  ",
])
def test_a_five_field_cron_expression_is_accepted(schedule):
    model.check_schedule(schedule)


@pytest.mark.parametrize("schedule, message", [
    ("every 5 minutes", "a cron expression of five fields, minute hour day-of-month month day-of-week, for "
                        "example '0 */6 * * *'; got 'every 5 minutes', which has 3 fields"),
    ("", "which has 0 fields"),
    ("@daily", "which has 1 field"),
    ("0 0 0 * * *", "which has 6 fields"),
    ("61 * * * *", "the minute field takes 0 to 59, got 61"),
    ("0 24 * * *", "the hour field takes 0 to 23, got 24"),
    ("0 0 0 * *", "the day of month field takes 1 to 31, got 0"),
    ("0 0 32 * *", "the day of month field takes 1 to 31, got 32"),
    ("0 0 * 13 *", "the month field takes 1 to 12, got 13"),
    ("0 0 * * 8", "the day of week field takes 0 to 7, got 8"),
    ("0 0 * FOO *", "the month field has 'FOO', which is not a number or a name JAN to DEC"),
    ("0 0 * * MONDAY", "the day of week field has 'MONDAY', which is not a number or a name SUN to SAT"),
    ("0 MON * * *", "the hour field has 'MON', which is not a number"),
    ("5-1 * * * *", "the minute field has the range '5-1', which runs backwards"),
    ("*/0 * * * *", "the minute field has the step '*/0': a step is 1 or more"),
    ("0,,30 * * * *", "the minute field has an empty item"),
    ("0 9-17/ * * *", "the hour field has '9-17/', which is not *"),
    ("-1 * * * *", "the minute field has '-1', which is not *"),
    ("? * * * *", "the minute field has '?'"),
])
def test_a_schedule_that_is_no_cron_expression_fails_naming_the_field(schedule, message):
    with pytest.raises(SevallaError) as raised:
        model.check_schedule(schedule)
    assert message in str(raised.value)


@pytest.mark.parametrize("time_zone", ["Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata", "", None])
def test_an_iana_time_zone_is_accepted(time_zone):
    model.check_time_zone(time_zone)


def test_a_time_zone_outside_the_zone_database_fails_with_the_closest_names():
    if not model.known_time_zones():
        pytest.skip("this Python has no IANA zone database")
    with pytest.raises(SevallaError) as raised:
        model.check_time_zone("Europe/Pariss")
    assert "time_zone must be an IANA time zone name" in str(raised.value)
    assert "Did you mean 'Europe/Paris'" in str(raised.value)


class EmptyZoneInfo:
    """zoneinfo on a Python without tzdata: the module exists, the database is empty."""

    @staticmethod
    def available_timezones():
        return set()


@pytest.mark.parametrize("zoneinfo", [None, EmptyZoneInfo], ids=["no zoneinfo", "no tzdata"])
def test_without_a_zone_database_time_zone_is_not_checked(monkeypatch, zoneinfo):
    monkeypatch.setitem(sys.modules, "zoneinfo", zoneinfo)  # None: as if the module could not be imported
    assert not model.known_time_zones()
    model.check_time_zone("Mars/Olympus")
