"""Page edges (0, 100 and 101 matching tasks) and pages computed at request time, on both task endpoints."""

from __future__ import annotations

import pytest


@pytest.fixture
def board(fresh):
    """A simulator with an empty list to fill."""
    api = fresh(tasks=50)
    ws = api.sim.truth.workspace_ids()[0]
    space = next(s for s in api.sim.truth.spaces(ws) if not s["archived"] and not s["private"])
    lst = api.sim.create_list(space["id"], "Edge cases")
    return api, ws, lst["id"]


def pages(api, path, **params):
    out, page = [], 0
    while True:
        body = api.json(path, page=page, **params)
        out.append((len(body["tasks"]), body["last_page"]))
        if body["last_page"] or not body["tasks"]:
            return out
        page += 1


@pytest.mark.parametrize("count,expected", [(0, [(0, True)]), (100, [(100, True)]), (101, [(100, False), (1, True)])])
def test_zero_hundred_and_hundred_and_one_tasks(board, count, expected):
    api, ws, list_id = board
    for k in range(count):
        api.sim.create_task(list_id, f"Task {k}")
    assert pages(api, f"/list/{list_id}/task") == expected
    assert pages(api, f"/team/{ws}/task", **{"list_ids[]": list_id}) == expected
    after = len(expected)
    assert api.json(f"/list/{list_id}/task", page=after) == {"tasks": [], "last_page": True}


def test_a_change_between_page_requests_shifts_rows(board):
    api, ws, list_id = board
    made = [api.sim.create_task(list_id, f"Task {k}") for k in range(150)]
    api.sim.advance(1)
    query = {"order_by": "updated", "reverse": "true", "list_ids[]": list_id}
    first = api.json(f"/team/{ws}/task", page=0, **query)["tasks"]
    assert [t["id"] for t in first] == [t["id"] for t in made[:100]]
    api.sim.update_task(made[0]["id"], name="Edited while paging")  # jumps to the end of the order
    second = api.json(f"/team/{ws}/task", page=1, **query)["tasks"]
    assert [t["id"] for t in second] == [t["id"] for t in made[101:]] + [made[0]["id"]]
    assert made[100]["id"] not in [t["id"] for t in first + second]  # shifted onto page 0: missed


def _walk_while_editing(api, ws, list_id, made, edits_per_request: int):
    """The pipeline's own task extraction over HTTP; after each of its first two page requests (the walk
    over 250 tasks takes three, so every edit lands before it ends),
    `edits_per_request` tasks of the list are edited. Returns {task id: last version read}."""
    import datetime as dt

    from clickup_elt.clickup.client import ClickUpClient
    from clickup_elt.clickup.extract.tasks import tasks
    from clickup_elt.clickup.windows import DayRange

    everything = DayRange(dt.date(2020, 1, 1), dt.date(2030, 1, 1), dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    client = ClickUpClient(api.sim.config.token, api.url)
    original, calls, victims = client.get, [], iter(made[::7])

    def get(path, params=None, *, endpoint=None, key=None):
        answer = original(path, params, endpoint=endpoint, key=key)
        calls.append(path)
        if len(calls) <= 2:
            api.sim.advance(0.001)
            for task in [next(victims) for _ in range(edits_per_request)]:
                api.sim.update_task(task["id"], name=task["name"] + " (edited)")
        return answer

    client.get = get
    latest = {}
    for row in tasks(client, ws, everything, list_ids=[list_id]):
        latest[row.id] = row.data
    return latest


def test_the_pipelines_keyset_walk_sees_every_task_and_every_edit(board):
    api, ws, list_id = board
    made = []
    for k in range(250):  # distinct timestamps, as tasks edited one by one have
        api.sim.advance(0.001)
        made.append(api.sim.create_task(list_id, f"Task {k}"))
    latest = _walk_while_editing(api, ws, list_id, made, edits_per_request=3)
    truth = {t["id"]: t for t in api.sim.truth.tasks(ws) if t["list"]["id"] == list_id}
    assert set(latest) == set(truth)
    assert all(latest[i]["name"] == truth[i]["name"] for i in truth)


def test_the_pipelines_keyset_walk_within_one_timestamp_while_tasks_change(board):
    api, ws, list_id = board
    made = [api.sim.create_task(list_id, f"Task {k}") for k in range(250)]  # one ms, as a bulk change
    latest = _walk_while_editing(api, ws, list_id, made, edits_per_request=3)
    assert set(latest) == {t["id"] for t in made}
