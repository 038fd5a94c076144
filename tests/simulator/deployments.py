# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What makes changes take effect: deployments and cron runs.

A deployment is `waiting` when created, `inProgress` after a quarter of its duration and final (success, or the
status the control hook asked for) once its duration has passed. Its status is computed from the clock at each
read, so nothing runs in the background. Its log grows along the same timeline.

A cancel only records when it was asked for: a waiting deployment is `cancelled` from that moment, an inProgress
one at most CANCEL_DELAY seconds later (or at its own end, if that comes first).
"""

from __future__ import annotations

import collections
import copy
import math
import threading
import time
import uuid
from datetime import datetime, timezone

from .validation import schema_error, validate_body, validate_no_body
from .wire import ApiError, json_response

DEFAULT_DURATION = 3.0  # seconds from waiting to the final status
WAITING_SHARE = 0.25  # of the duration, spent waiting before inProgress
CANCEL_DELAY = 1.0  # seconds an inProgress deployment takes to stop once cancelled
RUNNING = ("waiting", "inProgress")
DEPLOYMENT_LIMIT = 10  # per application and LIMIT_WINDOW, when enforced
LIMIT_WINDOW = 60.0
LOG_WINDOW = 3600.0  # the logs route reads the last hour unless given `from`
DEFAULT_LOG_LIMIT = 1000
HISTORY_DURATION = 120.0
HISTORY_SPACING = 3600.0
CRON_TRIGGERED = "Cron job triggered"
CANCELLING = "Deployment is being cancelled"

# Log lines by final status: (share of the duration, severity, message). {source} names what is deployed.
LOG_SCRIPTS = {
    "success": [(0.5, "INFO", "Rolling out {source}"), (0.9, "INFO", "All instances are ready"),
                (1.0, "INFO", "Deployment succeeded")],
    "failed": [(0.4, "INFO", "Building {source}"), (0.6, "ERROR", 'npm ERR! Missing script: "build"'),
               (0.7, "ERROR", "Build step exited with code 1"), (1.0, "ERROR", "Deployment failed")],
    "cancelled": [(0.5, "INFO", "Rolling out {source}"), (0.8, "WARN", "Cancellation requested"),
                  (0.9, "ERROR", "Rollout interrupted: the deployment was cancelled"), (1.0, "INFO", "Deployment cancelled")],
    "skipped": [(1.0, "INFO", "Nothing changed since the last deployment: skipped")],
}


def format_time(epoch):
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def parse_time(stamp):
    """Seconds since the epoch of a date-time of the spec's pattern (UTC, Z; seconds and fraction optional)."""
    from .logs import micros_of  # logs.py builds on this module
    return micros_of(stamp) / 1000000.0


def checked(schema_name, instance):
    """The instance, or a 500 when the simulator is about to answer something the spec does not allow."""
    problem = schema_error(schema_name, instance, "response")
    if problem:
        raise ApiError(500, "the simulator built an invalid answer (%s)" % problem, "invalid-result")
    return instance


class Deployment:
    """One deployment: its fixed fields, its timeline, its final status and, once asked for, its cancellation."""

    def __init__(self, app, created, duration, final_status, source, deployment_id=None, seeded=False, intro=None):
        self.id = deployment_id or str(uuid.uuid4())
        self.app_id = app["id"]
        self.created = created
        self.duration = duration
        self.final_status = final_status
        self.seeded = seeded  # from seed.json's history, not created since the last reset
        self.cancelled_at = None
        self.fields = dict(source, id=self.id, app_id=self.app_id, type="manual")
        self.script = LOG_SCRIPTS[final_status]
        self.intro = intro  # an extra first log line, such as the build a rollback reuses
        self.describe = source["docker_image_url"] if source["branch"] is None else "%s (%s)" % (source["repo_url"], source["branch"])

    def start(self):
        """When it leaves `waiting`, or None when it was cancelled before that."""
        moment = self.created + self.duration * WAITING_SHARE
        return None if self.cancelled_at is not None and self.cancelled_at < moment else moment

    def end(self):
        """When it reaches its final status."""
        natural = self.created + self.duration
        if self.cancelled_at is None:
            return natural
        if self.start() is None:
            return self.cancelled_at
        return min(natural, self.cancelled_at + CANCEL_DELAY)

    def outcome(self):
        return self.final_status if self.cancelled_at is None else "cancelled"

    def status(self, now):
        if now >= self.end():
            return self.outcome()
        start = self.start()
        return "inProgress" if start is not None and now >= start else "waiting"

    def cancel(self, now):
        """Ask it to stop; 400 when it has finished or a cancel was already asked for."""
        status = self.status(now)
        if status not in RUNNING or self.cancelled_at is not None:
            state = "is already being cancelled" if status in RUNNING else "has already finished (%s)" % status
            raise ApiError(400, "deployment %s %s and cannot be cancelled" % (self.id, state), "deployment-not-cancellable")
        self.cancelled_at = now

    def view(self, now=None):
        """The API object at `now`; None gives the object as created (waiting), as the POST answers it."""
        status = "waiting" if now is None else self.status(now)
        started = self.start() if status != "waiting" else None
        finished = self.end() if status in LOG_SCRIPTS else None
        cancelled = self.cancelled_at if now is not None and self.cancelled_at is not None else None
        updated = finished or cancelled or started or self.created
        return dict(self.fields, status=status, created_at=format_time(self.created),
                    started_at=None if started is None else format_time(started),
                    finished_at=None if finished is None else format_time(finished), updated_at=format_time(updated))

    def timeline(self):
        """Every log line it writes: (moment, severity, message), in order."""
        started = [(WAITING_SHARE, "INFO", "Deployment %s started (%s)" % (self.id, self.fields["trigger"]))]
        if self.intro:
            started.append((WAITING_SHARE, "INFO", self.intro))
        lines = [(self.created + self.duration * share, severity, message) for share, severity, message in started + self.script]
        if self.cancelled_at is None:
            return lines
        stopped = "Deployment cancelled" if self.start() is not None else "Deployment cancelled before it started"
        return [line for line in lines if line[0] < self.cancelled_at] + [
            (self.cancelled_at, "WARN", "Cancellation requested"), (self.end(), "INFO", stopped)]

    def log(self, now):
        """Every log entry written by `now`, oldest first."""
        entries = []
        for number, (moment, severity, message) in enumerate(self.timeline(), 1):
            if moment <= now:
                entries.append(dict(
                    id="%s-%d" % (self.id[:8], number), message=message.format(source=self.describe),
                    service="APP_DEPLOYMENT", severity=severity,
                    timestamp=datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
                    tags={"idApp": self.app_id, "idDeployment": self.id}, attributes={},
                    unix_timestamp=int(moment * 1000000)))
        return entries


def deployment_source(app, body, last):
    """The fields that say what a deployment deploys: the body's branch or image, or the last build on a restart."""
    if body.get("is_restart"):
        return dict(last.fields, trigger="RESTART", steps=["rollout"])
    if "docker_image" in body:
        return dict(trigger="MANUAL_DEPLOY", steps=["rollout"], docker_image_url=body["docker_image"], git_type=None,
                    repo_url=None, branch=None, commit_sha=None, commit_message=None, author_login=None, author_img=None)
    branch = body.get("branch", "main")
    sha = uuid.uuid5(uuid.NAMESPACE_URL, "%s@%s" % (app["name"], branch)).hex + "00000000"
    return dict(trigger="MANUAL_DEPLOY", steps=["checkout", "build", "rollout"],
                docker_image_url="registry.sevalla.invalid/%s:%s" % (app["name"], sha[:12]), git_type="github",
                repo_url="https://github.com/sevalla-demo/%s" % app["name"], branch=branch, commit_sha=sha,
                commit_message="Update %s" % app["name"], author_login="sevalla-demo",
                author_img="https://avatars.githubusercontent.com/u/1")


class Deployments:
    """Every application's deployments (oldest first), the control settings and the cron run counts."""

    def __init__(self, state, duration=DEFAULT_DURATION, clock=time.time):
        self.state = state
        self.initial_duration = duration
        self.clock = clock
        self.lock = threading.RLock()
        self.by_app = collections.defaultdict(list)

    def reset(self):
        """Back to the seed's history and the initial settings; the state calls it once its applications are loaded."""
        with self.lock:
            self.duration = self.initial_duration
            self.enforce_limit = False
            self.next_status = {}  # app id -> final status of its next POST /deployments deployment
            self.next_duration = {}  # app id -> duration of its next deployment of any kind
            self.next_rollback_status = {}  # app id -> final status of its next rollback
            self.recent = collections.defaultdict(collections.deque)  # app id -> times of recent POSTs
            self.cron_runs = collections.Counter()
            self.by_app = collections.defaultdict(list)
            for entry in self.state.seed.get("deployment_history", []):
                self._add_history(entry)

    def _add_history(self, entry):
        app = self.state.applications.get(entry["app_id"])
        if app is None:
            raise ValueError("seed deployment_history: %s is not a seeded application" % entry["app_id"])
        first = parse_time(entry["first_created_at"])
        for number in range(entry["count"]):
            deployment_id = str(uuid.uuid5(uuid.UUID(entry["namespace"]), str(number)))
            self.by_app[app["id"]].append(Deployment(app, first + number * HISTORY_SPACING, HISTORY_DURATION, "success",
                                                     deployment_source(app, {}, None), deployment_id, seeded=True))

    # --- control hooks ---

    def settings(self):
        with self.lock:
            return {"duration": self.duration, "enforce_limit": self.enforce_limit, "next_status": dict(self.next_status)}

    def configure(self, duration=None, enforce_limit=None, app_id=None, next_status=None, next_duration=None,
                  next_rollback_status=None):
        with self.lock:
            if duration is not None:
                self.duration = duration
            if enforce_limit is not None:
                self.enforce_limit = enforce_limit
            for pending, value in ((self.next_status, next_status), (self.next_duration, next_duration),
                                   (self.next_rollback_status, next_rollback_status)):
                if value is not None:
                    pending[app_id] = value
            return self.settings()

    def stats(self):
        """Per application with deployments since the last reset or pending settings: how many deployments were
        created, how many run now, the most that ever ran (waiting or inProgress) at once, and what is pending."""
        with self.lock:
            now = self.clock()
            apps = {app_id for app_id, items in self.by_app.items() if any(not d.seeded for d in items)}
            apps.update(self.next_status, self.next_duration, self.next_rollback_status)
            return {"apps": {app_id: self._app_stats(app_id, now) for app_id in sorted(apps)}}

    def _app_stats(self, app_id, now):
        created = [d for d in self.by_app[app_id] if not d.seeded]
        return {"created": len(created), "running": sum(d.status(now) in RUNNING for d in created),
                "max_running": max_overlap((d.created, d.end()) for d in created),
                "next_status": self.next_status.get(app_id), "next_duration": self.next_duration.get(app_id),
                "next_rollback_status": self.next_rollback_status.get(app_id)}

    def runs(self):
        with self.lock:
            return {"total": sum(self.cron_runs.values()), "runs": dict(self.cron_runs)}

    # --- the API ---

    def find(self, app_id, deployment_id):
        for deployment in self.by_app[app_id]:
            if deployment.id == deployment_id:
                return deployment
        raise ApiError(404, "application %s has no deployment with id %s" % (app_id, deployment_id),
                       "deployment-not-found", "Deployment not found")

    def create(self, app_id, body):
        with self.lock:
            app = self.state.application(app_id)
            now = self.clock()
            last = self._last_success(app_id, now)
            if body.get("is_restart") and last is None:
                raise ApiError(400, "application %s has no successful deployment to restart from" % app_id, "nothing-to-restart")
            self._count_against_limit(app_id, now)
            status = self.next_status.pop(app_id, None) or "success"
            return self._add(app, now, status, deployment_source(app, body, last))

    def rollback(self, app_id):
        """A new deployment of the newest successful deployment's build, without the build steps."""
        with self.lock:
            app = self.state.application(app_id)
            now = self.clock()
            last = self._last_success(app_id, now)
            if last is None:
                raise ApiError(400, "application %s has no successful deployment to roll back to" % app_id,
                               "no-successful-deployment")
            self._count_against_limit(app_id, now)
            status = self.next_rollback_status.pop(app_id, None) or "success"
            source = dict(last.fields, trigger="ROLLBACK_DEPLOYMENT", steps=["rollout"])
            return self._add(app, now, status, source, "Rolling back to the build of deployment %s" % last.id)

    def _add(self, app, now, status, source, intro=None):
        duration = self.next_duration.pop(app["id"], self.duration)
        deployment = Deployment(app, now, duration, status, source, intro=intro)
        self.by_app[app["id"]].append(deployment)
        return checked("deployment", deployment.view())

    def cancel(self, app_id, deployment_id):
        with self.lock:
            self.state.application(app_id)
            self.find(app_id, deployment_id).cancel(self.clock())
            return {"message": CANCELLING}

    def _last_success(self, app_id, now):
        done = [d for d in self.by_app[app_id] if d.status(now) == "success"]
        return done[-1] if done else None

    def _count_against_limit(self, app_id, now):
        recent = self.recent[app_id]
        while recent and recent[0] <= now - LIMIT_WINDOW:
            recent.popleft()
        if self.enforce_limit and len(recent) >= DEPLOYMENT_LIMIT:
            wait = max(1, math.ceil(recent[0] + LIMIT_WINDOW - now))
            raise ApiError(429, "application %s already has %d deployments in the last %d s; retry in %d s"
                           % (app_id, DEPLOYMENT_LIMIT, LIMIT_WINDOW, wait), "deployment-limit",
                           headers={"Retry-After": str(wait)})
        recent.append(now)

    def get(self, app_id, deployment_id):
        with self.lock:
            self.state.application(app_id)
            return checked("deployment", self.find(app_id, deployment_id).view(self.clock()))

    def page(self, app_id, offset, limit):
        with self.lock:
            self.state.application(app_id)
            now = self.clock()
            newest_first = self.by_app[app_id][::-1]
            data = [deployment.view(now) for deployment in newest_first[offset:offset + limit]]
            return checked("deployment_page", {"data": data, "total": len(newest_first), "offset": offset, "limit": limit})

    def logs(self, app_id, deployment_id, query):
        with self.lock:
            self.state.application(app_id)
            deployment = self.find(app_id, deployment_id)
            now = self.clock()
            start = parse_time(query["from"]) if "from" in query else now - LOG_WINDOW
            end = parse_time(query["to"]) if "to" in query else now
            entries = [entry for entry in deployment.log(now) if start * 1000000 <= entry["unix_timestamp"] <= end * 1000000]
            return checked("deployment_logs", copy.deepcopy(entries[:query.get("limit", DEFAULT_LOG_LIMIT)]))

    def trigger_cron(self, app_id, process_id):
        with self.lock:
            self.cron_runs[process_id] += 1


def max_overlap(intervals):
    """The most half-open [start, end) intervals that overlap at one moment; empty intervals count for nothing."""
    events = sorted(event for start, end in intervals if end > start for event in ((start, 1), (end, -1)))
    # (moment, -1) sorts before (moment, 1): one deployment ending as another starts is not an overlap.
    most = current = 0
    for _moment, step in events:
        current += step
        most = max(most, current)
    return most


# --- operations (see operations.py for the order of checks) ---

def check_full_access(request, what):
    if request.role != "full":
        raise ApiError(403, "the API key is read-only and cannot %s" % what, "read-only-key")


def create_deployment(state, request, params, _query):
    state.application(params["id"])
    check_full_access(request, "deploy")
    body = validate_body("deployment_request", request.body)
    return json_response(state.deployments.create(params["id"], body))


def rollback_deployment(state, request, params, _query):
    state.application(params["id"])
    check_full_access(request, "roll back deployments")
    validate_no_body(request.body)
    return json_response(state.deployments.rollback(params["id"]))


def cancel_deployment(state, request, params, _query):
    state.deployments.get(params["id"], params["deployment_id"])  # 404 for an unknown application or deployment
    check_full_access(request, "cancel deployments")
    validate_no_body(request.body)
    return json_response(checked("deployment_cancel", state.deployments.cancel(params["id"], params["deployment_id"])))


def list_deployments(state, _request, params, query):
    return json_response(state.deployments.page(params["id"], query.get("offset", 0), query.get("limit", 25)))


def get_deployment(state, _request, params, _query):
    return json_response(state.deployments.get(params["id"], params["deployment_id"]))


def deployment_logs(state, _request, params, query):
    return json_response(state.deployments.logs(params["id"], params["deployment_id"], query))


def trigger_process(state, request, params, _query):
    process = state.get_process(params["id"], params["process_id"])
    check_full_access(request, "trigger cron jobs")
    if process["type"] != "cron":
        raise ApiError(400, "process '%s' is a %s process: only cron processes can be triggered" % (process["key"], process["type"]),
                       "not-a-cron-process")
    state.deployments.trigger_cron(params["id"], params["process_id"])
    state.logs.cron_ran(params["id"], process)  # the run's runtime log lines (logs.py)
    return json_response({"message": CRON_TRIGGERED})


# --- control hooks (under /_simulator/, see control.py) ---

def show_settings(simulator, _request):
    return json_response(simulator.state.deployments.settings())


def set_settings(simulator, request):
    settings = validate_body("deployment_control", request.body)
    if "app_id" in settings:
        simulator.state.application(settings["app_id"])
    return json_response(dict(ok=True, **simulator.state.deployments.configure(**settings)))


def show_stats(simulator, _request):
    return json_response(simulator.state.deployments.stats())


def show_cron_runs(simulator, _request):
    return json_response(simulator.state.deployments.runs())
