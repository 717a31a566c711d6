"""What each way of starting a sync launches (job, tags, run config), whoever starts it: the CLI, a
schedule or sensor, or Dagster's GraphQL API.

Runs are tagged with the workspace(s) they sync and the fingerprint of the token they use (never the
token), so the Dagster UI and GraphQL can filter runs by workspace: that is a workspace's sync status.
Runs of day-windowed jobs carry the days they read in their run config (each op's) and, for the run
list and the sync log of failed runs, in tags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import dagster as dg

from clickup_elt.defs.ingestion import run_configs
from clickup_elt.defs.ingestion.partitions import last_day, range_tags
from clickup_elt.defs.ingestion.sync_jobs import (
    CHANGED_GOALS_JOB,
    CHANGED_HIERARCHY_JOB,
    CHANGED_JOBS,
    CHANGED_TASKS_JOB,
    DAILY_JOB,
    DAY_ENTITIES,
    TASKS_JOB,
    WORKSPACE_JOB,
)

WORKSPACE_TAG = "clickup/workspace"  # set when a run syncs one workspace
WORKSPACES_TAG = "clickup/workspaces"  # the workspaces of a run covering several
TOKEN_TAG = "clickup/token"
# The token of a run whose steps may go to Celery workers: the distributed profile's run queue starts
# one such run per token. Runs applying webhook events run in their own process and are left out, so
# a long sync of another workspace on the same token does not hold them back.
WORKER_TOKEN_TAG = "clickup/worker_token"
LIST_TAG = "clickup/list"
FIRST_DAY_TAG = "clickup/first_day"
LAST_DAY_TAG = "clickup/last_day"


@dataclass(frozen=True)
class Launch:
    job: str
    tags: dict[str, str]
    run_config: dg.RunConfig | None = None

    def run_request(self, run_key: str | None = None) -> dg.RunRequest:
        """The launch as a schedule or sensor asks for it."""
        return dg.RunRequest(
            job_name=self.job, run_key=run_key, tags=self.tags, run_config=self.run_config or {}
        )

    def config_dict(self) -> dict:
        """The run config as Dagster's GraphQL API takes it."""
        return self.run_config.to_config_dict() if self.run_config else {}


def workspace_tags(workspace_ids: list[str], fingerprint: str | None = None) -> dict[str, str]:
    tags = {WORKSPACES_TAG: ",".join(workspace_ids)}
    if len(workspace_ids) == 1:
        tags[WORKSPACE_TAG] = workspace_ids[0]
    if fingerprint:
        tags[TOKEN_TAG] = fingerprint
    return tags


def queue_tags(job: str, fingerprint: str | None) -> dict[str, str]:
    return {WORKER_TOKEN_TAG: fingerprint} if fingerprint and job not in CHANGED_JOBS else {}


def workspaces(job: str, workspace_ids: list[str], fingerprint: str | None = None) -> Launch:
    """A workspace-partitioned job (workspace entities, deletion sweep) over a contiguous block."""
    return Launch(
        job,
        {
            **workspace_tags(workspace_ids, fingerprint),
            **queue_tags(job, fingerprint),
            **range_tags(workspace_ids),
        },
    )


def days(
    job: str,
    workspace_ids: list[str],
    first: dt.date,
    last: dt.date,
    fingerprint: str | None = None,
    run_config: dg.RunConfig | None = None,
) -> Launch:
    """A day-windowed job over days first..last of a contiguous block of workspaces."""
    day_tags = {FIRST_DAY_TAG: first.isoformat(), LAST_DAY_TAG: last.isoformat()}
    return Launch(
        job,
        {
            **workspace_tags(workspace_ids, fingerprint),
            **queue_tags(job, fingerprint),
            **range_tags(workspace_ids),
            **day_tags,
        },
        run_configs.with_days(DAY_ENTITIES[job], first, last, run_config),
    )


def full_sync(
    workspace_id: str, first: dt.date, last: dt.date, fingerprint: str | None = None
) -> list[Launch]:
    """Everything of one workspace: its workspace-level entities, then every day's tasks (with
    comments and time in status) and time entries."""
    return [
        workspaces(WORKSPACE_JOB, [workspace_id], fingerprint),
        days(DAILY_JOB, [workspace_id], first, last, fingerprint),
    ]


def list_sync(
    workspace_id: str, list_ids: list[str], first: dt.date, last: dt.date, fingerprint: str | None = None
) -> Launch:
    """The tasks of some lists (a board), with their comments and time in status, upserted."""
    launch = days(TASKS_JOB, [workspace_id], first, last, fingerprint, run_configs.lists_only(list(list_ids)))
    return Launch(launch.job, {**launch.tags, LIST_TAG: ",".join(list_ids)}, launch.run_config)


def changed_tasks(
    workspace_id: str,
    task_ids: list[str],
    deleted_task_ids: list[str],
    since_ms: int | None,
    fingerprint: str | None = None,
    per_task: Mapping[str, run_configs.PerTask] | None = None,
) -> Launch:
    """Tasks webhook events named (today's window: their rows go to the day they were updated)."""
    today = last_day()
    return days(
        CHANGED_TASKS_JOB,
        [workspace_id],
        today,
        today,
        fingerprint,
        run_configs.changed_tasks(task_ids, deleted_task_ids, since_ms, per_task),
    )


def changed_hierarchy(workspace_id: str, fingerprint: str | None = None) -> Launch:
    return workspaces(CHANGED_HIERARCHY_JOB, [workspace_id], fingerprint)


def changed_goals(workspace_id: str, fingerprint: str | None = None) -> Launch:
    return workspaces(CHANGED_GOALS_JOB, [workspace_id], fingerprint)
