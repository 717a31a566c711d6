"""Time entries of every member, by the UTC day they started.

`GET /team/{id}/time_entries` is not paginated, defaults to the last 30 days and to the caller's own
entries: we always pass an explicit range and every member id as `assignee`. Only owners and admins
may ask for other members' entries; a member's token gets its own entries, a warning, and a load that
replaces only that member's entries (`findings.only_user_id`). A range of days is read in windows of
at most WINDOW_DAYS, one request each.

Time entries have no updated-since filter, and an entry whose start is edited moves to another day.
Entries stored for the window that a re-read no longer returns are asked about one by one
(`GET /team/{id}/time_entries/{timer_id}`): refiled under their new day, or recorded as deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator

from clickup_elt.clickup import vanished
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.errors import ClickUpAuthError
from clickup_elt.clickup.windows import DAY_MS, DayRange, day_start_ms
from clickup_elt.records import DELETED, Findings, RawRow, Reconciled

log = logging.getLogger(__name__)

WINDOW_DAYS = 366
EARLIEST_MS = day_start_ms(dt.date(2000, 1, 1))  # "everything before the first partition"
LATEST_FUTURE_MS = 366 * DAY_MS  # timers started "in the future" (clock skew) still belong to today
FLAGS = {"include_task_tags": "true", "include_location_names": "true"}


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


def entry_row(entry: dict, days: DayRange) -> RawRow:
    task = entry.get("task") or {}
    return RawRow(
        id=str(entry["id"]),
        data=entry,
        parent_type="task" if task.get("id") else None,
        parent_id=str(task["id"]) if task.get("id") else None,
        partition_date=days.partition_for(entry.get("start")),
    )


def time_entries(
    client: ClickUpClient,
    workspace_id: str,
    member_ids: Iterable[str],
    days: DayRange,
    now_ms: int,
    findings: Findings,
    warn: Callable[[str], object] = log.warning,
) -> Iterator[RawRow]:
    assignees = ",".join(sorted(set(member_ids), key=str))
    seen: set[str] = set()
    for start, end in windows(days, now_ms):
        params = {"start_date": start, "end_date": end - 1, **FLAGS}
        try:
            payload = _get(client, workspace_id, {**params, "assignee": assignees} if assignees else params)
        except ClickUpAuthError as exc:
            if not assignees or not (exc.ecode or "").startswith("ACCESS"):
                raise
            findings.only_user_id = own_user_id(client)
            warn(
                f"workspace {workspace_id}: the token may not read other members' time entries "
                f"({exc.ecode}), so only its own are loaded and replaced: put a workspace owner's or "
                f"admin's token in CLICKUP_API_TOKEN to load everyone's"
            )
            assignees = ""
            payload = _get(client, workspace_id, params)
        for entry in payload["data"] or []:
            if str(entry["id"]) not in seen:
                seen.add(str(entry["id"]))
                yield entry_row(entry, days)


def own_user_id(client: ClickUpClient) -> str:
    return str(client.get("user", endpoint="GET /user", key="user")["user"]["id"])


def confirm_entries(
    client: ClickUpClient, workspace_id: str, left: dict[str, dict], days: DayRange
) -> Reconciled:
    """Entries stored for the window that the re-read did not return, each read again by id: still
    there (its start moved to another day: stored under that day), deleted, or out of the token's
    reach (kept as stored: the marts have no other copy of it)."""
    found, gone = Reconciled(), Findings()
    for entry_id in sorted(left):
        payload = vanished.read(
            client,
            gone,
            "time_entry",
            entry_id,
            f"team/{workspace_id}/time_entries/{entry_id}",
            FLAGS,
            endpoint="GET /team/{team_id}/time_entries/{timer_id}",
            key="data",
        )
        if payload is not None and isinstance(payload["data"], dict):
            found.rows.append(entry_row(payload["data"], days))
        elif payload is not None:
            found.unconfirmed.add(entry_id)
    for v in gone.vanished:
        if v.verdict == DELETED:
            found.verdicts[v.object_id] = v.verdict
        else:
            found.unconfirmed.add(v.object_id)
    return found


def _get(client: ClickUpClient, workspace_id: str, params: dict) -> dict:
    return client.get(
        f"team/{workspace_id}/time_entries", params, endpoint="GET /team/{team_id}/time_entries", key="data"
    )
