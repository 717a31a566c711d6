"""Raw hierarchy assets, partitioned by workspace: spaces, folders, lists."""


import dagster as dg

from clickup_elt.clickup.extract import hierarchy
from clickup_elt.defs.ingestion.partitions import workspaces_partitions
from clickup_elt.defs.ingestion.runner import Load, run_loads
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import queries
from clickup_elt.warehouse.load import Scope

COMMON = dict(
    partitions_def=workspaces_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="clickup_raw",
    kinds={"clickup", "postgres"},
    pool="clickup_api",
)


def _loads(context, entity: str, fetch_for) -> list[Load]:
    return [Load(entity, Scope(ws), fetch_for(ws), ws, ws) for ws in context.partition_keys]


@dg.asset(key=["clickup", "spaces"], description="Spaces of each workspace, active and archived.",
          **COMMON)
def spaces(context: dg.AssetExecutionContext, clickup: ClickUpResource,
           warehouse: WarehouseResource) -> dg.MaterializeResult:
    return run_loads(context, clickup, warehouse, _loads(
        context, "spaces", lambda ws: lambda client: hierarchy.spaces(client, ws)))


@dg.asset(key=["clickup", "folders"], deps=[spaces],
          description="Folders (and subfolders) of every space, active and archived.", **COMMON)
def folders(context: dg.AssetExecutionContext, clickup: ClickUpResource,
            warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws):
        with warehouse.connection() as conn:
            space_ids = queries.ids(conn, "spaces", ws)
        return lambda client: hierarchy.folders(client, space_ids)

    return run_loads(context, clickup, warehouse, _loads(context, "folders", fetch_for))


@dg.asset(key=["clickup", "lists"], deps=[spaces, folders],
          description="Lists in folders and folderless lists, active and archived.", **COMMON)
def lists(context: dg.AssetExecutionContext, clickup: ClickUpResource,
          warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws):
        with warehouse.connection() as conn:
            space_ids, folder_ids = queries.ids(conn, "spaces", ws), queries.ids(conn, "folders", ws)
        return lambda client: hierarchy.lists(client, space_ids, folder_ids)

    return run_loads(context, clickup, warehouse, _loads(context, "lists", fetch_for))
