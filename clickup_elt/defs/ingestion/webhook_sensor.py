"""The webhook sensor: stored webhook events become the smallest runs that apply them.

Each tick first settles the batches it requested earlier: a batch whose run succeeded is applied; one
whose run failed, was canceled or never appeared goes back to pending, so the next tick tries again.
Then it plans the pending events (clickup_elt.webhooks.plan) into one run per workspace and kind, for
the workspaces with no batch waiting to start. A workspace's runs take turns (one run per workspace),
so while one batch runs the next already waits in the queue and starts the moment it ends; events
arriving after that go together into the batch after, instead of queueing a run each.
The scheduled syncs stay as the safety net for deliveries ClickUp dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid

import dagster as dg
from psycopg2.extensions import connection as Connection

from clickup_elt import triggers
from clickup_elt.defs.ingestion import run_configs
from clickup_elt.defs.ingestion.sync_jobs import changed_goals_job, changed_hierarchy_job, changed_tasks_job
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.webhooks import plan, store

BATCH_TAG = "clickup/webhook_batch"
LOST_AFTER = dt.timedelta(minutes=2)  # a batch whose run never appeared is requested again
FAILED = (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


def interval_seconds() -> int:
    """How often events are turned into runs (CLICKUP_WEBHOOK_SENSOR_SECONDS, default 15)."""
    value = os.environ.get("CLICKUP_WEBHOOK_SENSOR_SECONDS") or "15"
    return max(5, int(value)) if value.isdigit() else 15


def settle(instance: dg.DagsterInstance, conn: Connection, log: logging.Logger) -> set[str]:
    """Mark the batches whose run succeeded as applied; put back those that failed or got lost.
    Returns the workspaces that have a batch waiting to start (its run queued, or not created yet)."""
    now = dt.datetime.now(dt.timezone.utc)
    busy = set()
    for batch_id, (workspace_id, requested_at) in store.batches_in_flight(conn).items():
        found = instance.get_runs(filters=dg.RunsFilter(tags={BATCH_TAG: batch_id}), limit=1)
        if found and found[0].status == dg.DagsterRunStatus.SUCCESS:
            store.applied(conn, batch_id)
        elif (found and found[0].status in FAILED) or (not found and now - requested_at > LOST_AFTER):
            log.warning(
                f"webhook batch {batch_id}: its run "
                f"{'failed' if found else 'never started'}; its events are pending again"
            )
            store.put_back(conn, batch_id)
        elif not found or found[0].status != dg.DagsterRunStatus.STARTED:
            busy.add(workspace_id)
    return busy


def request(batch: plan.Batch, fingerprint: str | None) -> triggers.Launch:
    if batch.kind == plan.TASKS:
        return triggers.changed_tasks(
            batch.workspace_id,
            sorted(batch.task_ids),
            sorted(batch.deleted_task_ids),
            batch.since_ms,
            fingerprint,
            {
                entity: run_configs.PerTask(sorted(batch.reads[entity]), batch.settled(entity))
                for entity in plan.PER_TASK
            },
        )
    if batch.kind == plan.HIERARCHY:
        return triggers.changed_hierarchy(batch.workspace_id, fingerprint)
    return triggers.changed_goals(batch.workspace_id, fingerprint)


@dg.sensor(
    name="clickup_webhook_events",
    minimum_interval_seconds=interval_seconds(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    jobs=[changed_tasks_job, changed_hierarchy_job, changed_goals_job],
    description="Turns ClickUp's webhook events into runs: changed tasks read again with "
    "their comments and time in status, deletions recorded, the hierarchy or "
    "goals reloaded, then the dbt models downstream.",
)
def webhook_events(
    context: dg.SensorEvaluationContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.SensorResult | dg.SkipReason:
    requests = []
    with warehouse.connection() as conn:
        busy = settle(context.instance, conn, context.log)
        for batch in plan.plan(store.pending(conn)):
            if batch.workspace_id in busy:
                continue
            batch_id = uuid.uuid4().hex
            launch = request(batch, clickup.fingerprint_for(batch.workspace_id, warehouse))
            store.take(conn, batch.keys, batch_id)
            requests.append(
                dg.RunRequest(
                    job_name=launch.job,
                    run_key=f"webhook:{batch_id}",
                    tags={**launch.tags, BATCH_TAG: batch_id},
                    run_config=launch.run_config or {},
                )
            )
    if not requests:
        return dg.SkipReason("no new webhook events")
    return dg.SensorResult(run_requests=requests)
