"""What every raw asset shares: partitions, group, kinds, and per-workspace loads."""

import datetime as dt

import dagster as dg
from pydantic import Field

from clickup_elt import settings
from clickup_elt.clickup.windows import DayRange
from clickup_elt.defs.ingestion.checks import raw_check_specs
from clickup_elt.defs.ingestion.partitions import (
    days_by_workspace, first_day, last_day, workspace_day_partitions, workspaces_partitions)
from clickup_elt.defs.ingestion.runner import Load
from clickup_elt.progress import Progress
from clickup_elt.warehouse import queries
from clickup_elt.warehouse.load import Scope

RAW_GROUP = "clickup_raw"
KINDS = {"clickup", "postgres"}


def raw_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey(["clickup", entity])


def raw_checks(*entities: str) -> list[dg.AssetCheckSpec]:
    """The raw-table checks of these entities' assets (see checks.py)."""
    return [spec for entity in entities for spec in raw_check_specs(entity, raw_key(entity))]


def freshness(entity: str, slack_hours: float = 0) -> dg.FreshnessPolicy:
    """Overdue after the same hours as the sync-health check (CLICKUP_SYNC_MAX_AGE_HOURS), plus
    `slack_hours`; a warning at two thirds of that."""
    limits = settings.max_age_hours()
    hours = limits.get(entity, limits["*"]) + slack_hours
    return dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=hours),
                                          warn_window=dt.timedelta(hours=hours * 2 / 3))


def raw_spec(entity: str, description: str) -> dg.AssetSpec:
    """The spec of `clickup/<entity>` inside a multi-asset that loads several raw tables."""
    return dg.AssetSpec(raw_key(entity), group_name=RAW_GROUP, kinds=KINDS, description=description,
                        freshness_policy=freshness(entity))


def raw_asset(entity: str, **kwargs):
    """`@dg.asset` for `clickup/<entity>`, loading `clickup_raw.<entity>`, with its checks."""
    return dg.asset(key=raw_key(entity), check_specs=raw_checks(entity), group_name=RAW_GROUP,
                    kinds=KINDS, freshness_policy=freshness(entity), **kwargs)


# No static `pool=`: API steps hold the pool of the token they use (token_pool), known only at run time.
BY_WORKSPACE = dict(partitions_def=workspaces_partitions, backfill_policy=dg.BackfillPolicy.single_run())
BY_WORKSPACE_DAY = dict(partitions_def=workspace_day_partitions,
                        backfill_policy=dg.BackfillPolicy.single_run())


def workspace_loads(context, fetch_for) -> list[Load]:
    """One load per workspace partition of the run; `fetch_for(ws)` returns that load's fetch."""
    return [Load(Scope(ws), fetch_for(ws), ws, ws) for ws in context.partition_keys]


def day_loads(context, fetch_for, keep_parents_for=lambda ws: (), reconcile_for=None,
              coverage: str | None = None, watermarks: tuple[str, ...] = ()) -> list[Load]:
    """One load per workspace of the run over the span of its days; `fetch_for(ws, DayRange)`.
    Rows under `keep_parents_for(ws)` are parents the fetch does not read: left as they are.
    `reconcile_for(ws, DayRange)` confirms the stored records the re-read did not return. A load
    reaching today moves `watermarks` (see warehouse.watermarks)."""
    loads = []
    today = last_day()
    for ws, days in days_by_workspace(context.partition_keys).items():
        window = DayRange(days[0], days[-1], first_day(), today)
        scope = Scope(ws, days, keep_parents=keep_parents_for(ws))
        loads.append(Load(scope, fetch_for(ws, window), days[0].isoformat(), days[-1].isoformat(),
                          reconcile=reconcile_for(ws, window) if reconcile_for else None,
                          coverage=coverage, watermarks=watermarks if days[-1] >= today else (),
                          window_from=days[0] if window.from_ms is not None else None))
    return loads


class TaskSelection(dg.Config):
    """Which stored tasks a per-task entity (comments, time in status) is read for."""

    only_changed: bool = Field(
        default=False, description="Only tasks whose date_updated changed since this entity was "
                                   "last read for them (what the hourly schedule does).")
    list_ids: list[str] = Field(default=[], description="Only tasks of these lists.")


def task_loads(context, warehouse, entity: str, selection: TaskSelection, fetch_for) -> list[Load]:
    """One load per workspace of the run for the tasks stored in its partitions that `selection`
    picks; `fetch_for(ws, [(task id, day)])`. Their rows are replaced task by task, and the task
    versions read are remembered in the same transaction (not those of tasks that vanished: they
    are read again next time unless the deletion check confirms them gone)."""
    loads = []
    for ws, days in days_by_workspace(context.partition_keys).items():
        with warehouse.connection() as conn:
            picked = queries.tasks_to_refresh(conn, ws, days, entity, selection.only_changed,
                                              selection.list_ids)
        scope = Scope(ws, days, task_ids=[task.id for task in picked])
        progress = Progress(f"{entity} of workspace {ws}", unit="tasks", total=len(picked))
        loads.append(Load(
            scope, fetch_for(ws, progress.step([(task.id, task.partition_date) for task in picked])),
            days[0].isoformat(), days[-1].isoformat(), progress=progress,
            after=lambda conn, findings, ws=ws, picked=picked: queries.record_fetches(
                conn, ws, entity, [t for t in picked if t.id not in set(findings.ids("task"))])))
    return loads
