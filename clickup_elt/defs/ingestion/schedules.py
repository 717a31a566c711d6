"""Schedules: the sync keeps itself current, one run per workspace (token pools keep each token within
its rate limit; different tokens run in parallel). Cadences are cron strings from the environment.

- clickup_tasks_hourly (`CLICKUP_TASKS_CRON`, 5 * * * *): tasks updated yesterday and today, archived
  lists skipped; comments and time in status only of the tasks that changed since last read;
- clickup_tasks_daily (`CLICKUP_TASKS_DAILY_CRON`, 30 1 * * *): the last
  `CLICKUP_TASKS_DAILY_LOOKBACK_DAYS` (7) days re-read in full, archived lists included;
- clickup_time_entries_daily (`CLICKUP_TIME_ENTRIES_CRON`, 0 2 * * *): the last
  `CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS` (30) days of time entries;
- clickup_workspace_daily (`CLICKUP_WORKSPACE_CRON`, 0 1 * * *): hierarchy, members, groups, custom
  fields, tags, goals;
- clickup_deletion_sweep_weekly (`CLICKUP_DELETION_SWEEP_CRON`, 0 3 * * 0): every task id listed,
  the missing ones confirmed.
Times are UTC. After an outage longer than a window, a run reads from where the last gap-free run of
that workspace started instead (warehouse.watermarks), so the changes of the gap are read too.
"""

import datetime as dt
import os

import dagster as dg

from clickup_elt import settings, triggers
from clickup_elt.defs.ingestion import run_configs
from clickup_elt.defs.ingestion.partitions import WORKSPACES_PARTITIONS_NAME, first_day
from clickup_elt.defs.ingestion.sync_jobs import DELETION_JOB, TASKS_JOB, TIME_ENTRIES_JOB, WORKSPACE_JOB
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import watermarks

RUNNING = dg.DefaultScheduleStatus.RUNNING


def cadence(variable: str, default: str) -> str:
    return os.environ.get(variable) or default


def workspace_runs(
    context: dg.ScheduleEvaluationContext,
    clickup: ClickUpResource,
    warehouse: WarehouseResource,
    job: str,
    days: int | None = None,
    run_config: dg.RunConfig | None = None,
    caught_up_by: str | None = None,
    lookback: dt.timedelta = dt.timedelta(0),
) -> dg.SkipReason | list[dg.RunRequest]:
    """One run request per known workspace (its partition); with `days`, reading its last `days` days
    and today, from earlier if its watermark `caught_up_by` says changes before that were never read
    (an outage)."""
    workspaces = context.instance.get_dynamic_partitions(WORKSPACES_PARTITIONS_NAME)
    if not workspaces:
        return dg.SkipReason(
            "no ClickUp workspace is known yet: the clickup_workspace_discovery "
            "sensor adds the workspaces each token reaches"
        )
    when = context.scheduled_execution_time or dt.datetime.now(dt.timezone.utc)
    today = when.astimezone(dt.timezone.utc).date()
    requests = []
    # one connection for every workspace: one each (two with a watermark) made a tick over a
    # thousand workspaces spend most of its time connecting
    with warehouse.connection() as conn:
        for ws in workspaces:
            fingerprint = clickup.fingerprint_on(conn, ws)
            if days is None:
                launch = triggers.workspaces(job, [ws], fingerprint)
            else:
                mark = watermarks.synced_through(conn, ws, caught_up_by) if caught_up_by else None
                first = watermarks.read_from(today, days, mark, first_day(), lookback)
                launch = triggers.days(job, [ws], first, today, fingerprint, run_config)
            requests.append(launch.run_request(run_key=f"{ws}:{when.isoformat()}"))
    return requests


@dg.schedule(
    name="clickup_tasks_hourly",
    job_name=TASKS_JOB,
    execution_timezone="UTC",
    cron_schedule=cadence("CLICKUP_TASKS_CRON", "5 * * * *"),
    default_status=RUNNING,
    description=(
        "Tasks updated yesterday and today, with the comments and time in status of "
        "the tasks that changed since they were last read."
    ),
)
def tasks_hourly(
    context: dg.ScheduleEvaluationContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.SkipReason | list[dg.RunRequest]:
    return workspace_runs(
        context,
        clickup,
        warehouse,
        TASKS_JOB,
        days=1,
        run_config=run_configs.incremental(),
        caught_up_by=watermarks.TASKS,
    )


@dg.schedule(
    name="clickup_tasks_daily",
    job_name=TASKS_JOB,
    execution_timezone="UTC",
    cron_schedule=cadence("CLICKUP_TASKS_DAILY_CRON", "30 1 * * *"),
    default_status=RUNNING,
    description=(
        "Tasks of the last days re-read in full, archived lists and every task's "
        "comments and time in status included."
    ),
)
def tasks_daily(
    context: dg.ScheduleEvaluationContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.SkipReason | list[dg.RunRequest]:
    return workspace_runs(
        context,
        clickup,
        warehouse,
        TASKS_JOB,
        days=settings.days_setting("CLICKUP_TASKS_DAILY_LOOKBACK_DAYS", 7),
        caught_up_by=watermarks.TASKS_IN_ARCHIVED_LISTS,
    )


@dg.schedule(
    name="clickup_time_entries_daily",
    job_name=TIME_ENTRIES_JOB,
    execution_timezone="UTC",
    cron_schedule=cadence("CLICKUP_TIME_ENTRIES_CRON", "0 2 * * *"),
    default_status=RUNNING,
    description="Time entries of a trailing window (they have no updated-since filter).",
)
def time_entries_daily(
    context: dg.ScheduleEvaluationContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.SkipReason | list[dg.RunRequest]:
    lookback = settings.time_entries_lookback_days()
    return workspace_runs(
        context,
        clickup,
        warehouse,
        TIME_ENTRIES_JOB,
        days=lookback,
        caught_up_by=watermarks.TIME_ENTRIES,
        lookback=dt.timedelta(days=lookback),
    )


@dg.schedule(
    name="clickup_workspace_daily",
    job_name=WORKSPACE_JOB,
    execution_timezone="UTC",
    cron_schedule=cadence("CLICKUP_WORKSPACE_CRON", "0 1 * * *"),
    default_status=RUNNING,
    description="Hierarchy, members, user groups, custom fields, tags and goals.",
)
def workspace_daily(
    context: dg.ScheduleEvaluationContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.SkipReason | list[dg.RunRequest]:
    return workspace_runs(context, clickup, warehouse, WORKSPACE_JOB)


@dg.schedule(
    name="clickup_deletion_sweep_weekly",
    job_name=DELETION_JOB,
    execution_timezone="UTC",
    cron_schedule=cadence("CLICKUP_DELETION_SWEEP_CRON", "0 3 * * 0"),
    default_status=RUNNING,
    description="Lists every task id and confirms the missing ones with GET /task/{id}.",
)
def deletion_sweep(
    context: dg.ScheduleEvaluationContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.SkipReason | list[dg.RunRequest]:
    return workspace_runs(context, clickup, warehouse, DELETION_JOB)
