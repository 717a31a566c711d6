"""Raw activity assets, partitioned by workspace and read for the days of their config: comments and
time in status of the tasks filed under those days, and time entries by the day they started."""

import datetime as dt
import itertools
import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial

import dagster as dg

from clickup_elt import settings
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract.comments import comments as extract_comments
from clickup_elt.clickup.extract.time_entries import confirm_entries
from clickup_elt.clickup.extract.time_entries import time_entries as extract_time_entries
from clickup_elt.clickup.extract.time_in_status import BATCH, TimeInStatusDisabled, time_in_status
from clickup_elt.clickup.windows import DayRange
from clickup_elt.defs.ingestion.loads import day_load, day_window, task_load
from clickup_elt.defs.ingestion.run_configs import TaskSelection, TimeEntriesConfig
from clickup_elt.defs.ingestion.runner import Load, Skip, run_entity
from clickup_elt.defs.ingestion.specs import BY_WORKSPACE, raw_asset, raw_key
from clickup_elt.defs.ingestion.task_assets import tasks
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.records import Findings, RawRow, Reconciled
from clickup_elt.warehouse import watermarks

TaskDays = Iterable[tuple[str, dt.date | None]]


def read_comments(
    client: ClickUpClient, findings: Findings, *, workspace_id: str, task_days: TaskDays
) -> dict[str, Iterable[RawRow]]:
    return {"comments": extract_comments(client, task_days, findings, settings.read_concurrency())}


def read_time_in_status(
    client: ClickUpClient, findings: Findings, *, workspace_id: str, task_days: TaskDays
) -> dict[str, Iterable[RawRow]]:
    """The first batch tells whether the ClickApp is on, so it is read before loading starts."""
    pending = iter(task_days)
    try:
        first = list(time_in_status(client, itertools.islice(pending, BATCH), findings))
    except TimeInStatusDisabled as exc:
        raise Skip(
            f"the Total time in Status ClickApp is off in workspace {workspace_id} ({exc.ecode})"
        ) from None
    rest = time_in_status(client, pending, findings, settings.read_concurrency())
    return {"task_time_in_status": itertools.chain(first, rest)}


def read_time_entries(
    client: ClickUpClient,
    findings: Findings,
    *,
    workspace_id: str,
    member_ids: list[str],
    window: DayRange,
    now_ms: int,
    warn: Callable[[str], object],
) -> dict[str, Iterable[RawRow]]:
    return {
        "time_entries": extract_time_entries(
            client, workspace_id, member_ids, window, now_ms, findings, warn=warn
        )
    }


def confirm_left_entries(
    client: ClickUpClient, left: dict[str, dict], *, workspace_id: str, window: DayRange
) -> Reconciled:
    return confirm_entries(client, workspace_id, left, window)


def _per_task_loads(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    entity: str,
    selection: TaskSelection,
    read: Callable[..., Mapping[str, Iterable[RawRow]]],
) -> list[Load]:
    """One load per workspace of the run, for the stored tasks of the days `selection` picks."""
    days = selection.days()
    return [
        task_load(
            entity,
            ws,
            days,
            warehouse.tasks_to_refresh(
                ws, days, entity, selection.only_changed, selection.list_ids, selection.task_ids
            ),
            read,
            selection.settled_by_events,
        )
        for ws in context.partition_keys
    ]


@raw_asset(
    "comments",
    deps=[tasks],
    **BY_WORKSPACE,
    description=(
        "Comments and threaded replies of the stored tasks of the days read; "
        "re-fetching a task's comments replaces every earlier copy of them."
    ),
)
def comments(
    context: dg.AssetExecutionContext,
    config: TaskSelection,
    clickup: ClickUpResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    loads = _per_task_loads(context, warehouse, "comments", config, read_comments)
    return run_entity(context, clickup, warehouse, "comments", loads)


@raw_asset(
    "task_time_in_status",
    deps=[tasks],
    **BY_WORKSPACE,
    description=(
        "Time each task spent in each status (bulk endpoint, 100 tasks per call); "
        "skipped for workspaces with the Total time in Status ClickApp off."
    ),
)
def task_time_in_status(
    context: dg.AssetExecutionContext,
    config: TaskSelection,
    clickup: ClickUpResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    loads = _per_task_loads(context, warehouse, "task_time_in_status", config, read_time_in_status)
    return run_entity(context, clickup, warehouse, "task_time_in_status", loads)


@raw_asset(
    "time_entries",
    deps=[raw_key("members")],
    **BY_WORKSPACE,
    description="Time entries of every member (running timers included), by UTC day of start.",
)
def time_entries(
    context: dg.AssetExecutionContext,
    config: TimeEntriesConfig,
    clickup: ClickUpResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    now_ms = int(time.time() * 1000)
    days = config.days()
    loads = []
    for ws in context.partition_keys:
        window = day_window(days)
        loads.append(
            day_load(
                ws,
                days,
                partial(
                    read_time_entries,
                    workspace_id=ws,
                    member_ids=warehouse.ids("members", ws),
                    window=window,
                    now_ms=now_ms,
                    warn=context.log.warning,
                ),
                reconcile=partial(confirm_left_entries, workspace_id=ws, window=window),
                watermarks=(watermarks.TIME_ENTRIES,),
            )
        )
    return run_entity(context, clickup, warehouse, "time_entries", loads)
