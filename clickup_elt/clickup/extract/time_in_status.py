"""Time in status, 100 tasks per call through the bulk endpoint.

It needs the "Total time in Status" ClickApp; when a workspace has it off, ClickUp refuses the call and
we skip the entity for that workspace (the caller logs why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice

from clickup_elt.clickup.errors import ClickUpError
from clickup_elt.warehouse.load import RawRow

BATCH = 100


class TimeInStatusDisabled(ClickUpError):
    """The workspace has the Total time in Status ClickApp off."""


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def time_in_status(client, tasks: Iterable[tuple[str, dt.date | None]]) -> Iterator[RawRow]:
    for batch in _batches(tasks, BATCH):
        days = dict(batch)
        try:
            payload = client.get("task/bulk_time_in_status/task_ids",
                                 [("task_ids", task_id) for task_id, _ in batch],
                                 endpoint="GET /task/bulk_time_in_status/task_ids")
        except ClickUpError as exc:
            if exc.status in (400, 401, 403) and "status" in str(exc).lower() or \
                    (exc.ecode or "").startswith(("TIS", "FEAT")):
                raise TimeInStatusDisabled(str(exc), status=exc.status, ecode=exc.ecode) from None
            raise
        for task_id, value in payload.items():
            if isinstance(value, dict):
                yield RawRow(id=str(task_id), data=value, parent_type="task", parent_id=str(task_id),
                             partition_date=days.get(str(task_id)))
