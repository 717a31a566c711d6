"""Per-task reads of one workspace, several at a time, handed back in the order they were asked for.

A full sync asks for each task's comments, one request per task; one request at a time leaves most of
the token's rate limit unused while each answer is on its way. `in_order` runs the reads on a few
threads, each with a session of its own over the token's shared pacer and the load's stats, and
yields the results in the order of the items, so a load's rows are those of a sequential read. An
error is raised where the sequential read would have met it; reads already under way are awaited,
the rest cancelled, and every session is closed.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from clickup_elt.clickup.client import ClickUpClient

AHEAD = 4  # reads started ahead of the one awaited, per thread: a slow task does not idle the others
Item = TypeVar("Item")
Result = TypeVar("Result")


def in_order(
    client: ClickUpClient,
    read: Callable[[ClickUpClient, Item], Result],
    items: Iterable[Item],
    width: int = 1,
) -> Iterator[Result]:
    """`read(client, item)` for each item, up to `width` at a time; 1 reads them one after another on
    `client`. Items are taken from `items` (in this thread) as reads start, at most AHEAD × `width`
    ahead of the result awaited."""
    if width <= 1:
        for item in items:
            yield read(client, item)
        return
    local = threading.local()
    workers: list[ClickUpClient] = []
    workers_lock = threading.Lock()

    def run(item: Item) -> Result:
        worker = getattr(local, "client", None)
        if worker is None:
            worker = local.client = client.worker()
            with workers_lock:
                workers.append(worker)
        return read(worker, item)

    pending: deque[Future[Result]] = deque()
    pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="clickup-read")
    try:
        for item in items:
            pending.append(pool.submit(run, item))
            if len(pending) >= AHEAD * width:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)
        for worker in workers:
            worker.close()
