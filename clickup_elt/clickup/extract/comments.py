"""Task comments and their threaded replies.

`GET /task/{id}/comment` returns 25 comments per call, newest first; the next call passes the `date`
and `id` of the oldest comment received as `start`/`start_id`. Replies come from
`GET /comment/{id}/reply`, asked only for comments whose `reply_count` is not zero. A task (or
comment) deleted or made private since it was listed is skipped and noted in `findings`. Several
tasks are read at a time (`concurrent.in_order`); their rows come back in the order of the tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from clickup_elt.clickup import vanished
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.concurrent import in_order
from clickup_elt.records import Findings, RawRow

PAGE = 25


def task_comments(client: ClickUpClient, task_id: str, findings: Findings) -> Iterator[dict]:
    params: dict = {}
    seen: set[str] = set()
    while True:
        payload = vanished.read(
            client,
            findings,
            "task",
            task_id,
            f"task/{task_id}/comment",
            params,
            endpoint="GET /task/{task_id}/comment",
            key="comments",
        )
        if payload is None:
            return
        page = payload["comments"] or []
        fresh = [c for c in page if str(c["id"]) not in seen]
        for comment in fresh:
            seen.add(str(comment["id"]))
            yield comment
        if len(page) < PAGE or not fresh:
            return
        oldest = page[-1]
        params = {"start": oldest.get("date"), "start_id": oldest["id"]}


def replies(client: ClickUpClient, comment_id: str, findings: Findings) -> list[dict]:
    payload = vanished.read(
        client,
        findings,
        "comment",
        comment_id,
        f"comment/{comment_id}/reply",
        endpoint="GET /comment/{comment_id}/reply",
        key="comments",
    )
    return (payload or {}).get("comments") or []


def comments(
    client: ClickUpClient,
    tasks: Iterable[tuple[str, dt.date | None]],
    findings: Findings,
    width: int = 1,
) -> Iterator[RawRow]:
    """Comments (and replies) of each `(task id, partition date)`, `width` tasks at a time, in the
    order of `tasks` (the rows and findings of a sequential read)."""
    for rows, found in in_order(client, _task_rows, tasks, width):
        findings.vanished.extend(found.vanished)
        yield from rows


def _task_rows(client: ClickUpClient, task: tuple[str, dt.date | None]) -> tuple[list[RawRow], Findings]:
    task_id, day = task
    found = Findings()
    rows = []
    for comment in task_comments(client, task_id, found):
        rows.append(
            RawRow(
                id=str(comment["id"]),
                data=comment,
                parent_type="task",
                parent_id=str(task_id),
                partition_date=day,
            )
        )
        if str(comment.get("reply_count") or "0") not in ("0", ""):
            rows.extend(
                RawRow(
                    id=str(reply["id"]),
                    data=reply,
                    parent_type="comment",
                    parent_id=str(comment["id"]),
                    partition_date=day,
                )
                for reply in replies(client, str(comment["id"]), found)
            )
    return rows, found
