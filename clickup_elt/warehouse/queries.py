"""Reads of the raw tables that later extractions need (parent ids), so no API request repeats."""

from __future__ import annotations

from clickup_elt.warehouse.schema import RAW_SCHEMA

ARCHIVED_LISTS_SQL = f"""
select l.id
from {RAW_SCHEMA}.lists l
left join {RAW_SCHEMA}.folders f
    on f.workspace_id = l.workspace_id and f.id = l.data -> 'folder' ->> 'id'
left join {RAW_SCHEMA}.spaces s
    on s.workspace_id = l.workspace_id and s.id = l.data -> 'space' ->> 'id'
where l.workspace_id = %s
  and (coalesce((l.data ->> 'archived')::boolean, false)
       or coalesce((f.data ->> 'archived')::boolean, false)
       or coalesce((s.data ->> 'archived')::boolean, false))
order by l.id
"""


def ids(conn, entity: str, workspace_id: str) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(f"select id from {RAW_SCHEMA}.{entity} where workspace_id = %s order by id",
                    (workspace_id,))
        return [r[0] for r in cur.fetchall()]


def archived_list_ids(conn, workspace_id: str) -> list[str]:
    """Lists whose tasks the workspace task endpoint leaves out: archived, or in an archived parent."""
    with conn.cursor() as cur:
        cur.execute(ARCHIVED_LISTS_SQL, (workspace_id,))
        return [r[0] for r in cur.fetchall()]


def tasks_in_partitions(conn, workspace_id: str, days) -> list[tuple[str, object]]:
    """(task id, partition day) of the tasks stored in the given daily partitions."""
    with conn.cursor() as cur:
        cur.execute(f"select id, partition_date from {RAW_SCHEMA}.tasks "
                    f"where workspace_id = %s and partition_date = any(%s) order by id",
                    (workspace_id, list(days)))
        return cur.fetchall()


def member_ids(conn, workspace_id: str) -> list[str]:
    return ids(conn, "members", workspace_id)
