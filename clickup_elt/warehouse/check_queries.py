"""What the raw-table checks measure, as plain SQL over the rows one run wrote (`run_id`).

Each function returns a small dict of findings; the Dagster layer turns them into asset check
results with messages that name the workspace, the entity, the day and the fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from psycopg2.extensions import connection as Connection

from clickup_elt.warehouse import shapes
from clickup_elt.warehouse.schema import RAW_SCHEMA

SAMPLE = 5  # offending ids named in a message


def duplicate_ids(conn: Connection, entity: str, run_id: str) -> list[tuple[str, dt.date | None, str, int]]:
    """(workspace, day, id, copies) for ids stored more than once in a day (partition_date) the run wrote.

    The days are looked up first and handed back as arrays: joined in one statement, a table just
    loaded has no statistics yet, and the planner compared every row with every day (seconds for a
    full sync of comments, where this takes a tenth of one)."""
    table = f"{RAW_SCHEMA}.{entity}"
    with conn.cursor() as cur:
        cur.execute(f"select distinct workspace_id, partition_date from {table} where run_id = %s", (run_id,))
        touched = cur.fetchall()
        dated = [(ws, day) for ws, day in touched if day is not None]
        undated = sorted({ws for ws, day in touched if day is None})
        cur.execute(
            f"select t.workspace_id, t.partition_date, t.id, count(*) from {table} t "
            f"join unnest(%s::text[], %s::date[]) p (workspace_id, day) "
            f"  on t.workspace_id = p.workspace_id and t.partition_date = p.day "
            f"group by 1, 2, 3 having count(*) > 1 "
            f"union all "
            f"select workspace_id, partition_date, id, count(*) from {table} "
            f"where workspace_id = any(%s) and partition_date is null "
            f"group by 1, 2, 3 having count(*) > 1 "
            f"order by 1, 2, 3 limit 100",
            ([ws for ws, _ in dated], [day for _, day in dated], undated),
        )
        return cur.fetchall()


def stored_rows(conn: Connection, entity: str, run_id: str) -> dict[str, int]:
    """Rows of the run now in the table, per workspace."""
    with conn.cursor() as cur:
        cur.execute(
            f"select workspace_id, count(*) from {RAW_SCHEMA}.{entity} where run_id = %s group by 1",
            (run_id,),
        )
        return dict(cur.fetchall())


def tasks_in_unknown_lists(conn: Connection, run_id: str) -> list[tuple[str, int, list[str]]]:
    """(workspace, tasks, sample list ids) of tasks the run stored whose home list is not in lists."""
    with conn.cursor() as cur:
        cur.execute(
            f"select t.workspace_id, count(*), (array_agg(distinct t.parent_id))[1:{SAMPLE}] "
            f"from {RAW_SCHEMA}.tasks t where t.run_id = %s and t.parent_id is not null "
            f"and not exists (select 1 from {RAW_SCHEMA}.lists l "
            f"                where l.workspace_id = t.workspace_id and l.id = t.parent_id) "
            f"group by 1 order by 1",
            (run_id,),
        )
        return cur.fetchall()


def new_shapes(
    conn: Connection, entity: str, run_id: str, seen: Mapping[str, Collection[str]]
) -> dict[str, list[str]]:
    """Of the shapes a run's records brought (`seen`: kind -> values, see warehouse.shapes), those no
    earlier run had, per kind; remembered so the next run compares with them. Empty on the first run
    of an entity (baseline)."""
    found: dict[str, list[str]] = {}
    with conn.cursor() as cur:
        for kind in shapes.kinds(entity):
            cur.execute(
                f"select key from {RAW_SCHEMA}.schema_keys where entity = %s and kind = %s", (entity, kind)
            )
            known = {r[0] for r in cur.fetchall()}
            fresh = sorted(set(seen.get(kind, ())) - known)
            if fresh:
                cur.executemany(
                    f"insert into {RAW_SCHEMA}.schema_keys (entity, kind, key, first_run_id) "
                    f"values (%s, %s, %s, %s) on conflict do nothing",
                    [(entity, kind, key, run_id) for key in fresh],
                )
            if known and fresh:
                found[kind] = fresh
    return found
