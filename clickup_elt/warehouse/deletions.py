"""`clickup_raw.deletions`: objects ClickUp no longer returns, with the last record we held of them.

Hierarchy objects (spaces, folders, lists) are recorded when a full hierarchy load no longer returns
them (both `archived` values were asked, so a missing object is gone, or out of the token's reach).
Tasks and time entries are recorded only after a read of that one object confirmed it (404 or an
`ACCESS_*` answer). The last record is kept as `evidence`, so marts can still show a deleted object,
flagged. An object seen again is forgotten here.

`clickup_raw.deletion_candidates` holds objects that vanished while a load read them (a task deleted
between the task walk and its comments): the next task load confirms them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

import orjson
from psycopg2.extensions import connection as Connection
from psycopg2.extensions import cursor as Cursor

from clickup_elt.records import ACCESS_LOST, DELETED, MISSING, Vanished
from clickup_elt.warehouse.schema import RAW_SCHEMA

if TYPE_CHECKING:  # load imports this module
    from clickup_elt.warehouse.load import Scope

__all__ = [
    "ACCESS_LOST",
    "DELETED",
    "MISSING",
    "OBJECT_TYPES",
    "HIERARCHY",
    "record",
    "forget",
    "record_vanished",
    "forget_incoming",
    "offer",
    "candidates",
]

OBJECT_TYPES = {
    "spaces": "space",
    "folders": "folder",
    "lists": "list",
    "tasks": "task",
    "time_entries": "time_entry",
}  # raw table -> object type recorded here
HIERARCHY = ("spaces", "folders", "lists")  # tables whose whole-workspace loads list every object


def record_vanished(
    cur: Cursor, table: str, object_type: str, scope: Scope, run_id: str, schema: str = RAW_SCHEMA
) -> None:
    """Inside a load, before `table`'s rows in `scope` are replaced by `_incoming`: record the stored
    ones that did not arrive again."""
    where, params = scope.where_sql(table)
    cur.execute(
        f"insert into {schema}.deletions (workspace_id, object_type, id, reason, evidence, run_id) "
        f"select workspace_id, %s, id, %s, data, %s from {table} t "
        f"where {where} and not exists (select 1 from _incoming i where i.id = t.id) "
        f"on conflict (workspace_id, object_type, id) do nothing",
        (object_type, MISSING, run_id, *params),
    )


def forget_incoming(
    cur: Cursor,
    workspace_id: str,
    object_type: str,
    keep: str,
    params: tuple[object, ...],
    schema: str = RAW_SCHEMA,
) -> None:
    """Inside a load: objects that arrive again (`_incoming` rows matching `keep`) are not deleted."""
    cur.execute(
        f"delete from {schema}.deletions where workspace_id = %s and object_type = %s "
        f"and id in (select id from _incoming where {keep})",
        (workspace_id, object_type, *params),
    )
    cur.execute(
        f"delete from {schema}.deletion_candidates where workspace_id = %s and object_type = %s "
        f"and id in (select id from _incoming where {keep})",
        (workspace_id, object_type, *params),
    )


def record(
    conn: Connection,
    workspace_id: str,
    object_type: str,
    verdicts: dict[str, tuple[str, dict | None]],
    run_id: str,
    schema: str = RAW_SCHEMA,
) -> None:
    """Record confirmed verdicts `{id: (reason, last known record)}` (the latest verdict wins)."""
    if not verdicts:
        return
    with conn.cursor() as cur:
        for object_id, (reason, evidence) in verdicts.items():
            cur.execute(
                f"insert into {schema}.deletions (workspace_id, object_type, id, reason, evidence, run_id) "
                f"values (%s, %s, %s, %s, %s, %s) on conflict (workspace_id, object_type, id) do update "
                f"set reason = excluded.reason, run_id = excluded.run_id, detected_at = now(), "
                f"evidence = coalesce(excluded.evidence, {schema}.deletions.evidence)",
                (
                    workspace_id,
                    object_type,
                    object_id,
                    reason,
                    orjson.dumps(evidence).decode() if evidence is not None else None,
                    run_id,
                ),
            )
        cur.execute(
            f"delete from {schema}.deletion_candidates where workspace_id = %s "
            f"and object_type = %s and id = any(%s)",
            (workspace_id, object_type, list(verdicts)),
        )


def forget(
    conn: Connection, workspace_id: str, object_type: str, ids: Collection[str], schema: str = RAW_SCHEMA
) -> None:
    """Objects seen alive again are no longer deleted."""
    with conn.cursor() as cur:
        cur.execute(
            f"delete from {schema}.deletions where workspace_id = %s and object_type = %s and id = any(%s)",
            (workspace_id, object_type, list(ids)),
        )
        cur.execute(
            f"delete from {schema}.deletion_candidates where workspace_id = %s "
            f"and object_type = %s and id = any(%s)",
            (workspace_id, object_type, list(ids)),
        )


def offer(
    conn: Connection, workspace_id: str, vanished: list[Vanished], run_id: str, schema: str = RAW_SCHEMA
) -> None:
    """Objects that vanished while a load read them, for the deletion check to confirm."""
    if not vanished:
        return
    with conn.cursor() as cur:
        for gone in vanished:
            cur.execute(
                f"insert into {schema}.deletion_candidates "
                f"(workspace_id, object_type, id, verdict, reason, path, run_id) "
                f"values (%s, %s, %s, %s, %s, %s, %s) on conflict (workspace_id, object_type, id) "
                f"do update set verdict = coalesce(excluded.verdict, {schema}.deletion_candidates.verdict), "
                f"reason = excluded.reason, path = excluded.path, run_id = excluded.run_id, "
                f"detected_at = now()",
                (
                    workspace_id,
                    gone.object_type,
                    gone.object_id,
                    gone.verdict,
                    gone.reason,
                    gone.path,
                    run_id,
                ),
            )


def candidates(conn: Connection, workspace_id: str, object_type: str, schema: str = RAW_SCHEMA) -> set[str]:
    with conn.cursor() as cur:
        cur.execute(
            f"select id from {schema}.deletion_candidates where workspace_id = %s and object_type = %s",
            (workspace_id, object_type),
        )
        return {r[0] for r in cur.fetchall()}
