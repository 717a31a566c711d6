"""The run configuration of the task assets, and the run configs each kind of sync launches with.

Op names follow the asset keys: `clickup/<entity>` runs as op `clickup__<entity>`.
"""

import dagster as dg
from pydantic import Field


class TasksConfig(dg.Config):
    """Which tasks a run of `clickup/tasks` reads."""

    archived_lists: bool = Field(
        default=True, description="Also read the tasks of archived lists (two requests per archived list).")
    list_ids: list[str] = Field(
        default=[], description="Only the tasks of these lists (a board sync): they are upserted, "
                                "the rest of the partitions is left as it is.")


class TaskSelection(dg.Config):
    """Which stored tasks a per-task entity (comments, time in status) is read for."""

    only_changed: bool = Field(
        default=False, description="Only tasks whose date_updated changed since this entity was "
                                   "last read for them (what the hourly schedule does).")
    list_ids: list[str] = Field(default=[], description="Only tasks of these lists.")


def op_name(entity: str) -> str:
    return f"clickup__{entity}"


def incremental() -> dg.RunConfig:
    """What the hourly run reads: archived lists skipped, and comments and time in status only of
    the tasks that changed since they were last read."""
    return dg.RunConfig(ops={op_name("tasks"): TasksConfig(archived_lists=False),
                             op_name("comments"): TaskSelection(only_changed=True),
                             op_name("task_time_in_status"): TaskSelection(only_changed=True)})


def lists_only(list_ids: list[str]) -> dg.RunConfig:
    """A board sync: the tasks of these lists, with their comments and time in status."""
    return dg.RunConfig(ops={op_name("tasks"): TasksConfig(list_ids=list_ids),
                             op_name("comments"): TaskSelection(list_ids=list_ids),
                             op_name("task_time_in_status"): TaskSelection(list_ids=list_ids)})
