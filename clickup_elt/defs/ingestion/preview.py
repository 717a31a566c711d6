"""A preview of what a materialization loaded: a few of its rows, flattened to the fields a person
recognises, shown with the materialization in the Dagster UI.

Raw records are nested JSON; pandas' `json_normalize` flattens them (`status.status`, `list.name`),
so the preview shows what a task, comment or entry is without opening the warehouse.
"""

from __future__ import annotations

import dagster as dg
import pandas as pd
from psycopg2.extensions import connection as Connection

from clickup_elt.warehouse.schema import RAW_ENTITIES, RAW_SCHEMA

ROWS = 5
# the fields that say what a record is, per entity; others show their first few scalar fields
FIELDS = {
    "tasks": ["id", "name", "status.status", "list.name", "date_updated"],
    "comments": ["id", "comment_text", "user.username", "date"],
    "time_entries": ["id", "user.username", "task.name", "duration", "start"],
    "task_time_in_status": ["current_status.status", "current_status.total_time.by_minute"],
    "members": ["user.id", "user.username", "user.role"],
    "spaces": ["id", "name", "archived"],
    "folders": ["id", "name", "space.name", "archived"],
    "lists": ["id", "name", "folder.name", "space.name", "archived"],
    "custom_fields": ["id", "name", "type"],
    "tags": ["name", "tag_fg", "tag_bg"],
    "goals": ["id", "name", "percent_completed"],
}
FALLBACK_FIELDS = 6


def loaded_preview(conn: Connection, entity: str, run_id: str) -> dg.TableMetadataValue | None:
    """Up to ROWS records the run loaded into `clickup_raw.<entity>`, as a table; None if none."""
    if entity not in RAW_ENTITIES:
        return None
    with conn.cursor() as cur:
        cur.execute(
            f"select data from {RAW_SCHEMA}.{entity} where run_id = %s order by id limit %s", (run_id, ROWS)
        )
        records = [row[0] for row in cur.fetchall()]
    if not records:
        return None
    frame = pd.json_normalize(records, max_level=2)
    scalar = [c for c in frame.columns if not frame[c].map(lambda v: isinstance(v, (list, dict))).any()]
    columns = [c for c in FIELDS.get(entity, []) if c in frame.columns] or scalar[:FALLBACK_FIELDS]
    shown = frame[columns].astype("string").fillna("").apply(lambda col: col.str.slice(0, 80))
    return dg.MetadataValue.table(
        records=[dg.TableRecord(row) for row in shown.to_dict(orient="records")],
        schema=dg.TableSchema(columns=[dg.TableColumn(name, "string") for name in columns]),
    )
