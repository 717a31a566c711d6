"""Reads of the raw tables that later extractions need (parent ids), so no API request repeats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from psycopg2.extensions import connection as Connection

from clickup_elt.warehouse.schema import RAW_SCHEMA

ARCHIVED_LISTS_SQL = f"""
with recursive folder_tree as (
    select f.id, coalesce(f.data -> 'parent_folder' ->> 'id', f.data -> 'parent_folder' #>> '{{}}') as parent,
           coalesce((f.data ->> 'archived')::boolean, false) as archived
    from {RAW_SCHEMA}.folders f
    where f.workspace_id = %(ws)s
), archived_folders as (  -- archived folders and every folder below one
    select id from folder_tree where archived
    union
    select t.id from folder_tree t join archived_folders a
        on a.id = t.parent
)
select l.id
from {RAW_SCHEMA}.lists l
left join {RAW_SCHEMA}.spaces s
    on s.workspace_id = l.workspace_id and s.id = l.data -> 'space' ->> 'id'
where l.workspace_id = %(ws)s
  and (coalesce((l.data ->> 'archived')::boolean, false)
       or l.data -> 'folder' ->> 'id' in (select id from archived_folders)
       or coalesce((s.data ->> 'archived')::boolean, false))
order by l.id
"""


def ids(conn: Connection, entity: str, workspace_id: str) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(
            f"select id from {RAW_SCHEMA}.{entity} where workspace_id = %s order by id", (workspace_id,)
        )
        return [r[0] for r in cur.fetchall()]


def archived_list_ids(conn: Connection, workspace_id: str) -> list[str]:
    """Lists whose tasks the workspace task endpoint leaves out: archived, or in an archived parent."""
    with conn.cursor() as cur:
        cur.execute(ARCHIVED_LISTS_SQL, {"ws": workspace_id})
        return [r[0] for r in cur.fetchall()]


@dataclass(frozen=True)
class PickedTask:
    id: str
    partition_date: dt.date
    date_updated: str | None


def tasks_to_refresh(
    conn: Connection,
    workspace_id: str,
    days: Iterable[dt.date],
    entity: str,
    only_changed: bool = False,
    list_ids: Collection[str] = (),
    task_ids: Collection[str] | None = None,
) -> list[PickedTask]:
    """The tasks stored in the given daily partitions (newest version of each, not recorded as
    deleted) whose `entity` (comments, time in status) should be read: all of them, only those of
    `list_ids`, and/or only those whose `date_updated` changed since that entity was last read for
    them. `task_ids` (when not None) picks those tasks instead, whatever partition holds them."""
    filters: list[str] = []
    params: list[Any] = [workspace_id]
    if task_ids is not None:
        filters.append("id = any(%s)")
        params.append(list(task_ids))
    else:
        filters.append("partition_date = any(%s)")
        params.append(list(days))
    if list_ids:
        filters.append("parent_id = any(%s)")
        params.append(list(list_ids))
    changed = ""
    if only_changed:
        changed = (
            f"and not exists (select 1 from {RAW_SCHEMA}.task_fetches f "
            f"where f.workspace_id = %s and f.entity = %s and f.task_id = latest.id "
            f"and f.date_updated is not distinct from latest.date_updated)"
        )
    # date_updated is read out of each record once (`offset 0` keeps the planner from inlining it
    # twice): every read decompresses the whole record, which is most of this query's time
    sql = (
        f"select id, partition_date, date_updated from ("
        f"  select distinct on (id) id, partition_date, date_updated from ("
        f"    select id, partition_date, loaded_at, data ->> 'date_updated' as date_updated"
        f"    from {RAW_SCHEMA}.tasks where workspace_id = %s "
        f"    {''.join(' and ' + f for f in filters)} offset 0) stored"
        f"  order by id, date_updated::bigint desc nulls last, loaded_at desc) latest "
        f"where not exists (select 1 from {RAW_SCHEMA}.deletions d where d.workspace_id = %s "
        f"                  and d.object_type = 'task' and d.id = latest.id) "
        f"{changed} order by id"
    )
    params.append(workspace_id)
    if only_changed:
        params += [workspace_id, entity]
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return [PickedTask(*row) for row in cur.fetchall()]


def record_fetches(conn: Connection, workspace_id: str, entity: str, tasks: list[PickedTask]) -> None:
    """Remember which version of each task `entity` was read for (inside the load's transaction)."""
    with conn.cursor() as cur:
        cur.execute(
            f"insert into {RAW_SCHEMA}.task_fetches (workspace_id, entity, task_id, date_updated) "
            f"select %s, %s, task_id, date_updated "
            f"from unnest(%s::text[], %s::text[]) as t(task_id, date_updated) "
            f"on conflict (workspace_id, entity, task_id) do update "
            f"set date_updated = excluded.date_updated, fetched_at = now()",
            (workspace_id, entity, [t.id for t in tasks], [t.date_updated for t in tasks]),
        )


SETTLE_SLACK_MS = 1000  # ClickUp may stamp the history item and the task a moment apart


def settle_fetches(
    conn: Connection, workspace_id: str, entity: str, newest_event_ms: Mapping[str, int]
) -> None:
    """Record `entity` as current for tasks whose webhook events showed it unchanged, provided the
    newest of those events is the stored version's latest change: a later change no delivery told
    of leaves the task to the hourly run's `only_changed` read."""
    with conn.cursor() as cur:
        cur.execute(
            f"insert into {RAW_SCHEMA}.task_fetches (workspace_id, entity, task_id, date_updated) "
            f"select %(ws)s, %(entity)s, latest.id, latest.date_updated from ("
            f"  select distinct on (id) id, data ->> 'date_updated' as date_updated"
            f"  from {RAW_SCHEMA}.tasks where workspace_id = %(ws)s and id = any(%(ids)s)"
            f"  order by id, (data ->> 'date_updated')::bigint desc nulls last, loaded_at desc) latest "
            f"join unnest(%(ids)s::text[], %(newest)s::bigint[]) as e(task_id, newest_ms) "
            f"  on e.task_id = latest.id "
            f"where (latest.date_updated)::bigint <= e.newest_ms + %(slack)s "
            f"on conflict (workspace_id, entity, task_id) do update "
            f"set date_updated = excluded.date_updated, fetched_at = now()",
            {
                "ws": workspace_id,
                "entity": entity,
                "ids": list(newest_event_ms),
                "newest": list(newest_event_ms.values()),
                "slack": SETTLE_SLACK_MS,
            },
        )


def member_ids(conn: Connection, workspace_id: str) -> list[str]:
    return ids(conn, "members", workspace_id)


def stored_task_ids(conn: Connection, workspace_id: str) -> set[str]:
    """Tasks we hold for the workspace that are not recorded as deleted or out of reach."""
    with conn.cursor() as cur:
        cur.execute(
            f"select distinct id from {RAW_SCHEMA}.tasks t where workspace_id = %s "
            f"and not exists (select 1 from {RAW_SCHEMA}.deletions d where d.workspace_id = "
            f"t.workspace_id and d.object_type = 'task' and d.id = t.id)",
            (workspace_id,),
        )
        return {r[0] for r in cur.fetchall()}


def latest_task_records(conn: Connection, workspace_id: str, task_ids: Iterable[str]) -> dict[str, dict]:
    """The newest stored record of each task (the evidence kept when one is deleted)."""
    with conn.cursor() as cur:
        cur.execute(
            f"select distinct on (id) id, data from {RAW_SCHEMA}.tasks where workspace_id = %s "
            f"and id = any(%s) order by id, (data ->> 'date_updated')::bigint desc nulls last, "
            f"loaded_at desc",
            (workspace_id, list(task_ids)),
        )
        return dict(cur.fetchall())


def list_workspaces(conn: Connection, list_ids: Iterable[str]) -> dict[str, str]:
    """The workspace of each known list id."""
    with conn.cursor() as cur:
        cur.execute(f"select id, workspace_id from {RAW_SCHEMA}.lists where id = any(%s)", (list(list_ids),))
        return dict(cur.fetchall())
