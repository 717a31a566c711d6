"""The run configuration of the task assets, and the run configs each kind of sync launches with.

Op names follow the asset keys: `clickup/<entity>` runs as op `clickup__<entity>`.
"""

import dagster as dg
from pydantic import Field


class TasksConfig(dg.Config):
    """Which tasks a run of `clickup/tasks` reads."""

    archived_lists: bool = Field(
        default=True, description="Also read the tasks of archived lists (two requests per archived list)."
    )
    list_ids: list[str] = Field(
        default=[],
        description=(
            "Only the tasks of these lists (a board sync): they are upserted, "
            "the rest of the partitions is left as it is."
        ),
    )
    task_ids: list[str] = Field(
        default=[],
        description=(
            "Only these tasks, read again (what webhook events named): one "
            "request each for a handful, else a walk from `updated_since_ms`."
        ),
    )
    deleted_task_ids: list[str] = Field(
        default=[], description="Tasks ClickUp said were deleted: recorded without a request."
    )
    updated_since_ms: int | None = Field(
        default=None, description="With task_ids: the earliest change (ms since the epoch)."
    )


class TaskSelection(dg.Config):
    """Which stored tasks a per-task entity (comments, time in status) is read for."""

    only_changed: bool = Field(
        default=False,
        description=(
            "Only tasks whose date_updated changed since this entity was "
            "last read for them (what the hourly schedule does)."
        ),
    )
    list_ids: list[str] = Field(default=[], description="Only tasks of these lists.")
    task_ids: list[str] | None = Field(
        default=None, description="Only these tasks, wherever they are stored (an empty list: none)."
    )


def op_name(entity: str) -> str:
    return f"clickup__{entity}"


def incremental() -> dg.RunConfig:
    """What the hourly run reads: archived lists skipped, and comments and time in status only of
    the tasks that changed since they were last read."""
    return dg.RunConfig(
        ops={
            op_name("tasks"): TasksConfig(archived_lists=False),
            op_name("comments"): TaskSelection(only_changed=True),
            op_name("task_time_in_status"): TaskSelection(only_changed=True),
        }
    )


def lists_only(list_ids: list[str]) -> dg.RunConfig:
    """A board sync: the tasks of these lists, with their comments and time in status."""
    return dg.RunConfig(
        ops={
            op_name("tasks"): TasksConfig(list_ids=list_ids),
            op_name("comments"): TaskSelection(list_ids=list_ids),
            op_name("task_time_in_status"): TaskSelection(list_ids=list_ids),
        }
    )


def changed_tasks(task_ids: list[str], deleted_task_ids: list[str], since_ms: int | None) -> dg.RunConfig:
    """What webhook events named: these tasks read again with their comments and time in status,
    and the deleted ones recorded."""
    return dg.RunConfig(
        ops={
            op_name("tasks"): TasksConfig(
                task_ids=task_ids, deleted_task_ids=deleted_task_ids, updated_since_ms=since_ms
            ),
            op_name("comments"): TaskSelection(task_ids=task_ids),
            op_name("task_time_in_status"): TaskSelection(task_ids=task_ids),
        }
    )
