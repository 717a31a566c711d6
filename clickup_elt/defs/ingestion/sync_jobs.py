"""Jobs the CLI, schedules, sensors and the GraphQL API launch.

- `clickup_workspace_sync`: workspace-level entities (hierarchy, members, groups, fields, tags,
  goals), partitioned by workspace;
- `clickup_tasks_sync`: tasks and the comments and time in status of the tasks they loaded;
- `clickup_time_entries_sync`: time entries by the day they started;
- `clickup_daily_sync`: both of the above in one run (a full sync or a backfill);
- `clickup_deletion_sweep`: finds deleted tasks (a walk of every task id, each missing one confirmed).
Every job is partitioned by workspace and takes a contiguous block of workspaces (their tokens load
in parallel); the day-windowed ones read the range of days their run config names (one paginated
query for the whole range; run_configs.DaysConfig). Steps run in the run's own process,
one after the other: steps using the same token could not overlap anyway (token pools), and a
process per step would cost more than most steps take. With CLICKUP_EXECUTOR=celery they run on
Celery workers instead (clickup_elt.distributed), where the runs of many workspaces spread over
machines; the webhook runs below stay in their process (small, and they end in dbt).
"""

from collections.abc import Sequence

import dagster as dg

from clickup_elt.defs.ingestion.partitions import workspaces_partitions
from clickup_elt.defs.ingestion.specs import raw_checks, raw_key
from clickup_elt.distributed import ingestion_executor

WORKSPACE_JOB = "clickup_workspace_sync"
TASKS_JOB = "clickup_tasks_sync"
TIME_ENTRIES_JOB = "clickup_time_entries_sync"
DAILY_JOB = "clickup_daily_sync"
DELETION_JOB = "clickup_deletion_sweep"

WORKSPACE_ENTITIES = (
    "workspaces",
    "members",
    "user_groups",
    "spaces",
    "folders",
    "lists",
    "custom_fields",
    "tags",
    "goals",
    "key_results",
)
TASK_ENTITIES = ("tasks", "comments", "task_time_in_status")
EXECUTOR = ingestion_executor()


def _keys(entities: Sequence[str]) -> dg.AssetSelection:
    """The raw assets and their own checks; dbt's source tests on them run in the dbt job."""
    assets = dg.AssetSelection.assets(*[raw_key(e) for e in entities])
    own = [spec.key for e in entities for spec in raw_checks(e)]
    return assets.without_checks() | dg.AssetSelection.checks(*own)


workspace_job = dg.define_asset_job(
    WORKSPACE_JOB,
    executor_def=EXECUTOR,
    partitions_def=workspaces_partitions,
    selection=_keys(WORKSPACE_ENTITIES),
    description="Workspace-level entities (hierarchy, members, fields, tags, goals) of workspaces.",
)

tasks_job = dg.define_asset_job(
    TASKS_JOB,
    executor_def=EXECUTOR,
    partitions_def=workspaces_partitions,
    selection=_keys(TASK_ENTITIES),
    description="Tasks updated in a range of days, with their comments and time in status.",
)

time_entries_job = dg.define_asset_job(
    TIME_ENTRIES_JOB,
    executor_def=EXECUTOR,
    partitions_def=workspaces_partitions,
    selection=_keys(["time_entries"]),
    description="Time entries started in a range of days.",
)

daily_job = dg.define_asset_job(
    DAILY_JOB,
    executor_def=EXECUTOR,
    partitions_def=workspaces_partitions,
    selection=_keys(TASK_ENTITIES + ("time_entries",)),
    description=(
        "Tasks, their comments and time in status, and time entries over a range of days "
        "(one paginated query for the whole range)."
    ),
)

deletion_job = dg.define_asset_job(
    DELETION_JOB,
    executor_def=EXECUTOR,
    partitions_def=workspaces_partitions,
    selection=dg.AssetSelection.assets(raw_key("deletions")).without_checks(),
    description=(
        "Finds tasks deleted in ClickUp: lists every task id and confirms each missing one "
        "with GET /task/{id}."
    ),
)


# -- runs that apply webhook events: the raw assets they touch, then the dbt models downstream ----

CHANGED_TASKS_JOB = "clickup_changed_tasks"
CHANGED_HIERARCHY_JOB = "clickup_changed_hierarchy"
CHANGED_GOALS_JOB = "clickup_changed_goals"
CHANGED_JOBS = (CHANGED_TASKS_JOB, CHANGED_HIERARCHY_JOB, CHANGED_GOALS_JOB)
HIERARCHY_ENTITIES = ("spaces", "folders", "lists")
GOAL_ENTITIES = ("goals", "key_results")
DBT_GROUPS = ("staging", "intermediate", "marts")


def _with_models_downstream(entities: Sequence[str]) -> dg.AssetSelection:
    """The raw assets (with their own checks) and the dbt models that read them, to build in the
    same run: a change reaches the marts without waiting for the dbt automation sensor."""
    raw = dg.AssetSelection.assets(*[raw_key(e) for e in entities])
    return _keys(entities) | (raw.downstream(include_self=False) & dg.AssetSelection.groups(*DBT_GROUPS))


changed_tasks_job = dg.define_asset_job(
    CHANGED_TASKS_JOB,
    executor_def=dg.in_process_executor,
    partitions_def=workspaces_partitions,
    selection=_with_models_downstream(TASK_ENTITIES),
    description=(
        "Tasks that webhook events named, read again with their comments and time in "
        "status (deleted ones recorded), then the dbt models downstream."
    ),
)

changed_hierarchy_job = dg.define_asset_job(
    CHANGED_HIERARCHY_JOB,
    executor_def=dg.in_process_executor,
    partitions_def=workspaces_partitions,
    selection=_with_models_downstream(HIERARCHY_ENTITIES),
    description="Spaces, folders and lists reloaded after webhook events, then the dbt models downstream.",
)

changed_goals_job = dg.define_asset_job(
    CHANGED_GOALS_JOB,
    executor_def=dg.in_process_executor,
    partitions_def=workspaces_partitions,
    selection=_with_models_downstream(GOAL_ENTITIES),
    description="Goals and key results reloaded after webhook events, then the dbt models downstream.",
)

# the day-windowed entities of each job: their ops take the days to read as run config
DAY_ENTITIES = {
    TASKS_JOB: TASK_ENTITIES,
    TIME_ENTRIES_JOB: ("time_entries",),
    DAILY_JOB: TASK_ENTITIES + ("time_entries",),
    CHANGED_TASKS_JOB: TASK_ENTITIES,
}
