"""Run health: failed runs written into the sync log (so `status` and the sync_health mart show
them), and runs whose process died released (so the runs queued behind them start)."""

import datetime as dt

import dagster as dg

from clickup_elt import liveness
from clickup_elt.defs.ingestion.partitions import RANGE_END_TAG, RANGE_START_TAG
from clickup_elt.defs.ingestion.sync_jobs import (
    CHANGED_GOALS_JOB,
    CHANGED_HIERARCHY_JOB,
    CHANGED_TASKS_JOB,
    DAILY_JOB,
    DELETION_JOB,
    GOAL_ENTITIES,
    HIERARCHY_ENTITIES,
    TASK_ENTITIES,
    TASKS_JOB,
    TIME_ENTRIES_JOB,
    WORKSPACE_ENTITIES,
    WORKSPACE_JOB,
)
from clickup_elt.defs.ingestion.workspace_assets import goals_and_key_results, workspaces_and_members
from clickup_elt.defs.resources import WarehouseResource
from clickup_elt.triggers import FIRST_DAY_TAG, LAST_DAY_TAG, TOKEN_TAG, WORKSPACE_TAG, WORKSPACES_TAG
from clickup_elt.warehouse import synclog

RUNNING = dg.DefaultSensorStatus.RUNNING
PARTITION_TAG = "dagster/partition"

# Raw entities of the steps that load several tables, and of each job (for runs that died without
# a step failure), so the sync log only ever names raw entities.
STEP_ENTITIES = {
    step.op.name: tuple(key.path[-1] for key in step.keys)
    for step in (workspaces_and_members, goals_and_key_results)
}
JOB_ENTITIES = {
    WORKSPACE_JOB: WORKSPACE_ENTITIES,
    TASKS_JOB: TASK_ENTITIES,
    CHANGED_TASKS_JOB: TASK_ENTITIES,
    CHANGED_HIERARCHY_JOB: HIERARCHY_ENTITIES,
    CHANGED_GOALS_JOB: GOAL_ENTITIES,
    TIME_ENTRIES_JOB: ("time_entries",),
    DAILY_JOB: TASK_ENTITIES + ("time_entries",),
    DELETION_JOB: ("deletions",),
}


def _configured_days(run: dg.DagsterRun) -> tuple[str | None, str | None]:
    """The days a run launched without day tags (from the launchpad) set in its ops' config."""
    ops: dict = dict(run.run_config or {}).get("ops") or {}  # type: ignore[assignment]
    for op in ops.values():
        config = (op or {}).get("config") or {}
        if config.get("first_day") or config.get("last_day"):
            return config.get("first_day"), config.get("last_day")
    return None, None


def _failure_rows(
    run: dg.DagsterRun, started: dt.datetime | None, step_failures: dict[str, str | None], message: str
) -> list[synclog.SyncRecord]:
    """One sync-log row per workspace and entity the failed run was syncing."""
    tags = run.tags
    workspaces: list[str | None] = [
        ws
        for ws in (
            tags.get(WORKSPACES_TAG) or tags.get(WORKSPACE_TAG) or tags.get(PARTITION_TAG) or ""
        ).split(",")
        if ws
    ] or [None]
    # the days a day-windowed run read, as its loads write them; else its workspace, as theirs do
    first, last = _configured_days(run)
    start = tags.get(FIRST_DAY_TAG) or first or tags.get(RANGE_START_TAG) or tags.get(PARTITION_TAG)
    end = tags.get(LAST_DAY_TAG) or last or tags.get(RANGE_END_TAG) or tags.get(PARTITION_TAG)
    entities = {
        entity: error
        for step, error in step_failures.items()
        for entity in STEP_ENTITIES.get(step, (step.removeprefix("clickup__"),))
    }
    if not entities:
        entities = dict.fromkeys(JOB_ENTITIES.get(run.job_name, (run.job_name,)), message)
    now = dt.datetime.now(dt.timezone.utc)
    return [
        synclog.SyncRecord(
            ws,
            entity,
            start,
            end,
            run.run_id,
            started or now,
            now,
            outcome="failure",
            error=(error or message)[:2000],
        )
        for ws in workspaces
        for entity, error in entities.items()
    ]


@dg.run_failure_sensor(
    name="clickup_sync_failures",
    default_status=RUNNING,
    monitor_all_code_locations=False,
    description=(
        "Writes failed runs (crashes and kills included) into the sync log, "
        "so `clickup-elt status` and the sync_health mart show them."
    ),
)
def sync_failures(context: dg.RunFailureSensorContext, warehouse: WarehouseResource) -> None:
    run = context.dagster_run
    message = context.failure_event.message or "run failed"
    steps = {e.step_key: e.message for e in context.get_step_failure_events() if e.step_key}
    record = context.instance.get_run_record_by_id(run.run_id)
    started = (
        dt.datetime.fromtimestamp(record.start_time, dt.timezone.utc)
        if record is not None and record.start_time
        else None
    )
    rows = _failure_rows(run, started, steps, message)
    with warehouse.connection() as conn:
        already = synclog.failures_of_run(conn, run.run_id)
        for row in rows:
            if (row.workspace_id, row.entity) not in already:
                synclog.append(conn, row)
    context.log.error(
        f"sync run {run.run_id} ({run.job_name}, workspace {run.tags.get(WORKSPACES_TAG, 'all')}, "
        f"token {run.tags.get(TOKEN_TAG, '?')}) failed: {message}"
    )


@dg.sensor(
    name="clickup_dead_runs",
    minimum_interval_seconds=60,
    default_status=RUNNING,
    description=(
        "Marks sync runs whose process died (killed, host restarted) as failed and "
        "frees their token pool slots, so the runs queued behind them start."
    ),
)
def dead_runs(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    live = context.instance.get_runs(filters=dg.RunsFilter(statuses=list(liveness.LIVE_STATUSES)))
    released = liveness.release_dead(
        context.instance, [run.run_id for run in live if liveness.PROCESS_TAG in run.tags], context.log
    )
    return dg.SkipReason(
        f"released {len(released)} dead runs: {', '.join(released)}"
        if released
        else f"{len(live)} live runs, none dead"
    )
