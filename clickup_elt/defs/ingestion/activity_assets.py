"""Raw activity assets, partitioned by workspace × day: comments and time in status of the tasks in
each tasks partition, and time entries by the day they started."""

import itertools
import time

import dagster as dg

from clickup_elt.clickup.extract.comments import comments as extract_comments
from clickup_elt.clickup.extract.time_entries import confirm_entries
from clickup_elt.clickup.extract.time_entries import time_entries as extract_time_entries
from clickup_elt.clickup.extract.time_in_status import BATCH, TimeInStatusDisabled, time_in_status
from clickup_elt.defs.ingestion.common import (
    BY_WORKSPACE_DAY, TaskSelection, day_loads, raw_asset, raw_key, task_loads)
from clickup_elt.defs.ingestion.partitions import by_workspace
from clickup_elt.defs.ingestion.runner import Skip, run_entity
from clickup_elt.defs.ingestion.tasks import tasks
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import queries, watermarks


@raw_asset("comments", deps=[tasks], **BY_WORKSPACE_DAY,
           description="Comments and threaded replies of the tasks in the same tasks partition; "
                       "re-fetching a task's comments replaces every earlier copy of them.")
def comments(context: dg.AssetExecutionContext, config: TaskSelection, clickup: ClickUpResource,
             warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws, task_days):
        return lambda client, findings: {"comments": extract_comments(client, task_days, findings)}

    return run_entity(context, clickup, warehouse, "comments",
                      task_loads(context, warehouse, "comments", config, fetch_for))


@raw_asset("task_time_in_status", deps=[tasks], **BY_WORKSPACE_DAY,
           description="Time each task spent in each status (bulk endpoint, 100 tasks per call); "
                       "skipped for workspaces with the Total time in Status ClickApp off.")
def task_time_in_status(context: dg.AssetExecutionContext, config: TaskSelection,
                        clickup: ClickUpResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws, task_days):
        def rows(client, findings):
            tasks = iter(task_days)
            try:  # the first batch tells whether the ClickApp is on: fetch it before loading
                first = list(time_in_status(client, itertools.islice(tasks, BATCH), findings))
            except TimeInStatusDisabled as exc:
                raise Skip(f"the Total time in Status ClickApp is off in workspace {ws} ({exc.ecode})"
                           ) from None
            return {"task_time_in_status": itertools.chain(
                first, time_in_status(client, tasks, findings))}
        return rows

    return run_entity(context, clickup, warehouse, "task_time_in_status",
                      task_loads(context, warehouse, "task_time_in_status", config, fetch_for))


@raw_asset("time_entries", deps=[dg.AssetDep(raw_key("members"), partition_mapping=by_workspace)],
           **BY_WORKSPACE_DAY,
           description="Time entries of every member (running timers included), by UTC day of start.")
def time_entries(context: dg.AssetExecutionContext, clickup: ClickUpResource,
                 warehouse: WarehouseResource) -> dg.MaterializeResult:
    def fetch_for(ws, window):
        with warehouse.connection() as conn:
            members = queries.member_ids(conn, ws)
        now_ms = int(time.time() * 1000)
        return lambda client, findings: {"time_entries": extract_time_entries(
            client, ws, members, window, now_ms, findings, warn=context.log.warning)}

    def reconcile_for(ws, window):
        return lambda client, left: confirm_entries(client, ws, left, window)

    return run_entity(context, clickup, warehouse, "time_entries",
                      day_loads(context, fetch_for, reconcile_for=reconcile_for,
                                watermarks=(watermarks.TIME_ENTRIES,)))
