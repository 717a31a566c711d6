"""Time in status, 100 tasks per call through the bulk endpoint.

It needs the "Total time in Status" ClickApp. When a workspace has it off, ClickUp refuses the call
with a feature code (`TIS_*`, `FEAT_*`) and we skip the entity for that workspace (the caller logs
why); any other refusal (a revoked token, a workspace out of reach) is an error like anywhere else.
The answer leaves out tasks deleted or made private since they were listed: they are noted in
`findings`, so their stored rows stay and the deletion check confirms them. Several batches are read
at a time (`concurrent.in_order`); their rows come back in the order of the tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.concurrent import in_order
from clickup_elt.clickup.errors import ClickUpError
from clickup_elt.records import Findings, RawRow, Vanished

BATCH = 100
DISABLED_CODES = ("TIS", "FEAT")  # ECODE prefixes of "this ClickApp is off"
PATH = "task/bulk_time_in_status/task_ids"


class TimeInStatusDisabled(ClickUpError):
    """The workspace has the Total time in Status ClickApp off."""


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def time_in_status(
    client: ClickUpClient,
    tasks: Iterable[tuple[str, dt.date | None]],
    findings: Findings,
    width: int = 1,
) -> Iterator[RawRow]:
    """Batches of 100 tasks, `width` at a time, in the order of `tasks`."""
    for rows, found in in_order(client, _batch_rows, _batches(tasks, BATCH), width):
        findings.vanished.extend(found.vanished)
        yield from rows


def _batch_rows(
    client: ClickUpClient, batch: list[tuple[str, dt.date | None]]
) -> tuple[list[RawRow], Findings]:
    days = dict(batch)
    try:
        payload = client.get(
            PATH,
            [("task_ids", task_id) for task_id, _ in batch],
            endpoint="GET /task/bulk_time_in_status/task_ids",
        )
    except ClickUpError as exc:
        if (exc.ecode or "").startswith(DISABLED_CODES):
            raise TimeInStatusDisabled(str(exc), status=exc.status, ecode=exc.ecode) from None
        raise
    rows = [
        RawRow(
            id=str(task_id),
            data=value,
            parent_type="task",
            parent_id=str(task_id),
            partition_date=days.get(str(task_id)),
        )
        for task_id, value in payload.items()
        if isinstance(value, dict)
    ]
    found = Findings()
    for task_id in sorted(days.keys() - payload.keys()):
        found.add(Vanished("task", str(task_id), None, "absent from the bulk answer", PATH))
    return rows, found
