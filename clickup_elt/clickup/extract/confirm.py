"""Confirming tasks ClickUp may no longer serve, one `GET /task/{id}` each.

ClickUp v2 has no feed of deleted tasks. A task id stops being listed when the task is deleted, made
private, moved into an archived list or archived with its list; only a read of that one task tells
which: 404 `ITEM_013` means deleted; an `ACCESS_*` error means the token lost access (the task may
exist); a 200 means it still exists where the walk did not reach, and the fresh record is stored.

Two callers: every task load confirms the ids that left the partitions it re-read (and the tasks other
loads saw vanish), within a budget of requests; the weekly sweep lists every task id the workspace
still serves and confirms every stored one that is missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract.tasks import fetch_task, task_row, tasks
from clickup_elt.clickup.windows import DayRange
from clickup_elt.records import Findings, Reconciled


def listed_task_ids(
    client: ClickUpClient, workspace_id: str, everything: DayRange, archived_list_ids: Iterable[str]
) -> set[str]:
    return {row.id for row in tasks(client, workspace_id, everything, archived_list_ids)}


def confirm_tasks(
    client: ClickUpClient, task_ids: Iterable[str], days: DayRange, budget: int | None = None
) -> Reconciled:
    """Each task read again (at most `budget` of them; the rest stay unconfirmed): still served
    (stored under the day it was last updated), or a verdict (deleted, access lost)."""
    found, gone = Reconciled(), Findings()
    for n, task_id in enumerate(sorted(task_ids)):
        if budget is not None and n >= budget:
            found.unconfirmed.add(task_id)
            continue
        task = fetch_task(client, task_id, gone)
        if task is not None:
            found.rows.append(task_row(task, days))
    found.verdicts.update((v.object_id, v.verdict) for v in gone.vanished if v.verdict is not None)
    return found
