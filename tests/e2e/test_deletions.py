"""Deleted tasks and lists end to end: ClickUp has no feed of deletions, so the sweep and the hierarchy
loads must find exactly what was deleted, and never flag what was only archived, moved or hidden."""

import dagster as dg
import pytest

from clickup_elt import settings, triggers
from clickup_elt.defs.ingestion.partitions import first_day, last_day
from clickup_elt.defs.ingestion.sync_jobs import DELETION_JOB, TASKS_JOB, WORKSPACE_JOB
from clickup_elt.sync import discover_workspaces, run_sync
from pg import query

pytestmark = pytest.mark.e2e


def launch(what: triggers.Launch):
    """Run a job in-process as a schedule would launch it."""
    from clickup_elt.definitions import defs as load_defs

    url = settings.prepare_environment()
    with dg.DagsterInstance.get() as instance:
        discover_workspaces(instance, url)
        result = (
            load_defs()
            .resolve_job_def(what.job)
            .execute_in_process(
                instance=instance, tags=what.tags, run_config=what.run_config, raise_on_error=False
            )
        )
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return result


def sweep(ws: str) -> None:
    result = launch(triggers.workspaces(DELETION_JOB, [ws]))
    # the weekly sweep only sweeps: dbt's tests of the raw tables belong to the dbt job
    assert {e.step_key for e in result.all_events if e.step_key} == {"clickup__deletions"}


def deletions(url, ws, kinds=("task", "list", "folder", "space")):
    return {
        (kind, i): reason
        for kind, i, reason in query(
            url,
            "select object_type, id, reason from clickup_raw.deletions where workspace_id = %s "
            "and object_type = any(%s)",
            (ws, list(kinds)),
        )
    }


def latest(url, task_id):
    """The newest stored version of a task, as dbt's staging model picks it."""
    rows = query(
        url,
        "select data from clickup_raw.tasks where id = %s "
        "order by (data ->> 'date_updated')::bigint desc limit 1",
        (task_id,),
    )
    return rows[0][0] if rows else None


def leaves(tasks):
    """Top-level tasks without subtasks: deleting or moving one touches nothing else."""
    parents = {t.get("parent") for t in tasks}
    return [t for t in tasks if not t.get("parent") and t["id"] not in parents]


def top_level(tasks, list_id):
    return [t for t in tasks if t["list"]["id"] == list_id and not t.get("parent") and not t.get("archived")]


def test_sweep_records_exactly_the_deleted_tasks_and_lists(sim_env, database_url):
    sim = sim_env(seed=5, tasks=160)
    (ws,) = sim.truth.workspace_ids()
    assert run_sync(full=True, build_dbt=False).success

    live_lists = [
        lst["id"] for lst in sim.truth.lists(ws) if lst["id"] not in set(sim.truth.archived_list_ids(ws))
    ]
    tasks = sim.truth.tasks(ws)
    busy = sorted(live_lists, key=lambda lst: -len(top_level(tasks, lst)))
    home, doomed_list, shelved_list, target = busy[:4]
    picks = top_level(tasks, home)
    assert len(picks) >= 7, "the seed must give a list with enough top-level tasks"
    deleted = [t["id"] for t in picks[:2]]
    archived = [t["id"] for t in picks[2:4]]
    moved = [t["id"] for t in picks[4:6]]
    shelved = picks[6]["id"]  # moved into a list that is archived next: the walk no longer sees it
    doomed_tasks = {t["id"] for t in tasks if t["list"]["id"] == doomed_list}
    assert doomed_tasks

    sim.advance(60)
    for task_id in deleted:
        sim.delete_task(task_id)
    for task_id in archived:
        sim.archive_task(task_id)
    for task_id in moved:
        sim.move_task(task_id, target)
    sim.move_task(shelved, shelved_list)
    sim.delete_list(doomed_list)
    sim.archive_list(shelved_list)
    truly_deleted = set(sim.truth.deleted(ws)["tasks"])
    assert set(deleted) | doomed_tasks <= truly_deleted

    # the weekly sweep, before any hierarchy load noticed the archived list
    sweep(ws)
    assert deletions(database_url, ws) == {("task", i): "deleted" for i in truly_deleted}
    # a task the walk missed but GET /task/{id} still serves is stored in its new place
    assert latest(database_url, shelved)["list"]["id"] == shelved_list
    for task in top_level(tasks, shelved_list):
        assert latest(database_url, task["id"]) == sim.truth.task(task["id"])

    # the daily workspace sync (with the hourly tasks) notices the deleted list and stores new states
    result = run_sync(full=False, build_dbt=True)
    assert result.success, result.failures
    expected = {("task", i): "deleted" for i in truly_deleted}
    expected[("list", doomed_list)] = "missing_from_api"
    assert deletions(database_url, ws) == expected
    # the time entries of deleted tasks went with them: the re-read window confirmed each one
    entries_gone = deletions(database_url, ws, ("time_entry",))
    assert entries_gone and set(entries_gone.values()) == {"deleted"}
    assert {i for _, i in entries_gone} <= set(sim.truth.deleted(ws)["time_entries"])
    for task_id in archived:
        assert latest(database_url, task_id)["archived"] is True
    for task_id in moved:
        assert latest(database_url, task_id)["list"]["id"] == target

    marts = dict(
        query(database_url, "select task_id, is_deleted from clickup.tasks where workspace_id = %s", (ws,))
    )
    assert {i for i, gone in marts.items() if gone} == truly_deleted
    assert not any(marts[i] for i in archived + moved + [shelved])
    lists = dict(query(database_url, "select list_id, is_deleted from clickup.lists"))
    assert lists[doomed_list] is True and lists[shelved_list] is False

    # sweeping again changes nothing: the verdicts stand and nothing alive is flagged
    sweep(ws)
    assert deletions(database_url, ws) == expected


def test_a_task_out_of_the_tokens_reach_is_access_lost_not_deleted(sim_env, database_url, monkeypatch):
    sim = sim_env(seed=7, tasks=80)
    (ws,) = sim.truth.workspace_ids()
    member = sim.tokens.member  # a plain member: private spaces they are not in stay hidden
    monkeypatch.setenv("CLICKUP_API_TOKEN", member)
    # hierarchy and tasks only: a plain member may not read other users' time entries
    launch(triggers.workspaces(WORKSPACE_JOB, [ws]))
    launch(triggers.days(TASKS_JOB, [ws], first_day(), last_day()))

    seen = sim.truth.tasks(ws, token=member)
    private_spaces = {s["id"] for s in sim.truth.spaces(ws) if s["private"] and not s["archived"]}
    private = next(
        lst["id"]
        for lst in sim.truth.lists(ws)
        if lst["space"]["id"] in private_spaces
        and lst["id"] not in sim.truth.archived_list_ids(ws)
        and lst["id"] not in {t["list"]["id"] for t in seen}
    )
    hidden, gone = [t["id"] for t in leaves(seen) if not t.get("archived")][:2]
    stored_before = latest(database_url, hidden)
    assert stored_before is not None

    sim.advance(60)
    sim.move_task(hidden, private)
    sim.delete_task(gone)
    assert hidden not in {t["id"] for t in sim.truth.tasks(ws, token=member)}
    assert sim.truth.task(hidden) is not None

    sweep(ws)
    found = query(
        database_url,
        "select id, reason, evidence ->> 'name' from clickup_raw.deletions "
        "where workspace_id = %s and object_type = 'task'",
        (ws,),
    )
    assert sorted(found) == sorted(
        [
            (hidden, "access_lost", stored_before["name"]),
            (gone, "deleted", latest(database_url, gone)["name"]),
        ]
    )
