"""Task comments and their threaded replies.

`GET /task/{id}/comment` returns 25 comments per call, newest first; the next call passes the `date`
and `id` of the oldest comment received as `start`/`start_id`. Replies come from
`GET /comment/{id}/reply`, asked only for comments whose `reply_count` is not zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from clickup_elt.warehouse.load import RawRow

PAGE = 25


def task_comments(client, task_id: str) -> Iterator[dict]:
    params: dict = {}
    seen: set[str] = set()
    while True:
        page = client.get(f"task/{task_id}/comment", params,
                          endpoint="GET /task/{task_id}/comment").get("comments") or []
        fresh = [c for c in page if str(c["id"]) not in seen]
        for comment in fresh:
            seen.add(str(comment["id"]))
            yield comment
        if len(page) < PAGE or not fresh:
            return
        oldest = page[-1]
        params = {"start": oldest.get("date"), "start_id": oldest["id"]}


def comments(client, tasks: Iterable[tuple[str, dt.date | None]]) -> Iterator[RawRow]:
    """Comments (and replies) of each `(task id, partition date)`."""
    for task_id, day in tasks:
        for comment in task_comments(client, task_id):
            yield RawRow(id=str(comment["id"]), data=comment, parent_type="task",
                         parent_id=str(task_id), partition_date=day)
            if str(comment.get("reply_count") or "0") not in ("0", ""):
                replies = client.get(f"comment/{comment['id']}/reply",
                                     endpoint="GET /comment/{comment_id}/reply").get("comments") or []
                for reply in replies:
                    yield RawRow(id=str(reply["id"]), data=reply, parent_type="comment",
                                 parent_id=str(comment["id"]), partition_date=day)
