"""Many workspaces of mixed sizes, split over several tokens of their owner (what the scale benchmark
serves): each workspace holds its own number of tasks, shaped like a workspace of that size, and each
shared token reaches its share of the workspaces only, within a rate-limit window of its own."""

from __future__ import annotations

import pytest

from sim_helpers import walk_tasks


def test_each_workspace_holds_its_own_number_of_tasks(fresh):
    api = fresh(workspaces=3, workspace_tasks=(30, 400, 90))
    sizes = [len(api.sim.truth.task_ids(ws)) for ws in api.sim.truth.workspace_ids()]
    assert sizes == [30, 400, 90]
    big = api.sim.truth.workspace_ids()[1]
    closed = [t for t in api.sim.truth.tasks(big) if t["status"]["type"] == "closed"]
    assert len(closed) == 400 * 3 // 20  # derived from the workspace's own size
    assert len(api.sim.truth.time_entries(big)) == 200
    served = walk_tasks(api, f"/team/{big}/task", include_closed="true", subtasks="true")
    assert {t["id"] for t in served} <= set(api.sim.truth.task_ids(big)) and len(served) > 200


def test_shared_tokens_split_the_workspaces_and_are_limited_apart(fresh):
    api = fresh(workspaces=5, workspace_tasks=(20, 20, 20, 20, 20), shared_tokens=2, rate_limit=3)
    ids = api.sim.truth.workspace_ids()
    first, second = api.sim.tokens.shared
    assert [t["id"] for t in api.json("/team", token=first)["teams"]] == [ids[0], ids[2], ids[4]]
    assert [t["id"] for t in api.json("/team", token=second)["teams"]] == [ids[1], ids[3]]
    assert api.get(f"/team/{ids[1]}/space", token=first).json()["ECODE"] == "OAUTH_027"
    api.sim.reset_rate_limits()
    for _ in range(3):
        assert api.get("/team", token=first).status_code == 200
    assert api.get("/team", token=first).status_code == 429  # its 3 of the window are spent...
    assert api.get("/team", token=second).status_code == 200  # ...the other token's are not


def test_sizes_must_name_every_workspace(fresh):
    with pytest.raises(ValueError, match="one count per workspace"):
        fresh(workspaces=3, workspace_tasks=(10, 10))
