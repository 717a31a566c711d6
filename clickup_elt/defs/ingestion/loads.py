"""Building the loads of a materialization: one per workspace, over the days or tasks its config
covers. Each load names a module-level fetch function (with its arguments bound), so what a load
reads is readable where the asset builds it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence

from psycopg2.extensions import connection as Connection

from clickup_elt.clickup.windows import DayRange
from clickup_elt.defs.ingestion.partitions import first_day, last_day
from clickup_elt.defs.ingestion.runner import Fetch, Load, Reconcile
from clickup_elt.progress import Progress
from clickup_elt.records import Findings, RawRow
from clickup_elt.warehouse import queries
from clickup_elt.warehouse.load import Scope


def workspace_load(workspace_id: str, fetch: Fetch) -> Load:
    """Everything of one entity in a workspace, replaced whole."""
    return Load(Scope(workspace_id), fetch, workspace_id, workspace_id)


def day_window(days: Sequence[dt.date]) -> DayRange:
    """The `date_updated` window of a run's days (open-ended at the first and last partitions)."""
    return DayRange(days[0], days[-1], first_day(), last_day())


def day_load(
    workspace_id: str,
    days: Sequence[dt.date],
    fetch: Fetch,
    *,
    keep_parents: Iterable[str] = (),
    reconcile: Reconcile | None = None,
    coverage: str | None = None,
    watermarks: tuple[str, ...] = (),
    upsert: bool = False,
) -> Load:
    """The records of some days of a workspace. Rows under `keep_parents` are parents the fetch does
    not read: left as they are. `upsert`: replace only the records that arrive (a board sync). A
    load reaching today moves `watermarks` (see warehouse.watermarks)."""
    window = day_window(days)
    scope = (
        Scope(workspace_id, upsert=True)
        if upsert
        else Scope(workspace_id, days, keep_parents=tuple(keep_parents))
    )
    return Load(
        scope,
        fetch,
        days[0].isoformat(),
        days[-1].isoformat(),
        reconcile=reconcile,
        coverage=coverage,
        watermarks=watermarks if days[-1] >= last_day() else (),
        window_from=days[0] if window.from_ms is not None else None,
    )


def task_load(
    entity: str,
    workspace_id: str,
    days: Sequence[dt.date],
    picked: list[queries.PickedTask],
    read: Callable[..., Mapping[str, Iterable[RawRow]]],
    settled: Mapping[str, int] | None = None,
) -> Load:
    """`entity` (comments, time in status) of the `picked` tasks: `read(client, findings,
    workspace_id=…, task_days=[(task id, day)])`. Their rows are replaced task by task, and the task
    versions read are remembered in the same transaction, with those `settled` by webhook events."""
    progress = Progress(f"{entity} of workspace {workspace_id}", unit="tasks", total=len(picked))
    task_days = progress.step([(task.id, task.partition_date) for task in picked])
    return Load(
        Scope(workspace_id, days, task_ids=[task.id for task in picked]),
        functools.partial(read, workspace_id=workspace_id, task_days=task_days),
        days[0].isoformat(),
        days[-1].isoformat(),
        progress=progress,
        after=functools.partial(
            remember_reads, workspace_id=workspace_id, entity=entity, picked=picked, settled=settled or {}
        ),
    )


def remember_reads(
    conn: Connection,
    findings: Findings,
    *,
    workspace_id: str,
    entity: str,
    picked: list[queries.PickedTask],
    settled: Mapping[str, int],
) -> None:
    """Which task version `entity` was read for; not the tasks that vanished (they are read again
    next time, unless the deletion check confirms them gone)."""
    gone = set(findings.ids("task"))
    queries.record_fetches(conn, workspace_id, entity, [t for t in picked if t.id not in gone])
    if settled:
        queries.settle_fetches(conn, workspace_id, entity, settled)
