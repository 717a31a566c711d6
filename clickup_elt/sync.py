"""`clickup-elt sync`: discover workspaces, run the raw jobs through Dagster, then `dbt build`.

Runs execute in this process against the Dagster instance in DAGSTER_HOME, so they show up in the
Dagster UI like any other run. A range of days is one run (and one paginated query per workspace).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import dagster as dg

from clickup_elt import progress, settings, triggers
from clickup_elt.clickup import workspace_discovery as discovery
from clickup_elt.triggers import Launch
from clickup_elt.warehouse import db, queries, synclog, watermarks
from clickup_elt.warehouse import workspace_tokens as ws_table

if TYPE_CHECKING:
    from dagster_shared.error import SerializableErrorInfo


@dataclass
class SyncResult:
    workspaces: list[str]
    runs: list[tuple[str, str, bool]] = field(default_factory=list)  # (job, run id, success)
    failures: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures


def discover_workspaces(
    instance: dg.DagsterInstance, url: str, only: tuple[str, ...] = ()
) -> discovery.Discovery:
    """Ask ClickUp which workspaces the tokens reach, remember the token of each, add partitions.
    Tokens ClickUp refuses are reported in the answer (`refused`); the others go on."""
    from clickup_elt.defs.ingestion.partitions import WORKSPACES_PARTITIONS_NAME

    config = settings.ClickUpSettings.from_env()
    allow = tuple(only) or config.workspace_ids
    found = discovery.discover(config.tokens, config.api_url, allow)
    db.ensure_raw_schema(url)
    with db.connection(url) as conn:
        for ws in found.workspaces:
            ws_table.remember(conn, ws.id, ws.fingerprint, ws.name)
    missing = [ws for ws in only if ws not in {w.id for w in found.workspaces}]
    if missing:
        raise settings.ConfigurationError(
            f"no token in CLICKUP_API_TOKEN reaches workspace(s) {', '.join(missing)}"
            + (f" ({'; '.join(found.refused)})" if found.refused else "")
        )
    known = set(instance.get_dynamic_partitions(WORKSPACES_PARTITIONS_NAME))
    new = [w.id for w in found.workspaces if w.id not in known]
    if new:
        instance.add_dynamic_partitions(WORKSPACES_PARTITIONS_NAME, new)
    return found


def keep_storage_connections(instance: dg.DagsterInstance) -> None:
    """Hold pooled connections to the instance's Postgres storage, as the Dagster webserver does.

    By default every event opens a new connection; a run over many workspaces writes events for each
    of them and every asset, and connecting would dominate the bookkeeping."""
    for storage in (instance.run_storage, instance.event_log_storage, instance.schedule_storage):
        if storage is not None and hasattr(storage, "optimize_for_webserver"):
            storage.optimize_for_webserver(statement_timeout=0, pool_recycle=3600, max_overflow=4)


def with_console_logs(run_config: dg.RunConfig | None) -> dg.RunConfig:
    """The terminal shows what each step did (with a progress bar instead, only warnings); Dagster's
    DEBUG engine events stay in the run's event log."""
    level = "WARNING" if progress.bar_shown() else "INFO"
    return dg.RunConfig(
        ops=run_config.ops if run_config else {}, loggers={"console": {"config": {"log_level": level}}}
    )


def _run(defs: dg.Definitions, launch: Launch, instance: dg.DagsterInstance, result: SyncResult) -> None:
    """One run, orchestrated by this process; its steps run here, or on Celery workers when the
    job's executor is celery (`execute_in_process` would keep them here)."""
    job = defs.resolve_job_def(launch.job)
    outcome: dg.ExecuteInProcessResult | dg.ExecutionResult
    if job.executor_def.name == "celery":
        from clickup_elt.distributed import reconstructable_job

        outcome = dg.execute_job(
            reconstructable_job(launch.job),
            instance,
            raise_on_error=False,
            tags=launch.tags,
            run_config=with_console_logs(launch.run_config).to_config_dict(),
        )
    else:
        outcome = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            tags=launch.tags,
            run_config=with_console_logs(launch.run_config),
        )
    result.runs.append((launch.job, outcome.run_id, outcome.success))
    if not outcome.success:
        result.failures.append(f"{launch.job} (run {outcome.run_id}): " + _failure_text(outcome))


def _root_cause(error: SerializableErrorInfo) -> str:
    """The innermost error's message (Dagster wraps step errors in its own)."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def _failure_text(outcome: dg.ExecuteInProcessResult | dg.ExecutionResult) -> str:
    """What broke, in the steps' own words (their errors name the workspace, entity and fix)."""
    steps = [
        f"{e.step_key}: {_root_cause(e.step_failure_data.error)}"
        for e in outcome.all_events
        if e.is_step_failure and e.step_failure_data.error is not None
    ]
    if steps:
        return "; ".join(steps)
    errors = [e.message for e in outcome.all_events if e.is_failure and e.message]
    return errors[-1] if errors else "failed"


def _fingerprint(url: str, workspace_ids: list[str]) -> str | None:
    """The token of a block, when all its workspaces share one (for the run's tags)."""
    tokens = settings.ClickUpSettings.from_env().tokens
    with db.connection(url) as conn:
        prints = {
            discovery.fingerprint_for(tokens, ws_table.fingerprints_for(conn, ws)) for ws in workspace_ids
        }
    return prints.pop() if len(prints) == 1 else None


def _read_from(
    url: str,
    workspace_ids: list[str],
    key: str,
    today: dt.date,
    days: int,
    lookback: dt.timedelta = dt.timedelta(0),
) -> dt.date:
    """The first day an incremental run of these workspaces reads: the trailing window, or earlier
    where a workspace has changes never read since its last gap-free sync (see watermarks)."""
    from clickup_elt.defs.ingestion.partitions import first_day

    with db.connection(url) as conn:
        return min(
            watermarks.read_from(today, days, watermarks.synced_through(conn, ws, key), first_day(), lookback)
            for ws in workspace_ids
        )


def _lists_by_workspace(
    url: str, workspace_ids: list[str], list_ids: Collection[str]
) -> dict[str, list[str]]:
    with db.connection(url) as conn:
        homes = queries.list_workspaces(conn, list_ids)
    grouped: dict[str, list[str]] = {}
    for list_id in list_ids:
        if homes.get(list_id) in workspace_ids:
            grouped.setdefault(homes[list_id], []).append(list_id)
    return grouped


def run_sync(
    full: bool = False,
    workspace_ids: tuple[str, ...] = (),
    list_ids: tuple[str, ...] = (),
    build_dbt: bool = True,
) -> SyncResult:
    """Sync the selected workspaces (all reachable ones by default), then build dbt.

    Incremental: workspace-level entities, tasks updated since yesterday (UTC) with the comments and
    time in status of those that changed, as the hourly schedule reads them (archived lists are left
    to `full` and the daily schedule), and time entries started in the last
    CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS days; each from earlier when the last gap-free sync of a
    workspace started before that (a catch-up after an outage). `full`: every day from
    CLICKUP_START_DATE, archived lists included. Each job runs once per contiguous block of
    workspaces. Tokens ClickUp refuses are reported as failures; the workspaces of the others sync.
    `list_ids`: only those lists' tasks (with comments and time in status), every day, upserted.
    """
    from clickup_elt.definitions import defs as load_defs
    from clickup_elt.defs.ingestion import run_configs
    from clickup_elt.defs.ingestion.partitions import (
        WORKSPACES_PARTITIONS_NAME,
        contiguous_blocks,
        first_day,
        last_day,
    )
    from clickup_elt.defs.ingestion.sync_jobs import TASKS_JOB, TIME_ENTRIES_JOB, WORKSPACE_JOB
    from clickup_elt.defs.transform.dbt_job import DBT_JOB

    url = settings.prepare_environment()
    defs = load_defs()
    with dg.DagsterInstance.get() as instance:
        keep_storage_connections(instance)
        found = discover_workspaces(instance, url, workspace_ids)
        ids = [w.id for w in found.workspaces]
        result = SyncResult(ids, failures=list(found.refused))
        today, start = last_day(), first_day()
        order = instance.get_dynamic_partitions(WORKSPACES_PARTITIONS_NAME)
        blocks = contiguous_blocks(order, ids)
        if list_ids:
            lists = _lists_by_workspace(url, ids, list_ids)
            if set(list_ids) - {lst for group in lists.values() for lst in group}:
                for block in blocks:  # unknown lists: the hierarchy may be new or stale
                    _run(
                        defs,
                        triggers.workspaces(WORKSPACE_JOB, block, _fingerprint(url, block)),
                        instance,
                        result,
                    )
                lists = _lists_by_workspace(url, ids, list_ids)
            unknown = sorted(set(list_ids) - {lst for group in lists.values() for lst in group})
            if unknown:
                raise settings.ConfigurationError(
                    f"list(s) {', '.join(unknown)} are in no workspace CLICKUP_API_TOKEN reaches"
                )
            for ws, group in lists.items():
                _run(
                    defs,
                    triggers.list_sync(ws, group, start, today, _fingerprint(url, [ws])),
                    instance,
                    result,
                )
        else:
            tasks_config = None if full else run_configs.incremental()
            lookback = settings.time_entries_lookback_days()
            for block in blocks:
                tasks_from = start if full else _read_from(url, block, watermarks.TASKS, today, 1)
                entries_from = (
                    start
                    if full
                    else _read_from(
                        url, block, watermarks.TIME_ENTRIES, today, lookback, dt.timedelta(days=lookback)
                    )
                )
                token = _fingerprint(url, block)
                for launch in (
                    triggers.workspaces(WORKSPACE_JOB, block, token),
                    triggers.days(TASKS_JOB, block, tasks_from, today, token, tasks_config),
                    triggers.days(TIME_ENTRIES_JOB, block, entries_from, today, token),
                ):
                    _run(defs, launch, instance, result)
        if build_dbt:
            _run(defs, Launch(DBT_JOB, {}), instance, result)
    return result


def status_rows(url: str) -> list[dict]:
    """The latest sync of each workspace and entity, with the token the workspace is synced with."""
    tokens = settings.tokens()
    with db.connection(url) as conn:
        rows = synclog.latest_status(conn)
        chosen = {
            ws: discovery.fingerprint_for(tokens, ws_table.fingerprints_for(conn, ws))
            for ws in {row["workspace_id"] for row in rows if row["workspace_id"]}
        }
    for row in rows:
        row["token"] = chosen.get(row["workspace_id"])
    return rows
