"""The deletion sweep: tasks we hold that ClickUp no longer lists, each confirmed by `GET /task/{id}`.

ClickUp v2 has no feed of deleted tasks. A sweep lists every task id the workspace still serves (the
same walk as a full task sync: both `archived` values, plus archived lists) and asks `GET /task/{id}`
about each stored task that is missing: 404 `ITEM_013` means deleted; an `ACCESS_*` error means the
token lost access (the task may exist); a 200 means it was archived or moved where the walk did not
reach, and the fresh record is returned to be stored as an update.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from clickup_elt.clickup.errors import ClickUpAuthError, ClickUpNotFoundError
from clickup_elt.clickup.extract.tasks import TASK_FLAGS, tasks
from clickup_elt.clickup.windows import DayRange
from clickup_elt.warehouse.deletions import ACCESS_LOST, DELETED

UPDATED = "updated"


def listed_task_ids(client, workspace_id: str, everything: DayRange,
                    archived_list_ids: Iterable[str]) -> set[str]:
    return {row.id for row in tasks(client, workspace_id, everything, archived_list_ids)}


def confirm(client, task_id: str) -> tuple[str, dict | None]:
    """(verdict, fresh record or None) for one task the walk did not list."""
    try:
        task = client.get(f"task/{task_id}",
                          {"include_markdown_description": TASK_FLAGS["include_markdown_description"]},
                          endpoint="GET /task/{task_id}")
    except (ClickUpNotFoundError, ClickUpAuthError) as exc:
        if (exc.ecode or "").startswith("ACCESS"):
            return ACCESS_LOST, None
        if isinstance(exc, ClickUpNotFoundError):
            return DELETED, None
        raise  # the token itself was refused: a credentials problem, not a verdict
    return UPDATED, task


def verdicts(client, missing: Iterable[str]) -> Iterator[tuple[str, str, dict | None]]:
    for task_id in sorted(missing):
        verdict, record = confirm(client, task_id)
        yield task_id, verdict, record
