"""How far each workspace's changes have been read without a gap, so scheduled runs catch up.

A scheduled run reads a fixed trailing window (yesterday and today for the hourly task run, seven
days for the daily one, thirty for time entries). After an outage longer than that window, the
changes made during the gap would never be read. So every successful load that reaches the present
moves a watermark to the moment it started, provided its window began at or before the previous
watermark (less an overlap): the watermark is the time up to which every change has been read. The
next run reads from the watermark's day (less the overlap) when that is earlier than its window.

Keys: `tasks` (any task load), `tasks:archived_lists` (task loads that also read archived lists),
`time_entries`.
"""

from __future__ import annotations

import datetime as dt

from psycopg2.extensions import connection as Connection

from clickup_elt.warehouse.schema import RAW_SCHEMA

OVERLAP = dt.timedelta(hours=1)  # changes stamped just before a run started are read again
TASKS = "tasks"
TASKS_IN_ARCHIVED_LISTS = "tasks:archived_lists"
TIME_ENTRIES = "time_entries"


def synced_through(conn: Connection, workspace_id: str, key: str) -> dt.datetime | None:
    """Every change before this moment has been read (None: never, as far as we know)."""
    with conn.cursor() as cur:
        cur.execute(
            f"select synced_through from {RAW_SCHEMA}.watermarks where workspace_id = %s and key = %s",
            (workspace_id, key),
        )
        row = cur.fetchone()
    return row[0] if row else None


def advance(
    conn: Connection, workspace_id: str, key: str, window_from: dt.date | None, started_at: dt.datetime
) -> None:
    """After a successful load that read from `window_from` (None: from the beginning) up to the
    present, started at `started_at`: move the watermark if the load left no gap behind it."""
    with conn.cursor() as cur:
        cur.execute(
            f"insert into {RAW_SCHEMA}.watermarks as w (workspace_id, key, synced_through) "
            f"values (%(ws)s, %(key)s, %(at)s) on conflict (workspace_id, key) do update "
            f"set synced_through = excluded.synced_through, updated_at = now() "
            f"where w.synced_through < excluded.synced_through and (%(from)s::date is null "
            f"or %(from)s::date <= ((w.synced_through - %(overlap)s) at time zone 'UTC')::date)",
            {"ws": workspace_id, "key": key, "at": started_at, "from": window_from, "overlap": OVERLAP},
        )


def read_from(
    today: dt.date,
    window_days: int,
    watermark: dt.datetime | None,
    first_day: dt.date,
    lookback: dt.timedelta = dt.timedelta(0),
) -> dt.date:
    """The first day a run must read: its trailing window, or earlier to catch up from the watermark
    (less `lookback`: time entries are filed by start, which can precede their creation). Without a
    watermark (no gap-free load yet: the first full sync sets it) the window is all there is."""
    start = max(first_day, today - dt.timedelta(days=window_days))
    if watermark is None:
        return start
    caught_up = ((watermark - OVERLAP - lookback).astimezone(dt.timezone.utc)).date()
    return max(first_day, min(start, caught_up))
