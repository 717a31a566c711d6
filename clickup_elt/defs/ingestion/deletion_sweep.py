"""The deletion sweep asset: tasks ClickUp no longer serves, confirmed one by one, into
`clickup_raw.deletions` (spaces, folders and lists are recorded by their own loads)."""

import logging
from functools import partial

import dagster as dg
from psycopg2.extensions import connection as Connection

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract import confirm as sweep
from clickup_elt.clickup.windows import DayRange
from clickup_elt.defs.ingestion.hierarchy_assets import lists
from clickup_elt.defs.ingestion.partitions import first_day, last_day
from clickup_elt.defs.ingestion.runner import Load, run_entity
from clickup_elt.defs.ingestion.specs import BY_WORKSPACE, KINDS, RAW_GROUP, freshness, raw_key
from clickup_elt.defs.ingestion.task_assets import tasks
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.records import ACCESS_LOST, DELETED
from clickup_elt.warehouse import deletions, queries
from clickup_elt.warehouse.load import Scope, replace_rows


def sweep_workspace(
    conn: Connection, client: ClickUpClient, run_id: str, *, workspace_id: str, log: logging.Logger
) -> dict[str, int]:
    """Find, confirm and record the workspace's deleted tasks; store the ones that only moved."""
    everything = DayRange(first_day(), last_day(), first_day(), last_day())
    listed = sweep.listed_task_ids(
        client, workspace_id, everything, queries.archived_list_ids(conn, workspace_id)
    )
    deletions.forget(conn, workspace_id, "task", listed)
    missing = (
        queries.stored_task_ids(conn, workspace_id) | deletions.candidates(conn, workspace_id, "task")
    ) - listed
    last_known = queries.latest_task_records(conn, workspace_id, missing)
    found = sweep.confirm_tasks(client, missing, everything)
    deletions.record(
        conn,
        workspace_id,
        "task",
        {task_id: (verdict, last_known.get(task_id)) for task_id, verdict in found.verdicts.items()},
        run_id,
    )
    if found.rows:
        replace_rows(conn, "tasks", Scope(workspace_id, upsert=True), found.rows, run_id)
    verdicts = list(found.verdicts.values())
    log.info(
        f"workspace {workspace_id}: {len(listed)} tasks listed, {len(missing)} missing: "
        f"{verdicts.count(DELETED)} deleted, {verdicts.count(ACCESS_LOST)} out of reach, "
        f"{len(found.rows)} archived or moved"
    )
    return {"deletions": len(found.verdicts), "tasks": len(found.rows)}


@dg.asset(
    key=raw_key("deletions"),
    group_name=RAW_GROUP,
    kinds=KINDS,
    **BY_WORKSPACE,
    freshness_policy=freshness("deletions"),
    deps=[tasks, lists],
    description=(
        "Tasks deleted in ClickUp (or out of the token's reach), found by a sweep of "
        "every task id and confirmed with GET /task/{id}; and spaces, folders and lists "
        "that a hierarchy load no longer returned."
    ),
)
def task_deletions(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    loads = [
        Load(Scope(ws), None, ws, ws, write=partial(sweep_workspace, workspace_id=ws, log=context.log))
        for ws in context.partition_keys
    ]
    return run_entity(context, clickup, warehouse, "deletions", loads)
