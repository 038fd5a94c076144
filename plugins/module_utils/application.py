# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Applications: paths, the response shape check, the app_id/app_name selector and finding one by id or name."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sevalla.cloud.plugins.module_utils.sevalla import (
    MAX_NAMES_LISTED,
    SevallaAPIError,
    SevallaError,
    check_length,
    check_uuid,
    explain_not_found,
)

APPLICATIONS_PATH = "/applications"


def application_selector_spec(required=True):
    """app_id or app_name, mutually exclusive; with required, exactly one of them.

    Keep in step with the app_id and app_name options of the process doc fragment."""
    spec = dict(
        app_id=dict(type="str", aliases=["application_id"]),
        app_name=dict(type="str"),
    )
    options = dict(mutually_exclusive=[("app_id", "app_name")])
    if required:
        options["required_one_of"] = [("app_id", "app_name")]
    return spec, options


def check_application_selector(params):
    if params.get("app_id") is not None:
        check_uuid("app_id", params["app_id"])
    if params.get("app_name") is not None:
        check_length("app_name", params["app_name"], 1, 255)


def application_path(app_id):
    return "%s/%s" % (APPLICATIONS_PATH, app_id)


def checked_application(body, method, path):
    """The body as an application, or a clear error when it is not shaped like one."""
    if not isinstance(body, dict) or not all(key in body for key in ("id", "name", "display_name")):
        raise SevallaAPIError(method, path, message="unexpected response shape: expected an application object "
                              "with id, name and display_name")
    return body


def list_applications(client):
    """Every application the API key can see, all pages, newest first (as the API orders them)."""
    return [checked_application(item, "GET", APPLICATIONS_PATH) for item in client.list(APPLICATIONS_PATH)]


def get_application(client, app_id):
    """The full application object: one GET /applications/{id}."""
    path = application_path(app_id)
    try:
        body = client.get(path)
    except SevallaAPIError as error:
        raise explain_not_found(error, "Application %s" % app_id)
    return checked_application(body, "GET", path)


def listed_names(names):
    """At most MAX_NAMES_LISTED names, comma-separated, with the count when there are more."""
    text = ", ".join(names[:MAX_NAMES_LISTED])
    if len(names) > MAX_NAMES_LISTED:
        text += ", ... (%d in all)" % len(names)
    return text


def match_application(applications, app_name):
    """The application whose unique name is app_name, else the one application with that display name."""
    for application in applications:
        if application["name"] == app_name:
            return application
    shared = [application for application in applications if application["display_name"] == app_name]
    if len(shared) == 1:
        return shared[0]
    if shared:
        raise SevallaError(
            "app_name %r is the display name of %d applications, so it does not name one: %s. Set app_name to one "
            "of these unique names, or use app_id" % (app_name, len(shared), listed_names([a["name"] for a in shared])))
    if not applications:
        raise SevallaError("app_name %r names no application: the API key sees no applications" % app_name)
    raise SevallaError("app_name %r is neither the name nor the display name of an application. Names: %s"
                       % (app_name, listed_names([a["name"] for a in applications])))


def find_application(client, app_id=None, app_name=None):
    """The application named by id (one GET, the full object) or by name (the list, every page, no extra GET).

    A name matches the unique `name` first, then a `display_name` that one application alone has."""
    if app_id:
        return get_application(client, app_id)
    return match_application(list_applications(client), app_name)


def resolve_app_id(client, params):
    """The application ID for params' app_id or app_name: free for an ID, the application list for a name.

    Call it once per task and pass the ID on."""
    if params.get("app_id"):
        return params["app_id"]
    return find_application(client, app_name=params["app_name"])["id"]
