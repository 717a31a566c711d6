"""Raw tasks, partitioned by workspace × UTC day of `date_updated`.

A run covering many days (a backfill, `sync --full`) is one paginated query per workspace over the
whole range, and replaces exactly the covered partitions in one transaction.
"""


import dagster as dg

from clickup_elt.clickup.extract.tasks import tasks as extract_tasks
from clickup_elt.clickup.windows import DayRange
from clickup_elt.defs.ingestion.hierarchy import lists
from clickup_elt.defs.ingestion.partitions import (
    by_workspace, days_by_workspace, first_day, last_day, workspace_day_partitions)
from clickup_elt.defs.ingestion.runner import Load, run_loads
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import queries
from clickup_elt.warehouse.load import Scope


@dg.asset(
    key=["clickup", "tasks"],
    deps=[dg.AssetDep(lists, partition_mapping=by_workspace)],
    partitions_def=workspace_day_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="clickup_raw",
    kinds={"clickup", "postgres"},
    pool="clickup_api",
    description="Every task (subtasks, closed, archived, and tasks in archived lists), partitioned "
                "by the UTC day of date_updated; older versions are superseded in staging.",
)
def tasks(context: dg.AssetExecutionContext, clickup: ClickUpResource,
          warehouse: WarehouseResource) -> dg.MaterializeResult:
    loads = []
    for ws, days in days_by_workspace(context.partition_keys).items():
        window = DayRange(days[0], days[-1], first_day(), last_day())
        with warehouse.connection() as conn:
            archived_lists = queries.archived_list_ids(conn, ws)
        loads.append(Load(
            "tasks", Scope(ws, days),
            lambda client, ws=ws, window=window, archived_lists=archived_lists:
                extract_tasks(client, ws, window, archived_lists),
            days[0].isoformat(), days[-1].isoformat()))
    return run_loads(context, clickup, warehouse, loads)
