"""Raw workspace-level assets, partitioned by workspace: the workspace and its members (one shared
`GET /team`), user groups, custom field definitions, space tags, goals and key results."""

from collections.abc import Iterable, Iterator
from functools import partial

import dagster as dg

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract import goals as goal_extract
from clickup_elt.clickup.extract import workspace as ws_extract
from clickup_elt.defs.ingestion.hierarchy_assets import folders, lists, spaces
from clickup_elt.defs.ingestion.loads import workspace_load
from clickup_elt.defs.ingestion.runner import execute_loads, result, run_entity
from clickup_elt.defs.ingestion.specs import BY_WORKSPACE, raw_asset, raw_checks, raw_key, raw_spec
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.records import Findings, RawRow

Rows = dict[str, Iterable[RawRow]]


def read_workspace_and_members(client: ClickUpClient, findings: Findings, *, workspace_id: str) -> Rows:
    entry = ws_extract.team(client, workspace_id)
    return {
        "workspaces": list(ws_extract.workspace_rows(entry, workspace_id)),
        "members": list(ws_extract.member_rows(entry, workspace_id)),
    }


def read_user_groups(client: ClickUpClient, findings: Findings, *, workspace_id: str) -> Rows:
    return {"user_groups": ws_extract.user_groups(client, workspace_id)}


def read_custom_fields(
    client: ClickUpClient,
    findings: Findings,
    *,
    workspace_id: str,
    space_ids: list[str],
    folder_ids: list[str],
    list_ids: list[str],
) -> Rows:
    return {
        "custom_fields": ws_extract.custom_fields(
            client, workspace_id, space_ids, folder_ids, list_ids, findings
        )
    }


def read_tags(client: ClickUpClient, findings: Findings, *, space_ids: list[str]) -> Rows:
    return {"tags": ws_extract.tags(client, space_ids, findings)}


def read_goals_and_key_results(client: ClickUpClient, findings: Findings, *, workspace_id: str) -> Rows:
    goals = goal_extract.goals_with_key_results(client, workspace_id, findings)
    return {
        "goals": list(goal_extract.goal_rows(goals, workspace_id)),
        "key_results": list(goal_extract.key_result_rows(goals)),
    }


@dg.multi_asset(
    specs=[
        raw_spec("workspaces", "Each workspace as GET /team describes it."),
        raw_spec("members", "Workspace members with their roles (owner, admin, member, guest)."),
    ],
    check_specs=raw_checks("workspaces", "members"),
    **BY_WORKSPACE,
)
def workspaces_and_members(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    loads = [
        workspace_load(ws, partial(read_workspace_and_members, workspace_id=ws))
        for ws in context.partition_keys
    ]
    outcomes = execute_loads(context, clickup, warehouse, ("workspaces", "members"), loads)
    yield result(context, warehouse, outcomes, "workspaces", raw_key("workspaces"))
    yield result(context, warehouse, outcomes, "members", raw_key("members"))


@raw_asset("user_groups", **BY_WORKSPACE, description="User groups (the UI's Teams) and their members.")
def user_groups(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    loads = [workspace_load(ws, partial(read_user_groups, workspace_id=ws)) for ws in context.partition_keys]
    return run_entity(context, clickup, warehouse, "user_groups", loads)


@raw_asset(
    "custom_fields",
    deps=[spaces, folders, lists],
    **BY_WORKSPACE,
    description=(
        "Custom field definitions, each tied to the workspace, space, folder or list that created it."
    ),
)
def custom_fields(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    loads = [
        workspace_load(
            ws,
            partial(
                read_custom_fields,
                workspace_id=ws,
                space_ids=warehouse.ids("spaces", ws),
                folder_ids=warehouse.ids("folders", ws),
                list_ids=warehouse.ids("lists", ws),
            ),
        )
        for ws in context.partition_keys
    ]
    return run_entity(context, clickup, warehouse, "custom_fields", loads)


@raw_asset("tags", deps=[spaces], **BY_WORKSPACE, description="Task tags of each space.")
def tags(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    loads = [
        workspace_load(ws, partial(read_tags, space_ids=warehouse.ids("spaces", ws)))
        for ws in context.partition_keys
    ]
    return run_entity(context, clickup, warehouse, "tags", loads)


@dg.multi_asset(
    specs=[
        raw_spec("goals", "Goals, completed ones included."),
        raw_spec("key_results", "Key results (targets) of each goal."),
    ],
    check_specs=raw_checks("goals", "key_results"),
    **BY_WORKSPACE,
)
def goals_and_key_results(
    context: dg.AssetExecutionContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    loads = [
        workspace_load(ws, partial(read_goals_and_key_results, workspace_id=ws))
        for ws in context.partition_keys
    ]
    outcomes = execute_loads(context, clickup, warehouse, ("goals", "key_results"), loads)
    yield result(context, warehouse, outcomes, "goals", raw_key("goals"))
    yield result(context, warehouse, outcomes, "key_results", raw_key("key_results"))
