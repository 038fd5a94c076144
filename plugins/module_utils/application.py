# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Applications: the path every application resource starts with, the app_id/app_name selector, and finding
an application by id or name."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sevalla.cloud.plugins.module_utils.base import (
    check_id_or_name,
    did_you_mean,
    listed_names,
)
from ansible_collections.sevalla.cloud.plugins.module_utils.client import (
    SevallaError,
    explain_not_found,
    shaped,
)

APPLICATIONS_PATH = "/applications"


class App:
    """An application as a task names it: its id for paths, its label for messages ("my-app (id)" when the
    task gave app_name, the id otherwise)."""

    def __init__(self, app_id, label=None):
        self.id = app_id
        self.label = label or app_id

    def __repr__(self):
        return "App(%r, %r)" % (self.id, self.label)

    def __eq__(self, other):
        return isinstance(other, App) and (self.id, self.label) == (other.id, other.label)

    def __hash__(self):
        return hash((self.id, self.label))

    def __str__(self):
        return self.label

    def path(self, *parts):
        """/applications/{id}, followed by the parts: the one place that builds an application's paths."""
        return "/".join((APPLICATIONS_PATH, self.id) + parts)


def application_selector_spec(required=True):
    """app_id or app_name, mutually exclusive; with required, exactly one of them.

    Keep in step with the APPLICATION doc fragment in doc_fragments/api.py."""
    spec = dict(
        app_id=dict(type="str", aliases=["application_id"]),
        app_name=dict(type="str"),
    )
    options = dict(mutually_exclusive=[("app_id", "app_name")])
    if required:
        options["required_one_of"] = [("app_id", "app_name")]
    return spec, options


def check_application_selector(params):
    check_id_or_name(params, "app_id", "app_name", 255)


def checked_application(body):
    return shaped(body, "an application", ("id", "name", "display_name"))


def list_applications(client):
    """Every application the API key can see, all pages, newest first (as the API orders them)."""
    return [checked_application(item) for item in client.list(APPLICATIONS_PATH)]


def get_application(client, app):
    """The full application object: one GET /applications/{id}."""
    try:
        return checked_application(client.get(app.path()))
    except SevallaError as error:
        raise explain_not_found(error, "Application %s" % app)


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
    names = [a["name"] for a in applications]
    raise SevallaError("app_name %r is neither the name nor the display name of an application.%s Names: %s"
                       % (app_name, did_you_mean(app_name, names + [a["display_name"] for a in applications]),
                          listed_names(names)))


def resolve_app(client, params):
    """The App that params' app_id or app_name names: free for an ID, the application list for a name.

    Call it once per task and pass the App on."""
    if params.get("app_id"):
        return App(params["app_id"], params["app_id"])
    application = match_application(list_applications(client), params["app_name"])
    return App(application["id"], "%s (%s)" % (params["app_name"], application["id"]))
