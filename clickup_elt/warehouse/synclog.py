"""The sync log: one row per materialization, read by `clickup-elt status`, checks and `sync_health`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


_COLUMNS = ("workspace_id", "entity", "partition_start", "partition_end", "run_id", "started_at",
            "finished_at", "rows", "requests", "rate_limit_waits", "retries", "outcome", "error")


def append(conn, record: SyncRecord, schema: str = RAW_SCHEMA) -> None:
    with conn.cursor() as cur:
        cur.execute(
            f"insert into {schema}.sync_log ({', '.join(_COLUMNS)}) "
            f"values ({', '.join(['%s'] * len(_COLUMNS))})",
            tuple(getattr(record, c) for c in _COLUMNS),
        )


STATUS_SQL = f"""
select distinct on (workspace_id, entity)
       workspace_id, entity, run_id, finished_at, rows, requests, outcome, error,
       (select max(s.finished_at) from {RAW_SCHEMA}.sync_log s
         where s.workspace_id is not distinct from l.workspace_id and s.entity = l.entity
           and s.outcome = 'success') as last_success
from {RAW_SCHEMA}.sync_log l
order by workspace_id, entity, started_at desc
"""


def latest_status(conn) -> list[dict]:
    """The latest sync of each (workspace, entity), with its last success."""
    with conn.cursor() as cur:
        cur.execute(STATUS_SQL)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]
