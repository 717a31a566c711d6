"""The run configuration of the day-windowed assets, and the run configs each kind of sync launches with.

Op names follow the asset keys: `clickup/<entity>` runs as op `clickup__<entity>`. The days a run reads
are config, not partitions: a partition key per workspace and day cost Dagster two events each, most of
a full sync's time.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import dagster as dg
from pydantic import Field

from clickup_elt.defs.ingestion.partitions import first_day, last_day

DAYS_DESCRIPTION = (
    "UTC days (YYYY-MM-DD) to read and replace; without them, yesterday and today (the hourly window). "
    "Days before CLICKUP_START_DATE or after today are clamped to those."
)


class DaysConfig(dg.Config):
    """Which UTC days a run of a day-windowed asset reads (its rows of exactly those days are replaced)."""

    first_day: str | None = Field(default=None, description=f"First day. {DAYS_DESCRIPTION}")
    last_day: str | None = Field(default=None, description=f"Last day. {DAYS_DESCRIPTION}")

    def days(self) -> list[dt.date]:
        """The days first..last, within CLICKUP_START_DATE..today."""
        start, today = first_day(), last_day()
        try:
            last = dt.date.fromisoformat(self.last_day) if self.last_day else today
            first = dt.date.fromisoformat(self.first_day) if self.first_day else last - dt.timedelta(days=1)
        except ValueError as exc:
            raise dg.Failure(f"first_day and last_day must be YYYY-MM-DD dates: {exc}") from None
        first, last = max(first, start), min(last, today)
        if first > last:
            raise dg.Failure(
                f"no day to read: {self.first_day or '-'}..{self.last_day or '-'} is empty within "
                f"{start}..{today} (CLICKUP_START_DATE..today)"
            )
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


class TimeEntriesConfig(DaysConfig):
    """Which days of time entries (by the day they started) a run of `clickup/time_entries` reads."""


class TasksConfig(DaysConfig):
    """Which tasks a run of `clickup/tasks` reads."""

    archived_lists: bool = Field(
        default=True, description="Also read the tasks of archived lists (two requests per archived list)."
    )
    list_ids: list[str] = Field(
        default=[],
        description=(
            "Only the tasks of these lists (a board sync): they are upserted, "
            "the rest of the days read is left as it is."
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


class TaskSelection(DaysConfig):
    """Which stored tasks of the days a per-task entity (comments, time in status) is read for."""

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
    settled_by_events: dict[str, int] = Field(
        default={},
        description=(
            "Tasks not read because their webhook events show this entity unchanged, each with "
            "its newest event (ms): recorded as current when that event is the task's latest "
            "change, so the hourly run skips them."
        ),
    )


CONFIGS: dict[str, type[DaysConfig]] = {
    "tasks": TasksConfig,
    "comments": TaskSelection,
    "task_time_in_status": TaskSelection,
    "time_entries": TimeEntriesConfig,
}


def op_name(entity: str) -> str:
    return f"clickup__{entity}"


def with_days(
    entities: Iterable[str], first: dt.date, last: dt.date, run_config: dg.RunConfig | None = None
) -> dg.RunConfig:
    """`run_config` with days first..last set on the op of every entity (each op reads its own config)."""
    ops = dict(run_config.ops) if run_config else {}
    days = {"first_day": first.isoformat(), "last_day": last.isoformat()}
    for entity in entities:
        name = op_name(entity)
        given = ops.get(name)
        ops[name] = given.model_copy(update=days) if given is not None else CONFIGS[entity](**days)
    return dg.RunConfig(ops=ops)


def requested_days(run_config: dict, entity: str) -> tuple[str, str]:
    """(first day, last day) a run config (as a run request carries it) sets for `entity`."""
    config = run_config["ops"][op_name(entity)]["config"]
    return config["first_day"], config["last_day"]


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


@dataclass(frozen=True)
class PerTask:
    """Of the re-read tasks, those whose comments (or time in status) to read, and those settled by
    their events (task id -> newest event, ms)."""

    read: list[str]
    settled: dict[str, int] = field(default_factory=dict)


def changed_tasks(
    task_ids: list[str],
    deleted_task_ids: list[str],
    since_ms: int | None,
    per_task: Mapping[str, PerTask] | None = None,
) -> dg.RunConfig:
    """What webhook events named: these tasks read again, the deleted ones recorded, and the
    comments and time in status `per_task` names (without it: those of every task read)."""
    per_task = per_task or {}
    selections = {
        entity: per_task.get(entity, PerTask(task_ids)) for entity in ("comments", "task_time_in_status")
    }
    return dg.RunConfig(
        ops={
            op_name("tasks"): TasksConfig(
                task_ids=task_ids, deleted_task_ids=deleted_task_ids, updated_since_ms=since_ms
            ),
            **{
                op_name(entity): TaskSelection(task_ids=pick.read, settled_by_events=pick.settled)
                for entity, pick in selections.items()
            },
        }
    )
