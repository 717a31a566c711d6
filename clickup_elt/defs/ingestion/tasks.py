"""Raw tasks, partitioned by workspace × UTC day of `date_updated`.

A run covering many days (a backfill, `sync --full`) is one paginated query per workspace over the
whole range, and replaces exactly the covered partitions in one transaction.
"""

import dagster as dg

from clickup_elt.clickup.extract.tasks import tasks as extract_tasks
from clickup_elt.defs.ingestion.common import BY_WORKSPACE_DAY, KINDS, RAW_GROUP, day_loads, raw_key
from clickup_elt.defs.ingestion.hierarchy import lists
from clickup_elt.defs.ingestion.partitions import by_workspace
from clickup_elt.defs.ingestion.runner import run_entity
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import queries


@dg.asset(key=raw_key("tasks"), deps=[dg.AssetDep(lists, partition_mapping=by_workspace)],
          group_name=RAW_GROUP, kinds=KINDS, **BY_WORKSPACE_DAY,
          description="Every task (subtasks, closed, archived, and tasks in archived lists), "
                      "partitioned by the UTC day of date_updated.")
def tasks(context: dg.AssetExecutionContext, clickup: ClickUpResource,
          warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws, window):
        with warehouse.connection() as conn:
            archived_lists = queries.archived_list_ids(conn, ws)
        return lambda client: {"tasks": extract_tasks(client, ws, window, archived_lists)}

    return run_entity(context, clickup, warehouse, "tasks", day_loads(context, fetch_for))
