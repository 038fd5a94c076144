# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Environment variable values never show: not at -vvvv, in results, diffs, failure messages, api_error or
Ansible's log, with the default and the JSON callback.

reliability/playbooks/env_var_secrets.yml creates, updates, previews (check mode), purges and fails (an API
message that echoes two values, a 500 on a create) with distinctive values given in an extra-vars file, the one
file that is not searched. The seed's values of the variables it replaces and deletes are searched too: the tasks
only read them. The simulator's log must hold the values sent, or the search would prove nothing.
"""

from __future__ import annotations

import json

import pytest

from reliability import run_env, run_playbook_file
from test_secrets import MASK, leak_forms, searched_texts

SECRETS = {
    "secret_one": "EnvSecret-One+7f3c/9e2b=41d8~AbCdEf",
    "secret_two": "EnvSecret-Two+0a1b/2c3d=4e5f~GhIjKl",
    "secret_three": "postgres://app:EnvSecret-Three+99aa@db.internal:5432/app",
    "secret_four": "EnvSecret-Four+5a5a/6b6b=7c7c~MnOpQr",
    "secret_five": "EnvSecret-Five+d00d/f00d=beef~StUvWx",
    "secret_six": "EnvSecret-Six+1234/5678=9abc~YzAbCd",
}
# Read from the API only: the old DATABASE_URL (replaced) and NPM_TOKEN (deleted by purge).
SEEDED = ["postgres://demo:demo-db-password@demo-db.sevalla.invalid:5432/demo", "npm_demo0000000000000000000000000000"]


def run_secrets_playbook(simulator, tmp_path, json_callback):
    simulator.reset()
    label = "json" if json_callback else "default"
    results_file = tmp_path / ("results-%s.json" % label)
    log_file = tmp_path / ("ansible-%s.log" % label)
    vars_file = tmp_path / "extra-vars.json"  # the one file that holds the new values; it is not searched
    vars_file.write_text(json.dumps(dict(SECRETS, results_file=str(results_file))))
    env = run_env(simulator, json_callback=json_callback, ANSIBLE_LOG_PATH=str(log_file), ANSIBLE_INJECT_INVOCATION="true")
    run = run_playbook_file(simulator, "env_var_secrets.yml", "-vvvv", "-e", "@%s" % vars_file, env=env)
    vars_file.unlink()
    assert run.returncode == 0, str(run)
    return run, searched_texts(run, results_file, log_file, json_callback)


@pytest.mark.parametrize("json_callback", [False, True], ids=["default-callback", "json-callback"])
def test_values_never_show(simulator, tmp_path, json_callback):
    run, texts = run_secrets_playbook(simulator, tmp_path, json_callback)

    # Not vacuous: the values really went to the API, the tasks ran at -vvvv, showed their arguments and diffs,
    # and the failures carry the API's words.
    sent = json.dumps(simulator.requests())
    assert all(SECRETS[name] in sent for name in ("secret_one", "secret_two", "secret_three", "secret_four",
                                                  "secret_five", "secret_six")), "a value was not sent"
    assert texts["stdout"].count('"module_args": {') >= 7 or json_callback
    results = json.loads(texts["registered results"])
    assert results["env_echo"]["api_error"]["message"].startswith("value ********")
    assert "Creating variable 'SECRET_THREE'" in results["env_500"]["msg"]
    assert results["env_purged"]["diff"]["after"]["SECRET_TWO"]["value"] == "<hidden, changed>"
    if not json_callback:
        assert "<hidden, changed>" in texts["stdout"], "the diff was not shown"
    else:
        module_tasks = [task for task in run.tasks if task["action"] == "sevalla.cloud.sevalla_env_var"]
        assert len(module_tasks) == 6
        for task in module_tasks:
            for item in task["result"]["invocation"]["module_args"]["variables"]:
                assert item["value"] == MASK, task["task"]

    leaks = ["%r (%s) in %s" % (form, secret[:12], where)
             for secret in list(SECRETS.values()) + SEEDED for form in leak_forms(secret)
             for where, text in texts.items() if form in text]
    assert not leaks, "a value leaked: %s" % "; ".join(leaks)
