"""Raw workspace-level assets, partitioned by workspace: the workspace and its members (one shared
`GET /team`), user groups, custom field definitions, space tags, goals and key results."""

import dagster as dg

from clickup_elt.clickup.extract import goals as goal_extract
from clickup_elt.clickup.extract import workspace as ws_extract
from clickup_elt.defs.ingestion.common import (
    BY_WORKSPACE, raw_asset, raw_checks, raw_key, raw_spec, workspace_loads)
from clickup_elt.defs.ingestion.hierarchy import folders, lists, spaces
from clickup_elt.defs.ingestion.runner import execute_loads, result, run_entity
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import queries


@dg.multi_asset(
    specs=[raw_spec("workspaces", "Each workspace as GET /team describes it."),
           raw_spec("members", "Workspace members with their roles (owner, admin, member, guest).")],
    check_specs=raw_checks("workspaces", "members"), **BY_WORKSPACE)
def workspaces_and_members(context: dg.AssetExecutionContext, clickup: ClickUpResource,
                           warehouse: WarehouseResource):
    def fetch(ws):
        def rows(client, findings):
            entry = ws_extract.team(client, ws)
            return {"workspaces": list(ws_extract.workspace_rows(entry, ws)),
                    "members": list(ws_extract.member_rows(entry, ws))}
        return rows

    outcomes = execute_loads(context, clickup, warehouse, ("workspaces", "members"),
                             workspace_loads(context, fetch))
    yield result(context, warehouse, outcomes, "workspaces", raw_key("workspaces"))
    yield result(context, warehouse, outcomes, "members", raw_key("members"))


@raw_asset("user_groups", **BY_WORKSPACE,
           description="User groups (the UI's Teams) and their members.")
def user_groups(context: dg.AssetExecutionContext, clickup: ClickUpResource,
                warehouse: WarehouseResource) -> dg.MaterializeResult:
    return run_entity(context, clickup, warehouse, "user_groups", workspace_loads(
        context, lambda ws: lambda client, findings: {"user_groups": ws_extract.user_groups(client, ws)}))


@raw_asset("custom_fields", deps=[spaces, folders, lists], **BY_WORKSPACE,
           description="Custom field definitions, each tied to the workspace, space, folder or list "
                       "that created it.")
def custom_fields(context: dg.AssetExecutionContext, clickup: ClickUpResource,
                  warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws):
        with warehouse.connection() as conn:
            ids = {e: queries.ids(conn, e, ws) for e in ("spaces", "folders", "lists")}
        return lambda client, findings: {"custom_fields": ws_extract.custom_fields(
            client, ws, ids["spaces"], ids["folders"], ids["lists"], findings)}

    return run_entity(context, clickup, warehouse, "custom_fields", workspace_loads(context, fetch_for))


@raw_asset("tags", deps=[spaces], **BY_WORKSPACE,
           description="Task tags of each space.")
def tags(context: dg.AssetExecutionContext, clickup: ClickUpResource,
         warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws):
        with warehouse.connection() as conn:
            space_ids = queries.ids(conn, "spaces", ws)
        return lambda client, findings: {"tags": ws_extract.tags(client, space_ids, findings)}

    return run_entity(context, clickup, warehouse, "tags", workspace_loads(context, fetch_for))


@dg.multi_asset(
    specs=[raw_spec("goals", "Goals, completed ones included."),
           raw_spec("key_results", "Key results (targets) of each goal.")],
    check_specs=raw_checks("goals", "key_results"), **BY_WORKSPACE)
def goals_and_key_results(context: dg.AssetExecutionContext, clickup: ClickUpResource,
                          warehouse: WarehouseResource):
    def fetch(ws):
        def rows(client, findings):
            goals = goal_extract.goals_with_key_results(client, ws, findings)
            return {"goals": list(goal_extract.goal_rows(goals, ws)),
                    "key_results": list(goal_extract.key_result_rows(goals))}
        return rows

    outcomes = execute_loads(context, clickup, warehouse, ("goals", "key_results"),
                             workspace_loads(context, fetch))
    yield result(context, warehouse, outcomes, "goals", raw_key("goals"))
    yield result(context, warehouse, outcomes, "key_results", raw_key("key_results"))
