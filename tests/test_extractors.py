"""The pipeline's extractors against the simulator over HTTP: each walk reads everything the simulator
holds (comments and replies, every user's time entries, goals in folders), recognises a ClickApp that
is off, and the keyset task walk misses no task and no edit while tasks change under it."""

from __future__ import annotations

import datetime as dt

import pytest

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract.comments import comments
from clickup_elt.clickup.extract.goals import goals_with_key_results
from clickup_elt.clickup.extract.tasks import tasks
from clickup_elt.clickup.extract.time_entries import time_entries
from clickup_elt.clickup.extract.time_in_status import TimeInStatusDisabled, time_in_status
from clickup_elt.clickup.windows import DayRange
from clickup_elt.records import Findings

NOW_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: a pinned clock, so answers are reproducible
PINNED = {"seed": 11, "now_ms": NOW_MS}


@pytest.fixture
def workspace(serve_sim):
    """A generated workspace of 700 tasks with two years of activity: (simulator, API URL, workspace id)."""
    sim, url = serve_sim(**PINNED, tasks=700, workspaces=2, members=14)
    return sim, url, sim.truth.workspace_ids()[0]


def test_the_comment_walk_reads_every_comment_and_reply(workspace):
    sim, url, ws = workspace
    counts = sim.state.tasks.column("ncomments")
    task = sim.state.task_id(max(sim.truth.task_indices(ws), key=lambda i: int(counts[i])))
    rows = list(comments(ClickUpClient(sim.config.token, url), [(task, None)], Findings()))
    on_task = {c["id"] for c in sim.truth.comments(task)}
    expected = [
        (p, i, c)
        for p, i, c in sim.truth.all_comments(ws)
        if (p == "task" and i == task) or (p == "comment" and i in on_task)
    ]
    assert any(p == "comment" for p, _, _ in expected)  # replies are read too
    assert sorted((r.parent_type, r.parent_id, r.id) for r in rows) == sorted(
        (p, i, c["id"]) for p, i, c in expected
    )


def test_time_entry_windows_read_everything(workspace):
    sim, url, ws = workspace
    days = DayRange(dt.date(2023, 1, 1), dt.date(2026, 12, 31), dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    members = [str(m["user"]["id"]) for m in sim.truth.members(ws)]
    rows = list(time_entries(ClickUpClient(sim.config.token, url), ws, members, days, NOW_MS, Findings()))
    assert sorted(r.id for r in rows) == sorted(e["id"] for e in sim.truth.time_entries(ws))


def test_goal_extraction_reads_goals_in_folders(workspace):
    sim, url, ws = workspace
    read = goals_with_key_results(ClickUpClient(sim.config.token, url), ws, Findings())
    assert {g["id"] for g in read} == {g["id"] for g in sim.truth.goals(ws)}


def test_time_in_status_without_the_clickapp_is_recognised(serve_sim):
    sim, url = serve_sim(**PINNED, tasks=60, workspaces=2, time_in_status_enabled=(1,))
    off = sim.truth.workspace_ids()[0]
    task = sim.truth.task_ids(off)[0]
    with pytest.raises(TimeInStatusDisabled):
        list(time_in_status(ClickUpClient(sim.config.token, url), [(task, None)], Findings()))


@pytest.fixture
def board(serve_sim):
    """A simulator with an empty list to fill: (simulator, API URL, workspace id, list id)."""
    sim, url = serve_sim(**PINNED, tasks=50)
    ws = sim.truth.workspace_ids()[0]
    space = next(s for s in sim.truth.spaces(ws) if not s["archived"] and not s["private"])
    return sim, url, ws, sim.create_list(space["id"], "Edge cases")["id"]


def _walk_while_editing(sim, url, ws, list_id, made, edits_per_request: int):
    """The task extraction over HTTP; after each of its first two page requests (the walk over 250 tasks
    takes three, so every edit lands before it ends), `edits_per_request` tasks of the list are edited.
    Returns {task id: last version read}."""
    everything = DayRange(dt.date(2020, 1, 1), dt.date(2030, 1, 1), dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    client = ClickUpClient(sim.config.token, url)
    original, calls, victims = client.get, [], iter(made[::7])

    def get(path, params=None, *, endpoint=None, key=None):
        answer = original(path, params, endpoint=endpoint, key=key)
        calls.append(path)
        if len(calls) <= 2:
            sim.advance(0.001)
            for task in [next(victims) for _ in range(edits_per_request)]:
                sim.update_task(task["id"], name=task["name"] + " (edited)")
        return answer

    client.get = get
    latest = {}
    for row in tasks(client, ws, everything, list_ids=[list_id]):
        latest[row.id] = row.data
    return latest


def test_the_keyset_walk_sees_every_task_and_every_edit(board):
    sim, url, ws, list_id = board
    made = []
    for k in range(250):  # distinct timestamps, as tasks edited one by one have
        sim.advance(0.001)
        made.append(sim.create_task(list_id, f"Task {k}"))
    latest = _walk_while_editing(sim, url, ws, list_id, made, edits_per_request=3)
    truth = {t["id"]: t for t in sim.truth.tasks(ws) if t["list"]["id"] == list_id}
    assert set(latest) == set(truth)
    assert all(latest[i]["name"] == truth[i]["name"] for i in truth)


def test_the_keyset_walk_within_one_timestamp_while_tasks_change(board):
    sim, url, ws, list_id = board
    made = [sim.create_task(list_id, f"Task {k}") for k in range(250)]  # one ms, as a bulk change
    latest = _walk_while_editing(sim, url, ws, list_id, made, edits_per_request=3)
    assert set(latest) == {t["id"] for t in made}
