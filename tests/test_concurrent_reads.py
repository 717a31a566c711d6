"""Per-task reads several at a time (CLICKUP_READ_CONCURRENCY) against the simulator over HTTP: the
same rows in the same order and the same requests as one at a time, no 429 under a tight rate limit,
a task vanishing mid-read loses only that task, an error is the sequential read's error, and every
session opened for the threads is closed."""

from __future__ import annotations

import pytest

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.errors import ClickUpError
from clickup_elt.clickup.extract.comments import comments
from clickup_elt.clickup.extract.time_in_status import time_in_status
from clickup_elt.clickup.ratelimit import RateLimitPacer
from clickup_elt.records import Findings

PINNED = {"seed": 11, "now_ms": 1_767_225_600_000}
COMMENTS = "GET /task/{task_id}/comment"


def read(extract, sim, url, tasks, width):
    """(rows as tuples, vanished task ids, requests) of one extraction on a fresh client and pacer."""
    client = ClickUpClient(sim.config.token, url, pacer=RateLimitPacer())
    findings = Findings()
    try:
        rows = [
            (r.id, r.parent_type, r.parent_id, r.partition_date, r.data)
            for r in extract(client, tasks, findings, width)
        ]
    finally:
        client.close()
    return rows, [v.object_id for v in findings.vanished], client.stats.requests


@pytest.fixture
def workspace(serve_sim):
    sim, url = serve_sim(**PINNED, tasks=450)
    ws = sim.truth.workspace_ids()[0]
    tasks = sorted(sim.truth.task_ids(ws))
    return sim, url, ws, [(t, None) for t in tasks]


@pytest.mark.parametrize("extract", [comments, time_in_status])
def test_eight_at_a_time_reads_what_one_at_a_time_reads(workspace, monkeypatch, extract):
    sim, url, _, tasks = workspace
    opened, closed = [], []
    worker, close = ClickUpClient.worker, ClickUpClient.close
    monkeypatch.setattr(ClickUpClient, "worker", lambda self: opened.append(1) or worker(self))
    monkeypatch.setattr(ClickUpClient, "close", lambda self: closed.append(1) or close(self))

    one = read(extract, sim, url, tasks, 1)
    assert opened == [] and len(closed) == 1
    eight = read(extract, sim, url, tasks, 8)
    assert eight == one  # rows in the same order, nothing vanished, the same number of requests
    assert one[0] and one[1] == []
    assert 1 < len(opened) <= 8 and len(closed) == 1 + 1 + len(opened)


def test_a_tight_rate_limit_earns_no_429(serve_sim):
    sim, url = serve_sim(**PINNED, tasks=30, rate_limit=10, rate_window_s=1)
    ws = sim.truth.workspace_ids()[0]
    rows, _, requests = read(comments, sim, url, [(t, None) for t in sim.truth.task_ids(ws)], 8)
    assert requests > 2 * 10  # several windows spent
    statuses = sim.stats.snapshot()["by_endpoint"][COMMENTS]["statuses"]
    assert set(statuses) == {"200"}
    assert {r[0] for r in rows if r[1] == "task"} == {
        c["id"] for p, _, c in sim.truth.all_comments(ws) if p == "task"
    }


@pytest.mark.parametrize("action", ["delete_task", "hide_task"])
def test_a_task_vanishing_mid_read_loses_only_that_task(workspace, action):
    sim, url, _, tasks = workspace
    before, _, _ = read(comments, sim, url, tasks, 1)
    with_comments = [t for t, _ in tasks if sim.truth.comments(t)]
    doomed = with_comments[len(with_comments) // 2]
    sim.after(COMMENTS, 20, action, doomed)  # gone while other reads are in flight
    rows, vanished, _ = read(comments, sim, url, tasks, 8)
    assert vanished == [doomed]
    lost = _ids_of(before, doomed)
    assert lost and rows == [r for r in before if r[0] not in lost]


def _ids_of(rows, task_id):
    """Ids of a task's comments and of their replies."""
    comment_ids = {r[0] for r in rows if r[1] == "task" and r[2] == task_id}
    return comment_ids | {r[0] for r in rows if r[1] == "comment" and r[2] in comment_ids}


def test_an_error_fails_the_read_as_it_would_one_at_a_time(workspace):
    sim, url, _, tasks = workspace
    broken = [*tasks[:100], ("no/such/route", None), *tasks[100:]]  # a 404 that is not a vanished task
    seen = []
    for width in (1, 8):
        client = ClickUpClient(sim.config.token, url, pacer=RateLimitPacer())
        rows: list = []
        with pytest.raises(ClickUpError) as raised:
            rows.extend(r.id for r in comments(client, broken, Findings(), width))
        client.close()
        seen.append((str(raised.value), rows))
    assert seen[0] == seen[1]  # the same message, after the same rows
    assert "no/such/route" in seen[0][0] and seen[0][1]
