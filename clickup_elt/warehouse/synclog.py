"""The sync log: one row per materialization, read by `clickup-elt status`, checks and `sync_health`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from psycopg2.extensions import connection as Connection

from clickup_elt.warehouse.schema import RAW_SCHEMA


@dataclass
class SyncRecord:
    workspace_id: str | None
    entity: str
    partition_start: str | None
    partition_end: str | None
    run_id: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    rows: int | None = None
    requests: int | None = None
    rate_limit_waits: int | None = None
    retries: int | None = None
    outcome: str = "success"
    error: str | None = None
    vanished: int | None = None  # objects that vanished while read (skipped, offered for deletion)
    coverage: str | None = None  # for tasks: "all", "live_lists" (archived lists skipped), "lists"


_COLUMNS = (
    "workspace_id",
    "entity",
    "partition_start",
    "partition_end",
    "run_id",
    "started_at",
    "finished_at",
    "rows",
    "requests",
    "rate_limit_waits",
    "retries",
    "outcome",
    "error",
    "vanished",
    "coverage",
)


def append(conn: Connection, record: SyncRecord, schema: str = RAW_SCHEMA) -> None:
    with conn.cursor() as cur:
        cur.execute(
            f"insert into {schema}.sync_log ({', '.join(_COLUMNS)}) "
            f"values ({', '.join(['%s'] * len(_COLUMNS))})",
            tuple(getattr(record, c) for c in _COLUMNS),
        )


def failures_of_run(conn: Connection, run_id: str) -> set[tuple[str | None, str]]:
    """(workspace, entity) pairs already recorded as failed for a run."""
    with conn.cursor() as cur:
        cur.execute(
            f"select workspace_id, entity from {RAW_SCHEMA}.sync_log "
            f"where run_id = %s and outcome = 'failure'",
            (run_id,),
        )
        return set(cur.fetchall())


STATUS_SQL = f"""
select distinct on (workspace_id, entity)
       workspace_id, entity, run_id, finished_at, rows, requests, outcome, error,
       (select max(s.finished_at) from {RAW_SCHEMA}.sync_log s
         where s.workspace_id is not distinct from l.workspace_id and s.entity = l.entity
           and s.outcome in ('success', 'skipped')) as last_success
from {RAW_SCHEMA}.sync_log l
order by workspace_id, entity, started_at desc
"""


def latest_status(conn: Connection) -> list[dict[str, Any]]:
    """The latest sync of each (workspace, entity), with its last success (a skip, e.g. a ClickApp
    that is off, counts as one)."""
    with conn.cursor() as cur:
        cur.execute(STATUS_SQL)
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def health_problems(
    status: list[dict[str, Any]],
    workspaces: Iterable[str],
    entities: Collection[str],
    now: dt.datetime,
    max_age_hours: dict[str, float],
) -> list[str]:
    """What is wrong with each workspace's sync, in words a person can act on: entities never synced
    or not synced successfully for longer than their threshold (`max_age_hours[entity]`, else
    `max_age_hours["*"]`)."""
    latest = {(row["workspace_id"], row["entity"]): row for row in status}
    problems = []
    for ws in workspaces:
        for entity in entities:
            row = latest.get((ws, entity)) or {}
            limit = max_age_hours.get(entity, max_age_hours["*"])
            last_error = f" (last error: {row['error']})" if row.get("outcome") == "failure" else ""
            fix = f": run `clickup-elt sync --full --workspace {ws}` or check its failed runs"
            if not row.get("last_success"):
                problems.append(f"workspace {ws}: {entity} never synced successfully{last_error}{fix}")
                continue
            age_hours = (now - row["last_success"]).total_seconds() / 3600
            if age_hours > limit:
                problems.append(
                    f"workspace {ws}: {entity} last synced {age_hours:.1f} h ago, more than "
                    f"{limit:g} h{last_error}{fix}"
                )
    return problems
