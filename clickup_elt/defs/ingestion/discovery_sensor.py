"""The discovery sensor: the workspaces each token reaches become partitions, and new ones get a full
sync."""

import dagster as dg

from clickup_elt import triggers
from clickup_elt.defs.ingestion.partitions import (
    WORKSPACES_PARTITIONS_NAME,
    first_day,
    last_day,
    workspaces_partitions,
)
from clickup_elt.defs.ingestion.sync_jobs import daily_job, workspace_job
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.warehouse import workspace_tokens as ws_table


@dg.sensor(
    name="clickup_workspace_discovery",
    minimum_interval_seconds=3600,
    default_status=dg.DefaultSensorStatus.RUNNING,
    jobs=[workspace_job, daily_job],  # what triggers.full_sync launches; the daemon refuses others
    description=(
        "Finds the workspaces each token reaches (honouring CLICKUP_WORKSPACE_IDS), "
        "adds them as partitions and starts a full sync of new ones."
    ),
)
def workspace_discovery(
    context: dg.SensorEvaluationContext, clickup: ClickUpResource, warehouse: WarehouseResource
) -> dg.SensorResult:
    discovery = clickup.discover()
    for refused in discovery.refused:
        context.log.error(refused)
    found = discovery.workspaces
    with warehouse.connection() as conn:
        for ws in found:
            ws_table.remember(conn, ws.id, ws.fingerprint, ws.name)
    known = set(context.instance.get_dynamic_partitions(WORKSPACES_PARTITIONS_NAME))
    new = [ws for ws in found if ws.id not in known]
    requests = [
        launch.run_request(run_key=f"discover:{ws.id}:{n}")
        for ws in new
        for n, launch in enumerate(triggers.full_sync(ws.id, first_day(), last_day(), ws.fingerprint))
    ]
    context.log.info(f"{len(found)} workspaces reachable, {len(new)} new")
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[workspaces_partitions.build_add_request([w.id for w in new])]
        if new
        else [],
    )
