"""From stored events to the smallest runs that apply them.

Per workspace: task events become one batch re-reading those tasks, with deleted tasks recorded
without a request; list, folder and space events one batch reloading the hierarchy; goal events one
batch reloading the goals. Nothing is applied from the events' contents: each run reads the current
state from ClickUp, so duplicated or reordered deliveries end in the right state.

What the events say changed decides what else is read: comments only for tasks with a comment
event, time in status only for tasks created, moved or given a new status. The other tasks' comments
and time in status are "settled by events" up to their newest event: the run records them as current
when that event is the task's latest change (see queries.settle_fetches), so the hourly run does not
read them again, yet still reads them when a change came after it that no delivery told of.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clickup_elt.webhooks.events import FOLDER, GOAL, LIST, SPACE, TASK, TASK_DELETED
from clickup_elt.webhooks.store import StoredEvent

TASKS, HIERARCHY, GOALS = "tasks", "hierarchy", "goals"
KIND_OF = {TASK: TASKS, LIST: HIERARCHY, FOLDER: HIERARCHY, SPACE: HIERARCHY, GOAL: GOALS}
MARGIN = dt.timedelta(minutes=2)  # a change is read from a little before ClickUp says it happened

COMMENTS, TIME_IN_STATUS = "comments", "task_time_in_status"
PER_TASK = (COMMENTS, TIME_IN_STATUS)
# What a history item's field, or the specific event sent with it, changes besides the task itself.
FIELD_TOUCHES = {
    "comment": COMMENTS,
    "status": TIME_IN_STATUS,
    "task_creation": TIME_IN_STATUS,
    "section_moved": TIME_IN_STATUS,
}
EVENT_TOUCHES = {
    "taskCommentPosted": COMMENTS,
    "taskCommentUpdated": COMMENTS,
    "taskCreated": TIME_IN_STATUS,
    "taskStatusUpdated": TIME_IN_STATUS,
    "taskMoved": TIME_IN_STATUS,
}


def touches(event: StoredEvent) -> set[str]:
    """The per-task entities a task event may have changed: all of them when it carries no history
    item to say what changed."""
    if event.occurred_at is None:
        return set(PER_TASK)
    return {e for e in (FIELD_TOUCHES.get(event.field or ""), EVENT_TOUCHES.get(event.event)) if e}


@dataclass
class Batch:
    workspace_id: str
    kind: str
    keys: list[str] = field(default_factory=list)
    task_ids: set[str] = field(default_factory=set)  # re-read
    deleted_task_ids: set[str] = field(default_factory=set)  # recorded as deleted, no request
    since: dt.datetime | None = None  # the earliest change of the batch, less MARGIN
    reads: dict[str, set[str]] = field(default_factory=lambda: {e: set() for e in PER_TASK})
    newest: dict[str, dt.datetime] = field(default_factory=dict)  # task -> its newest event

    @property
    def since_ms(self) -> int | None:
        return int(self.since.timestamp() * 1000) if self.since else None

    def settled(self, entity: str) -> dict[str, int]:
        """Re-read tasks whose events show `entity` unchanged -> their newest event (ms)."""
        return {
            task_id: int(self.newest[task_id].timestamp() * 1000)
            for task_id in sorted(self.task_ids - self.reads[entity])
            if task_id in self.newest
        }


def plan(events: list[StoredEvent]) -> list[Batch]:
    batches: dict[tuple[str, str], Batch] = {}
    for event in events:
        kind = KIND_OF.get(event.resource_type)
        if kind is None:
            continue
        batch = batches.setdefault((event.workspace_id, kind), Batch(event.workspace_id, kind))
        batch.keys.append(event.key)
        when = (event.occurred_at or event.received_at) - MARGIN
        batch.since = min(batch.since, when) if batch.since else when
        if kind == TASKS:
            if event.event == TASK_DELETED:
                batch.deleted_task_ids.add(event.resource_id)
            else:
                _add_task_event(batch, event)
    for batch in batches.values():
        batch.task_ids -= batch.deleted_task_ids  # the newest word on a deleted task is its deletion
        for entity in PER_TASK:
            batch.reads[entity] &= batch.task_ids
    return sorted(batches.values(), key=lambda b: (b.workspace_id, b.kind))


def _add_task_event(batch: Batch, event: StoredEvent) -> None:
    task_id = event.resource_id
    batch.task_ids.add(task_id)
    for entity in touches(event):
        batch.reads[entity].add(task_id)
    if event.occurred_at is not None:
        batch.newest[task_id] = max(batch.newest.get(task_id, event.occurred_at), event.occurred_at)
