"""Walking ClickUp's task pages.

Two walks: plain page numbers (`page=0,1,…`, used for small per-list reads), and a keyset walk over
`date_updated` for the workspace task endpoint. The keyset walk asks for tasks in ascending
`date_updated` order and restarts each page from the newest timestamp it has seen, so a task edited
while we page (which jumps to the end of the order) never shifts another task past us. Either walk
stops on `last_page`, a short page or an empty page, whichever comes first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

PAGE_SIZE = 100

# `client.get` with its `key` bound; None when the object asked about vanished (`vanished.read`)
Get = Callable[..., dict[str, Any] | None]


def is_last_page(payload: dict, rows: list) -> bool:
    return bool(payload.get("last_page")) or len(rows) < PAGE_SIZE


def iter_pages(
    get: Get, path: str, params: dict, key: str = "tasks", endpoint: str | None = None
) -> Iterator[list[dict]]:
    """Pages of `key` rows from a `page`-numbered endpoint; `get` may answer None (the object asked
    about vanished), which ends the walk."""
    page = 0
    while True:
        payload = get(path, {**params, "page": page}, endpoint=endpoint)
        if payload is None:
            return
        rows = payload.get(key) or []
        if rows:
            yield rows
        if not rows or is_last_page(payload, rows):
            return
        page += 1


def _updated(task: dict) -> int:
    return int(task.get("date_updated") or 0)


def iter_tasks_by_updated(
    get: Callable[..., dict[str, Any]],
    path: str,
    params: dict,
    updated_from: int | None,
    updated_before: int | None,
    endpoint: str | None = None,
) -> Iterator[list[dict]]:
    """Pages of tasks with `updated_from <= date_updated < updated_before` (None = unbounded).

    Boundary tasks (equal timestamps) come back on the next page again; callers de-duplicate by id,
    keeping the last version seen. Rows older than `updated_from` (a server reading `gt` strictly or
    not) are dropped here. If the server turns out to sort descending, the walk flips
    `reverse` and starts over, which costs one page.

    More than a page of tasks sharing one timestamp (a bulk edit) can only be stepped through by page
    number, where an edit between two requests shifts unread rows onto pages already read; so such a
    timestamp is walked again until a walk finds no task the earlier ones missed.
    """
    reverse = True
    cursor, page = updated_from, 0
    seen_at_cursor: set[str] = set()  # ids read with date_updated == cursor
    found_more = False  # this walk over the cursor's timestamp read ids earlier walks had not
    while True:
        query = {**params, "order_by": "updated", "reverse": str(reverse).lower(), "page": page}
        if cursor is not None:
            query["date_updated_gt"] = cursor - 1  # inclusive whatever the server's reading of "gt"
        if updated_before is not None:
            query["date_updated_lt"] = updated_before
        payload = get(path, query, endpoint=endpoint)
        rows = payload.get("tasks") or []
        if len(rows) > 1 and _updated(rows[0]) > _updated(rows[-1]):
            if reverse:
                reverse, cursor, page = False, updated_from, 0
                continue
        inside = [t for t in rows if updated_from is None or _updated(t) >= updated_from]
        if inside:
            yield inside
        tied = {str(t["id"]) for t in rows if cursor is not None and _updated(t) == cursor}
        found_more = found_more or bool(tied - seen_at_cursor)
        seen_at_cursor |= tied
        done = not rows or is_last_page(payload, rows)
        newest = max((_updated(t) for t in rows), default=cursor)
        if not done and cursor is not None and newest is not None and newest <= cursor:
            page += 1  # a whole page shares one timestamp: step through it by page number
            continue
        if page > 0 and found_more:  # stepped by page number: walk that timestamp again
            page, found_more = 0, False
            continue
        if done:
            return
        cursor, page, seen_at_cursor, found_more = newest, 0, set(), False
