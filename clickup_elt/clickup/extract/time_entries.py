"""Time entries of every member, by the UTC day they started.

`GET /team/{id}/time_entries` is not paginated, defaults to the last 30 days and to the caller's own
entries: we always pass an explicit range and every member id as `assignee` (API_NOTES §1.6).
Only owners and admins may ask for other members' entries; a member's token gets its own entries
and a warning. A range of days is read in windows of at most WINDOW_DAYS, one request each.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator

from clickup_elt.clickup.errors import ClickUpAuthError
from clickup_elt.clickup.windows import DAY_MS, DayRange, day_start_ms
from clickup_elt.warehouse.load import RawRow

log = logging.getLogger(__name__)

WINDOW_DAYS = 366
EARLIEST_MS = day_start_ms(dt.date(2000, 1, 1))  # "everything before the first partition"
LATEST_FUTURE_MS = 366 * DAY_MS  # timers started "in the future" (clock skew) still belong to today


def windows(days: DayRange, now_ms: int) -> Iterator[tuple[int, int]]:
    """Contiguous windows covering the range. An open end (today's partition) reaches past now for
    future-dated timers; that stretch holds next to nothing, so the last window absorbs it rather
    than costing a request of its own."""
    start = days.from_ms if days.from_ms is not None else EARLIEST_MS
    end = days.before_ms if days.before_ms is not None else now_ms + LATEST_FUTURE_MS
    split_until = end if days.before_ms is not None else min(end, now_ms)
    if days.from_ms is None:  # the first partition: everything older, in one window
        first_cut = day_start_ms(days.first_partition)
        yield start, first_cut
        start = first_cut
    step = WINDOW_DAYS * DAY_MS
    while start < end:
        stop = end if start + step >= split_until else start + step
        yield start, stop
        start = stop


def time_entries(client, workspace_id: str, member_ids: Iterable[str], days: DayRange,
                 now_ms: int, warn=log.warning) -> Iterator[RawRow]:
    assignees = ",".join(sorted(set(member_ids), key=str))
    seen: set[str] = set()
    for start, end in windows(days, now_ms):
        params = {"start_date": start, "end_date": end - 1, "include_task_tags": "true",
                  "include_location_names": "true"}
        try:
            payload = _get(client, workspace_id, {**params, "assignee": assignees} if assignees else params)
        except ClickUpAuthError as exc:
            if not assignees or not (exc.ecode or "").startswith("ACCESS"):
                raise
            warn(f"workspace {workspace_id}: the token may not read other members' time entries "
                 f"({exc.ecode}), so only its own are loaded: put a workspace owner's or admin's "
                 f"token in CLICKUP_API_TOKEN to load everyone's")
            assignees = ""
            payload = _get(client, workspace_id, params)
        for entry in payload.get("data") or []:
            entry_id = str(entry["id"])
            if entry_id in seen:
                continue
            seen.add(entry_id)
            task = entry.get("task") or {}
            yield RawRow(id=entry_id, data=entry, parent_type="task" if task.get("id") else None,
                         parent_id=str(task["id"]) if task.get("id") else None,
                         partition_date=days.partition_for(entry.get("start")))


def _get(client, workspace_id: str, params: dict) -> dict:
    return client.get(f"team/{workspace_id}/time_entries", params,
                      endpoint="GET /team/{team_id}/time_entries")
