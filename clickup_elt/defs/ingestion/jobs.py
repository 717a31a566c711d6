"""Jobs the CLI, schedules and the GraphQL API launch: workspace-level entities per workspace, and
day-partitioned entities per workspace × day range."""

import dagster as dg

from clickup_elt.defs.ingestion.partitions import workspace_day_partitions, workspaces_partitions

WORKSPACE_JOB = "clickup_workspace_sync"
DAILY_JOB = "clickup_daily_sync"


workspace_job = dg.define_asset_job(
    WORKSPACE_JOB, partitions_def=workspaces_partitions,
    selection=dg.AssetSelection.assets(
        ["clickup", "workspaces"], ["clickup", "members"], ["clickup", "user_groups"],
        ["clickup", "spaces"], ["clickup", "folders"], ["clickup", "lists"],
        ["clickup", "custom_fields"], ["clickup", "tags"], ["clickup", "goals"],
        ["clickup", "key_results"]),
    description="Workspace-level entities (hierarchy, members, fields, tags, goals) of a workspace.")

daily_job = dg.define_asset_job(
    DAILY_JOB, partitions_def=workspace_day_partitions,
    selection=dg.AssetSelection.assets(
        ["clickup", "tasks"], ["clickup", "comments"], ["clickup", "task_time_in_status"],
        ["clickup", "time_entries"]),
    description="Tasks, their comments and time in status, and time entries of a workspace over a "
                "range of days (one paginated query for the whole range).")
