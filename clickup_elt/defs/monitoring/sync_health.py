"""Sync health: every workspace's entities synced successfully within their threshold (the deletion
sweep too, once it has run).

An asset check on `clickup/workspaces`, evaluated hourly by its own job, so it also fires when syncs
stop altogether. Thresholds come from `CLICKUP_SYNC_MAX_AGE_HOURS`, e.g. `tasks=3,*=26`.
"""

import datetime as dt
import os

import dagster as dg

from clickup_elt.defs.ingestion.partitions import WORKSPACES_PARTITIONS_NAME
from clickup_elt.defs.ingestion.specs import raw_key
from clickup_elt.defs.resources import WarehouseResource
from clickup_elt.settings import max_age_hours
from clickup_elt.warehouse import synclog
from clickup_elt.warehouse.schema import RAW_ENTITIES

HEALTH_JOB = "clickup_sync_health"


@dg.asset_check(
    asset=raw_key("workspaces"),
    name="sync_health",
    description=(
        "Every entity of every workspace synced successfully within its "
        "threshold (CLICKUP_SYNC_MAX_AGE_HOURS)."
    ),
)
def sync_health(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    workspaces = context.instance.get_dynamic_partitions(WORKSPACES_PARTITIONS_NAME)
    with warehouse.connection() as conn:
        status = synclog.latest_status(conn)
    swept = ("deletions",) if any(row["entity"] == "deletions" for row in status) else ()
    problems = synclog.health_problems(
        status, workspaces, RAW_ENTITIES + swept, dt.datetime.now(dt.timezone.utc), max_age_hours()
    )
    return dg.AssetCheckResult(
        passed=not problems,
        description="; ".join(problems[:20]) or None,
        metadata={"workspaces": len(workspaces), "problems": len(problems)},
    )


health_job = dg.define_asset_job(
    HEALTH_JOB,
    selection=dg.AssetSelection.checks(dg.AssetCheckKey(raw_key("workspaces"), "sync_health")),
    description="Evaluates the sync_health check.",
)


@dg.schedule(
    name="clickup_sync_health_hourly",
    job=health_job,
    execution_timezone="UTC",
    cron_schedule=os.environ.get("CLICKUP_SYNC_HEALTH_CRON") or "20 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Checks every workspace's sync health, even when no sync runs.",
)
def sync_health_hourly() -> dg.RunRequest:
    return dg.RunRequest()
