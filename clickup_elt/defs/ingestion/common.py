"""What every raw asset shares: partitions, pool, group, and per-workspace loads."""

import dagster as dg

from clickup_elt.clickup.windows import DayRange
from clickup_elt.defs.ingestion.partitions import (
    days_by_workspace, first_day, last_day, workspace_day_partitions, workspaces_partitions)
from clickup_elt.defs.ingestion.runner import Load
from clickup_elt.warehouse.load import Scope

RAW_GROUP = "clickup_raw"
KINDS = {"clickup", "postgres"}
POOL = "clickup_api"


def raw_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey(["clickup", entity])


BY_WORKSPACE = dict(partitions_def=workspaces_partitions, backfill_policy=dg.BackfillPolicy.single_run(),
                    pool=POOL)
BY_WORKSPACE_DAY = dict(partitions_def=workspace_day_partitions,
                        backfill_policy=dg.BackfillPolicy.single_run(), pool=POOL)


def workspace_loads(context, fetch_for) -> list[Load]:
    """One load per workspace partition of the run; `fetch_for(ws)` returns that load's fetch."""
    return [Load(Scope(ws), fetch_for(ws), ws, ws) for ws in context.partition_keys]


def day_loads(context, fetch_for) -> list[Load]:
    """One load per workspace of the run over the span of its days; `fetch_for(ws, DayRange)`."""
    loads = []
    for ws, days in days_by_workspace(context.partition_keys).items():
        window = DayRange(days[0], days[-1], first_day(), last_day())
        loads.append(Load(Scope(ws, days), fetch_for(ws, window), days[0].isoformat(),
                          days[-1].isoformat()))
    return loads
