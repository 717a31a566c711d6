"""Raw hierarchy assets, partitioned by workspace: spaces, folders, lists.

Each reads the parent ids it needs from the raw tables its upstream assets wrote, so no API call is
made twice.
"""

from collections.abc import Iterable
from functools import partial

import dagster as dg

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract import hierarchy
from clickup_elt.defs.ingestion.loads import workspace_load
from clickup_elt.defs.ingestion.runner import run_entity
from clickup_elt.defs.ingestion.specs import BY_WORKSPACE, raw_asset
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.records import Findings, RawRow


def read_spaces(
    client: ClickUpClient, findings: Findings, *, workspace_id: str
) -> dict[str, Iterable[RawRow]]:
    return {"spaces": hierarchy.spaces(client, workspace_id)}


def read_folders(
    client: ClickUpClient, findings: Findings, *, space_ids: list[str]
) -> dict[str, Iterable[RawRow]]:
    return {"folders": hierarchy.folders(client, space_ids, findings)}


def read_lists(
    client: ClickUpClient, findings: Findings, *, space_ids: list[str], folder_ids: list[str]
) -> dict[str, Iterable[RawRow]]:
    return {"lists": hierarchy.lists(client, space_ids, folder_ids, findings)}


@raw_asset("spaces", **BY_WORKSPACE, description="Spaces of each workspace, active and archived.")
def spaces(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    loads = [workspace_load(ws, partial(read_spaces, workspace_id=ws)) for ws in context.partition_keys]
    return run_entity(context, clickup, warehouse, "spaces", loads)


@raw_asset(
    "folders",
    deps=[spaces],
    **BY_WORKSPACE,
    description="Folders (and subfolders) of every space, active and archived.",
)
def folders(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    loads = [
        workspace_load(ws, partial(read_folders, space_ids=warehouse.ids("spaces", ws)))
        for ws in context.partition_keys
    ]
    return run_entity(context, clickup, warehouse, "folders", loads)


@raw_asset(
    "lists",
    deps=[spaces, folders],
    **BY_WORKSPACE,
    description="Lists in folders and folderless lists, active and archived.",
)
def lists(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    loads = [
        workspace_load(
            ws,
            partial(
                read_lists, space_ids=warehouse.ids("spaces", ws), folder_ids=warehouse.ids("folders", ws)
            ),
        )
        for ws in context.partition_keys
    ]
    return run_entity(context, clickup, warehouse, "lists", loads)
