"""Workspaces change while they are read: an object listed a moment ago is deleted or made private
before the request that reads it. That object is skipped, counted, logged and offered to the deletion
check; nothing else is lost, and its stored rows stay until the check has a verdict."""

import collections

import pytest

from clickup_elt.sync import run_sync
from ground_truth import assert_complete, stored
from pg import query

pytestmark = pytest.mark.e2e

COMMENTS = "GET /task/{task_id}/comment"
TASK_PAGES = "GET /team/{team_id}/task"
ARCHIVED_LIST_PAGES = "GET /list/{list_id}/task"


def task_with_comments(sim, ws, exclude=()):
    """A task with comments whose id does not sort first (comments are read in id order)."""
    counts = collections.Counter(i for p, i, _ in sim.truth.all_comments(ws) if p == "task")
    ids = sorted(i for i, n in counts.items() if n >= 2 and i not in exclude)
    return ids[len(ids) // 2]


def candidates(url, ws):
    return dict(
        query(
            url,
            "select id, verdict from clickup_raw.deletion_candidates "
            "where workspace_id = %s and object_type = 'task'",
            (ws,),
        )
    )


def verdicts(url, ws, kind="task"):
    return dict(
        query(
            url,
            "select id, reason from clickup_raw.deletions where workspace_id = %s and object_type = %s",
            (ws, kind),
        )
    )


def vanished_logged(url, entity):
    return query(
        url,
        "select coalesce(sum(vanished), 0) from clickup_raw.sync_log "
        "where entity = %s and outcome = 'success'",
        (entity,),
    )[0][0]


@pytest.mark.parametrize("action, verdict", [("delete_task", "deleted"), ("hide_task", "access_lost")])
def test_a_task_gone_before_its_comments_are_read_skips_only_that_task(
    sim_env, database_url, action, verdict
):
    sim = sim_env(seed=41, tasks=150)
    (ws,) = sim.truth.workspace_ids()
    doomed = task_with_comments(sim, ws)
    # the task walk lists it; then, after the first task's comments were read, it is gone
    sim.after(COMMENTS, 1, action, doomed)

    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures
    assert doomed not in set(sim.truth.task_ids(ws))
    assert_complete(database_url, sim, ws)  # every other comment is there
    assert candidates(database_url, ws) == {doomed: verdict}
    assert vanished_logged(database_url, "comments") == 1

    # the next sync confirms it with GET /task/{id}, and the marts flag it
    result = run_sync(full=False)
    assert result.success, result.failures
    assert verdicts(database_url, ws)[doomed] == verdict
    assert candidates(database_url, ws) == {}
    flagged = query(
        database_url, "select is_deleted, deleted_reason from clickup.tasks where task_id = %s", (doomed,)
    )
    assert flagged == [(True, verdict)]


def test_an_archived_list_gone_mid_walk_keeps_its_stored_tasks(sim_env, database_url):
    sim = sim_env(seed=42, tasks=300, archived_lists=3)
    (ws,) = sim.truth.workspace_ids()
    assert run_sync(full=True, build_dbt=False).success
    archived = [
        lst
        for lst in sim.truth.archived_list_ids(ws)
        if any(t["list"]["id"] == lst for t in sim.truth.tasks(ws))
    ]
    assert len(archived) >= 2, "the seed must give archived lists with tasks"
    first, hidden = sorted(archived)[0], sorted(archived)[-1]
    kept = {t["id"] for t in sim.truth.tasks(ws) if t["list"]["id"] == hidden}
    renamed = next(t["id"] for t in sim.truth.tasks(ws) if t["list"]["id"] == first)
    sim.update_task(renamed, name="Renamed in an archived list")
    # made private after the first archived list was read
    sim.after(ARCHIVED_LIST_PAGES, 2, "hide_list", hidden)

    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures
    tasks = stored(database_url, "tasks", ws)
    assert kept <= set(tasks)  # out of reach now, but nothing says they are gone
    assert max(tasks.values()) == 1
    assert query(database_url, "select data->>'name' from clickup_raw.tasks where id = %s", (renamed,)) == [
        ("Renamed in an archived list",)
    ]
    assert not set(verdicts(database_url, ws)) & kept
    assert vanished_logged(database_url, "tasks") >= 1


def test_a_space_made_private_between_listings_records_no_deletion(sim_env, database_url):
    sim = sim_env(seed=43, tasks=200, spaces=3)
    (ws,) = sim.truth.workspace_ids()
    assert run_sync(full=True, build_dbt=False).success
    space = next(
        s["id"]
        for s in sim.truth.spaces(ws)
        if not s["archived"] and any(f["space"]["id"] == s["id"] for f in sim.truth.folders(ws))
    )
    folders = {f["id"] for f in sim.truth.folders(ws) if f["space"]["id"] == space}
    lists = {lst["id"] for lst in sim.truth.lists(ws) if lst["space"]["id"] == space}
    # listed with the spaces, then private before its folders and lists are asked for
    sim.after("GET /team/{team_id}/space", 2, "hide_space", space)

    result = run_sync(full=False, build_dbt=False)
    assert result.success, result.failures
    assert folders <= set(stored(database_url, "folders", ws))
    assert lists <= set(stored(database_url, "lists", ws))
    assert verdicts(database_url, ws, "folder") == {} and verdicts(database_url, ws, "list") == {}


def test_a_goal_deleted_between_the_listing_and_its_read_keeps_the_rest(sim_env, database_url):
    sim = sim_env(seed=44, tasks=60, goals=4)
    (ws,) = sim.truth.workspace_ids()
    goals = sorted(g["id"] for g in sim.truth.goals(ws))
    sim.after("GET /goal/{goal_id}", 1, "delete_goal", goals[-1])

    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures
    assert set(stored(database_url, "goals", ws)) == set(goals)  # the gone one as it was listed
    key_results = {k["id"] for k in sim.truth.key_results(ws)}
    assert key_results <= set(stored(database_url, "key_results", ws))
