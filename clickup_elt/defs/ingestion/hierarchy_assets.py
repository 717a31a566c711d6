"""Raw hierarchy assets, partitioned by workspace: spaces, folders, lists.

Each reads the parent ids it needs from the raw tables its upstream assets wrote, so no API call is
made twice.
"""

import dagster as dg

from clickup_elt.clickup.extract import hierarchy
from clickup_elt.defs.ingestion.common import BY_WORKSPACE, raw_asset, workspace_loads
from clickup_elt.defs.ingestion.runner import run_entity
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import queries


@raw_asset("spaces", **BY_WORKSPACE,
           description="Spaces of each workspace, active and archived.")
def spaces(context: dg.AssetExecutionContext, clickup: ClickUpResource,
           warehouse: WarehouseResource) -> dg.MaterializeResult:
    return run_entity(context, clickup, warehouse, "spaces", workspace_loads(
        context, lambda ws: lambda client, findings: {"spaces": hierarchy.spaces(client, ws)}))


@raw_asset("folders", deps=[spaces], **BY_WORKSPACE,
           description="Folders (and subfolders) of every space, active and archived.")
def folders(context: dg.AssetExecutionContext, clickup: ClickUpResource,
            warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws):
        with warehouse.connection() as conn:
            space_ids = queries.ids(conn, "spaces", ws)
        return lambda client, findings: {"folders": hierarchy.folders(client, space_ids, findings)}

    return run_entity(context, clickup, warehouse, "folders", workspace_loads(context, fetch_for))


@raw_asset("lists", deps=[spaces, folders], **BY_WORKSPACE,
           description="Lists in folders and folderless lists, active and archived.")
def lists(context: dg.AssetExecutionContext, clickup: ClickUpResource,
          warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws):
        with warehouse.connection() as conn:
            space_ids, folder_ids = queries.ids(conn, "spaces", ws), queries.ids(conn, "folders", ws)
        return lambda client, findings: {
            "lists": hierarchy.lists(client, space_ids, folder_ids, findings)}

    return run_entity(context, clickup, warehouse, "lists", workspace_loads(context, fetch_for))
