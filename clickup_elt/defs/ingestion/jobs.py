"""Jobs the CLI, schedules and the GraphQL API launch: hierarchy per workspace, tasks per workspace×day."""


import dagster as dg

from clickup_elt.defs.ingestion.hierarchy import folders, lists, spaces
from clickup_elt.defs.ingestion.partitions import workspace_day_partitions, workspaces_partitions
from clickup_elt.defs.ingestion.tasks import tasks

HIERARCHY_JOB = "clickup_hierarchy_sync"
TASKS_JOB = "clickup_tasks_sync"

hierarchy_job = dg.define_asset_job(
    HIERARCHY_JOB, selection=dg.AssetSelection.assets(spaces, folders, lists),
    partitions_def=workspaces_partitions,
    description="Workspace-level entities of the selected workspaces.")

tasks_job = dg.define_asset_job(
    TASKS_JOB, selection=dg.AssetSelection.assets(tasks), partitions_def=workspace_day_partitions,
    description="Tasks of the selected workspaces and days (a range runs as one query).")
