"""Is the sync healthy: the warehouse answers, the Dagster instance answers, and every workspace's
entities synced within their thresholds (CLICKUP_SYNC_MAX_AGE_HOURS), as the sync_health check
judges them."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from clickup_elt import settings
from clickup_elt.warehouse import db, synclog
from clickup_elt.warehouse.schema import RAW_ENTITIES


def check(database_url: str, instance: dg.DagsterInstance | None) -> tuple[bool, dict]:
    """(healthy, what was found)."""
    reasons: list[str] = []
    body: dict = {"warehouse": "ok", "dagster": "ok", "workspaces": {}}
    try:
        with db.connection(database_url) as conn:
            status = synclog.latest_status(conn)
    except Exception as exc:  # the warehouse itself is what is wrong: say so, in one line
        body["warehouse"] = "unreachable"
        reasons.append(
            f"the warehouse does not answer ({type(exc).__name__}): check DATABASE_URL "
            f"and that the database is running"
        )
        status = []
    try:
        if instance is None:
            raise RuntimeError("no instance")
        instance.get_runs(limit=1)
    except Exception as exc:
        body["dagster"] = "unreachable"
        reasons.append(
            f"the Dagster instance does not answer ({type(exc).__name__}): check DAGSTER_HOME and its storage"
        )
    workspaces = sorted({row["workspace_id"] for row in status if row["workspace_id"]})
    now = dt.datetime.now(dt.timezone.utc)
    swept = ("deletions",) if any(row["entity"] == "deletions" for row in status) else ()
    problems = synclog.health_problems(
        status, workspaces, RAW_ENTITIES + swept, now, settings.max_age_hours()
    )
    for ws in workspaces:
        last = max(
            (row["last_success"] for row in status if row["workspace_id"] == ws and row["last_success"]),
            default=None,
        )
        mine = [p for p in problems if p.startswith(f"workspace {ws}:")]
        body["workspaces"][ws] = {"last_sync": last, "healthy": not mine, "problems": mine}
    reasons += problems
    body["status"] = "healthy" if not reasons else "unhealthy"
    body["reasons"] = reasons
    return not reasons, body
