"""Reading again the tasks webhook events named, with the fewest requests.

A handful of tasks costs one `GET /task/{id}` each. More cost less as one walk of the workspace task
endpoint over the span of the changes (a page per 100 tasks updated since the earliest change), after
which only the tasks the walk did not return (in archived lists, archived, or gone) are read one by
one. Tasks ClickUp said were deleted are recorded without a request.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract.confirm import confirm_tasks
from clickup_elt.clickup.extract.tasks import TASK_FLAGS, task_row
from clickup_elt.clickup.pagination import iter_tasks_by_updated
from clickup_elt.clickup.windows import DayRange
from clickup_elt.records import DELETED, Findings, RawRow, Reconciled

HANDFUL = 3  # up to this many tasks, one request each beats a walk


@dataclass
class ChangedTasks:
    """One workspace's changed tasks: `fetch` reads them, `reconcile` settles those it did not."""

    workspace_id: str
    task_ids: frozenset[str]
    deleted_task_ids: frozenset[str]
    since_ms: int | None
    window: DayRange  # every partition: a task goes to the day it was last updated
    seen: set[str] = field(default_factory=set)

    def fetch(self, client: ClickUpClient, findings: Findings) -> dict[str, Iterator[RawRow]]:
        return {"tasks": self._walk(client)}

    def _walk(self, client: ClickUpClient) -> Iterator[RawRow]:
        if len(self.task_ids) <= HANDFUL or self.since_ms is None:
            return
        get = functools.partial(client.get, key="tasks")
        for page in iter_tasks_by_updated(
            get,
            f"team/{self.workspace_id}/task",
            {**TASK_FLAGS, "archived": "false"},
            self.since_ms,
            None,
            endpoint="GET /team/{team_id}/task",
        ):
            for task in page:
                self.seen.add(str(task["id"]))
                yield task_row(task, self.window)

    def reconcile(self, client: ClickUpClient, left: dict[str, dict]) -> Reconciled:
        found = confirm_tasks(client, self.task_ids - self.seen, self.window)
        found.verdicts.update(dict.fromkeys(self.deleted_task_ids, DELETED))
        return found
