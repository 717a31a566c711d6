"""The distributed profile's run queue starts one run per workspace and one per ClickUp token at a time:
a second run of a token would hold a Celery worker while its step waits for the token's pool slot, so
the queue starts a run of another token instead. The Helm values say the same as the instance file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import dagster as dg
import yaml

from clickup_elt import settings, triggers

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_queue_starts_one_run_per_workspace_and_per_token(database_url, monkeypatch, tmp_path):
    shutil.copy(DEPLOY / "celery" / "dagster.yaml", tmp_path / "dagster.yaml")
    for name, value in settings.dagster_storage_env(database_url, False).items():
        monkeypatch.setenv(name, value)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
    each = {"applyLimitPerUniqueValue": True}
    per_value = {limit["key"]: limit["limit"] for limit in limits if limit["value"] == each}
    assert per_value == {triggers.WORKSPACE_TAG: 1, triggers.WORKER_TOKEN_TAG: 1}

    helm = yaml.safe_load((DEPLOY / "k8s" / "values.yaml").read_text())
    queue = helm["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    instance_file = yaml.safe_load((tmp_path / "dagster.yaml").read_text())
    assert queue["tagConcurrencyLimits"] == instance_file["concurrency"]["runs"]["tag_concurrency_limits"]


def test_the_runs_of_a_full_sync_carry_their_token():
    launches = triggers.full_sync("9001", dt.date(2025, 1, 1), dt.date(2025, 1, 2), "tok_0123456789")
    assert [launch.tags[triggers.WORKER_TOKEN_TAG] for launch in launches] == ["tok_0123456789"] * 2
    # a webhook run is not queued behind a long sync of another workspace on the same token
    live = triggers.changed_tasks("9001", ["t1"], [], None, "tok_0123456789")
    assert live.tags[triggers.TOKEN_TAG] == "tok_0123456789" and triggers.WORKER_TOKEN_TAG not in live.tags
