"""Raw tasks, partitioned by workspace × UTC day of `date_updated`.

A run covering many days (a backfill, `sync --full`) is one paginated query per workspace over the
whole range, and replaces exactly the covered partitions in one transaction.

Tasks living in archived lists are only served list by list (two requests per archived list). Runs
that skip them (`archived_lists: false`, as the hourly schedule does) leave those rows as they are;
the next run that reads them refreshes them.

A stored task that the re-read of its partitions no longer returns is not simply dropped (an older
copy of it elsewhere would speak for it again): it is confirmed with `GET /task/{id}`, together with
the tasks other loads saw vanish, at most CLICKUP_CONFIRM_BUDGET requests per workspace and run.
Deleted or out-of-reach tasks are recorded in `clickup_raw.deletions` with their last record; tasks
still served (moved, archived with their list) are stored as ClickUp serves them now; the rest stay
as they are until the next run confirms them.
"""

import functools

import dagster as dg
from pydantic import Field

from clickup_elt import settings
from clickup_elt.clickup.extract.deletions import confirm_tasks
from clickup_elt.clickup.extract.tasks import tasks as extract_tasks
from clickup_elt.defs.ingestion.common import BY_WORKSPACE_DAY, day_loads, raw_asset
from clickup_elt.defs.ingestion.hierarchy import lists
from clickup_elt.defs.ingestion.partitions import by_workspace
from clickup_elt.defs.ingestion.runner import run_entity
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import deletions, queries, watermarks
from clickup_elt.warehouse.load import Scope


# what each kind of task load tells later runs about how far changes were read (warehouse.watermarks)
WATERMARKS = {"all": (watermarks.TASKS, watermarks.TASKS_IN_ARCHIVED_LISTS),
              "live_lists": (watermarks.TASKS,), "lists": ()}


class TasksConfig(dg.Config):
    archived_lists: bool = Field(
        default=True, description="Also read the tasks of archived lists (two requests per archived list).")
    list_ids: list[str] = Field(
        default=[], description="Only the tasks of these lists (a board sync): they are upserted, "
                                "the rest of the partitions is left as it is.")


@raw_asset("tasks", deps=[dg.AssetDep(lists, partition_mapping=by_workspace)],
           **BY_WORKSPACE_DAY,
           description="Every task (subtasks, closed, archived, and tasks in archived lists), "
                       "partitioned by the UTC day of date_updated.")
def tasks(context: dg.AssetExecutionContext, config: TasksConfig, clickup: ClickUpResource,
          warehouse: WarehouseResource) -> dg.MaterializeResult:
    @functools.cache
    def archived_lists(ws: str) -> tuple[str, ...]:
        with warehouse.connection() as conn:
            return tuple(queries.archived_list_ids(conn, ws))

    def fetch_for(ws, window):
        walked = archived_lists(ws) if config.archived_lists else ()
        return lambda client, findings: {
            "tasks": extract_tasks(client, ws, window, walked, config.list_ids, findings)}

    def reconcile_for(ws, window):
        with warehouse.connection() as conn:
            pending = deletions.candidates(conn, ws, "task")
        return lambda client, left: confirm_tasks(client, {*left, *pending}, window,
                                                  settings.confirm_budget())

    coverage = "lists" if config.list_ids else "all" if config.archived_lists else "live_lists"
    loads = day_loads(context, fetch_for,
                      lambda ws: () if config.archived_lists else archived_lists(ws),
                      reconcile_for, coverage, WATERMARKS[coverage])
    if config.list_ids:
        for load in loads:
            load.scope = Scope(load.scope.workspace_id, upsert=True)
    return run_entity(context, clickup, warehouse, "tasks", loads)
