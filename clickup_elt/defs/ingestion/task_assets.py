"""Raw tasks, partitioned by workspace and filed by the UTC day of `date_updated`.

The days a run reads are run config (`first_day`..`last_day`). A run covering many days (a backfill,
`sync --full`) is one paginated query per workspace over the whole range, and replaces exactly the
rows of those days in one transaction.

Tasks living in archived lists are only served list by list (two requests per archived list). Runs
that skip them (`archived_lists: false`, as the hourly schedule does) leave those rows as they are;
the next run that reads them refreshes them.

A stored task that the re-read of its days no longer returns is not simply dropped (an older
copy of it elsewhere would speak for it again): it is confirmed with `GET /task/{id}`, together with
the tasks other loads saw vanish, at most CLICKUP_CONFIRM_BUDGET requests per workspace and run.
Deleted or out-of-reach tasks are recorded in `clickup_raw.deletions` with their last record; tasks
still served (moved, archived with their list) are stored as ClickUp serves them now; the rest stay
as they are until the next run confirms them.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import partial

import dagster as dg

from clickup_elt import settings
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract.confirm import confirm_tasks
from clickup_elt.clickup.extract.tasks import tasks as extract_tasks
from clickup_elt.clickup.windows import DayRange
from clickup_elt.defs.ingestion.hierarchy_assets import lists
from clickup_elt.defs.ingestion.loads import day_load, day_window
from clickup_elt.defs.ingestion.partitions import first_day, last_day
from clickup_elt.defs.ingestion.run_configs import TasksConfig
from clickup_elt.defs.ingestion.runner import Load, run_entity
from clickup_elt.defs.ingestion.specs import BY_WORKSPACE, raw_asset
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.records import Findings, RawRow, Reconciled
from clickup_elt.warehouse import watermarks
from clickup_elt.webhooks.reread import ChangedTasks

# what each kind of task load tells later runs about how far changes were read (warehouse.watermarks)
WATERMARKS = {
    "all": (watermarks.TASKS, watermarks.TASKS_IN_ARCHIVED_LISTS),
    "live_lists": (watermarks.TASKS,),
    "lists": (),
}


def read_tasks(
    client: ClickUpClient,
    findings: Findings,
    *,
    workspace_id: str,
    window: DayRange,
    archived_list_ids: tuple[str, ...],
    list_ids: list[str],
) -> dict[str, Iterable[RawRow]]:
    return {"tasks": extract_tasks(client, workspace_id, window, archived_list_ids, list_ids, findings)}


def confirm_left_tasks(
    client: ClickUpClient, left: dict[str, dict], *, window: DayRange, pending: set[str]
) -> Reconciled:
    """The tasks that left the re-read days, and those other loads saw vanish, each read again."""
    return confirm_tasks(client, {*left, *pending}, window, settings.confirm_budget())


def changed_tasks_load(workspace_id: str, days: Sequence[dt.date], config: TasksConfig) -> Load:
    """The tasks webhook events named, read again and upserted; the deleted ones recorded."""
    changed = ChangedTasks(
        workspace_id,
        frozenset(config.task_ids),
        frozenset(config.deleted_task_ids),
        config.updated_since_ms,
        DayRange(first_day(), last_day(), first_day(), last_day()),
    )
    return day_load(workspace_id, days, changed.fetch, reconcile=changed.reconcile, upsert=True)


@raw_asset(
    "tasks",
    deps=[lists],
    **BY_WORKSPACE,
    description=(
        "Every task (subtasks, closed, archived, and tasks in archived lists), filed by the UTC day "
        "of date_updated; a run reads the days its config names (default yesterday and today)."
    ),
)
def tasks(
    context: dg.AssetExecutionContext,
    config: TasksConfig,
    clickup: ClickUpResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    days = config.days()
    if config.task_ids or config.deleted_task_ids:
        loads = [changed_tasks_load(ws, days, config) for ws in context.partition_keys]
        return run_entity(context, clickup, warehouse, "tasks", loads)
    coverage = "lists" if config.list_ids else "all" if config.archived_lists else "live_lists"
    loads = []
    for ws in context.partition_keys:
        archived = warehouse.archived_list_ids(ws)
        window = day_window(days)
        loads.append(
            day_load(
                ws,
                days,
                partial(
                    read_tasks,
                    workspace_id=ws,
                    window=window,
                    list_ids=config.list_ids,
                    archived_list_ids=archived if config.archived_lists else (),
                ),
                keep_parents=() if config.archived_lists else archived,
                reconcile=partial(confirm_left_tasks, window=window, pending=warehouse.task_candidates(ws)),
                coverage=coverage,
                watermarks=WATERMARKS[coverage],
                upsert=bool(config.list_ids),
            )
        )
    return run_entity(context, clickup, warehouse, "tasks", loads)
