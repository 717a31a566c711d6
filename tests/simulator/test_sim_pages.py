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


@pytest.mark.parametrize(
    "count,expected", [(0, [(0, True)]), (100, [(100, True)]), (101, [(100, False), (1, True)])]
)
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
