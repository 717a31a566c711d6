"""`clickup_raw.deletions`: objects ClickUp no longer returns, with the last record we held of them.

Hierarchy objects (spaces, folders, lists) are recorded when a full hierarchy load no longer returns
them (both `archived` values were asked, so a missing object is gone, or out of the token's reach).
Tasks are recorded by the deletion sweep only after `GET /task/{id}` confirmed it. The last record is
kept as `evidence`, so marts can still show a deleted object, flagged.
"""

from __future__ import annotations

import orjson

from clickup_elt.warehouse.schema import RAW_SCHEMA

DELETED = "deleted"  # GET /task/{id} answered 404 ITEM_013
ACCESS_LOST = "access_lost"  # ACCESS_* errors: the object may exist, the token no longer sees it
MISSING = "missing_from_api"  # absent from a complete hierarchy listing

HIERARCHY = {"spaces": "space", "folders": "folder", "lists": "list"}  # raw table -> object type


def record_vanished(cur, table: str, object_type: str, workspace_id: str, run_id: str,
                    schema: str = RAW_SCHEMA) -> None:
    """Inside a load, before `table`'s rows are replaced by `_incoming`: record the vanished ones,
    forget the deletions of those that are back."""
    cur.execute(
        f"insert into {schema}.deletions (workspace_id, object_type, id, reason, evidence, run_id) "
        f"select workspace_id, %s, id, %s, data, %s from {table} t "
        f"where workspace_id = %s and not exists (select 1 from _incoming i where i.id = t.id) "
        f"on conflict (workspace_id, object_type, id) do nothing",
        (object_type, MISSING, run_id, workspace_id))
    cur.execute(
        f"delete from {schema}.deletions where workspace_id = %s and object_type = %s "
        f"and id in (select id from _incoming)", (workspace_id, object_type))


def record(conn, workspace_id: str, object_type: str, verdicts: dict[str, tuple[str, dict | None]],
           run_id: str, schema: str = RAW_SCHEMA) -> None:
    """Record confirmed verdicts `{id: (reason, last known record)}` (the latest verdict wins)."""
    with conn.cursor() as cur:
        for object_id, (reason, evidence) in verdicts.items():
            cur.execute(
                f"insert into {schema}.deletions (workspace_id, object_type, id, reason, evidence, run_id) "
                f"values (%s, %s, %s, %s, %s, %s) on conflict (workspace_id, object_type, id) do update "
                f"set reason = excluded.reason, run_id = excluded.run_id, detected_at = now(), "
                f"evidence = coalesce(excluded.evidence, {schema}.deletions.evidence)",
                (workspace_id, object_type, object_id, reason,
                 orjson.dumps(evidence).decode() if evidence is not None else None, run_id))


def forget(conn, workspace_id: str, object_type: str, ids, schema: str = RAW_SCHEMA) -> None:
    """Objects seen alive again are no longer deleted."""
    with conn.cursor() as cur:
        cur.execute(f"delete from {schema}.deletions where workspace_id = %s and object_type = %s "
                    f"and id = any(%s)", (workspace_id, object_type, list(ids)))


def deleted_ids(conn, workspace_id: str, object_type: str, schema: str = RAW_SCHEMA) -> set[str]:
    with conn.cursor() as cur:
        cur.execute(f"select id from {schema}.deletions where workspace_id = %s and object_type = %s",
                    (workspace_id, object_type))
        return {r[0] for r in cur.fetchall()}
