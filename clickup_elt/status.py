"""What `clickup-elt status` answers: per workspace, when it was last synced in full and
incrementally, how many rows each entity holds, what failed, and the command that fixes it.

Read from the warehouse alone (the sync log, the raw tables, the watermarks), so it works while no
Dagster process runs and answers the same for syncs started from the CLI, a schedule or the UI.
"""

from __future__ import annotations

from psycopg2.extensions import cursor as Cursor

from clickup_elt import settings
from clickup_elt.clickup import workspace_discovery as discovery
from clickup_elt.warehouse import db, synclog
from clickup_elt.warehouse import workspace_tokens as ws_table
from clickup_elt.warehouse.schema import RAW_ENTITIES, RAW_SCHEMA

LAST_SYNCS_SQL = f"""
select workspace_id,
       max(started_at) filter (where coverage = 'all' and partition_start = %(first)s) as last_full,
       max(started_at) filter (where coverage in ('all', 'live_lists')) as last_incremental
from {RAW_SCHEMA}.sync_log
where entity = 'tasks' and outcome = 'success'
group by workspace_id
"""


def _rows_per_entity(cur: Cursor) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for entity in RAW_ENTITIES + ("deletions",):
        cur.execute(f"select workspace_id, count(*) from {RAW_SCHEMA}.{entity} group by 1")
        counts.update(((ws, entity), n) for ws, n in cur.fetchall())
    return counts


def _fix(workspace_id: str, entity: str, error: str, ever_succeeded: bool) -> str:
    """The command (or setting) that fixes a failed entity, from what the error says."""
    sync = f"clickup-elt sync {'' if ever_succeeded else '--full '}--workspace {workspace_id}"
    if "CLICKUP_API_TOKEN" in error:
        return f"fix CLICKUP_API_TOKEN as the error says, then `{sync}`"
    if "pool" in error and "clickup-elt release" in error:
        return "release the stuck run with the `clickup-elt release` command the error names"
    return f"`{sync}`"


def workspace_status(url: str) -> list[dict]:
    """One dict per known workspace: name, token, last full and incremental sync, and per entity the
    rows stored, the last success, the latest outcome, and for failures the error and the fix."""
    tokens = settings.tokens()
    db.ensure_raw_schema(url)
    with db.connection(url) as conn, conn.cursor() as cur:
        latest = synclog.latest_status(conn)
        cur.execute(LAST_SYNCS_SQL, {"first": settings.start_date()})
        last = {ws: (full, incremental) for ws, full, incremental in cur.fetchall()}
        counts = _rows_per_entity(cur)
        cur.execute(f"select workspace_id, max(workspace_name) from {RAW_SCHEMA}.workspace_tokens group by 1")
        names = dict(cur.fetchall())
        cur.execute(f"select workspace_id, count(*) from {RAW_SCHEMA}.deletion_candidates group by 1")
        pending = dict(cur.fetchall())
        workspaces = sorted({ws for ws in names} | {r["workspace_id"] for r in latest if r["workspace_id"]})
        chosen = {
            ws: discovery.fingerprint_for(tokens, ws_table.fingerprints_for(conn, ws)) for ws in workspaces
        }
    out = []
    for ws in workspaces:
        entities = []
        for row in sorted((r for r in latest if r["workspace_id"] == ws), key=lambda r: r["entity"]):
            entry = {
                "entity": row["entity"],
                "rows": counts.get((ws, row["entity"]), 0),
                "last_success": row["last_success"],
                "last_run": row["finished_at"],
                "outcome": row["outcome"],
                "requests": row["requests"],
            }
            if row["outcome"] == "failure":
                error = row["error"] or "failed"
                entry.update(error=error, fix=_fix(ws, row["entity"], error, row["last_success"] is not None))
            entities.append(entry)
        full, incremental = last.get(ws, (None, None))
        out.append(
            {
                "workspace_id": ws,
                "name": names.get(ws),
                "token": chosen.get(ws),
                "last_full_sync": full,
                "last_incremental_sync": incremental,
                "deletions_to_confirm": pending.get(ws, 0),
                "failed": [e["entity"] for e in entities if e["outcome"] == "failure"],
                "entities": entities,
            }
        )
    return out
