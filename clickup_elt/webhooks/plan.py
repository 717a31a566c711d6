"""From stored events to the smallest runs that apply them.

Per workspace: task events become one batch re-reading those tasks (and their comments and time in
status), with deleted tasks recorded without a request; list, folder and space events one batch
reloading the hierarchy; goal events one batch reloading the goals. Nothing is applied from the
events' contents: each run reads the current state from ClickUp, so duplicated or reordered
deliveries end in the right state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clickup_elt.webhooks.events import FOLDER, GOAL, LIST, SPACE, TASK, TASK_DELETED
from clickup_elt.webhooks.store import StoredEvent

TASKS, HIERARCHY, GOALS = "tasks", "hierarchy", "goals"
KIND_OF = {TASK: TASKS, LIST: HIERARCHY, FOLDER: HIERARCHY, SPACE: HIERARCHY, GOAL: GOALS}
MARGIN = dt.timedelta(minutes=2)  # a change is read from a little before ClickUp says it happened


@dataclass
class Batch:
    workspace_id: str
    kind: str
    keys: list[str] = field(default_factory=list)
    task_ids: set[str] = field(default_factory=set)  # re-read
    deleted_task_ids: set[str] = field(default_factory=set)  # recorded as deleted, no request
    since: dt.datetime | None = None  # the earliest change of the batch, less MARGIN

    @property
    def since_ms(self) -> int | None:
        return int(self.since.timestamp() * 1000) if self.since else None


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
                batch.task_ids.add(event.resource_id)
    for batch in batches.values():
        batch.task_ids -= batch.deleted_task_ids  # the newest word on a deleted task is its deletion
    return sorted(batches.values(), key=lambda b: (b.workspace_id, b.kind))
