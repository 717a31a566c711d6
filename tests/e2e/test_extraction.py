"""Raw extraction against the simulator over HTTP: every `clickup_raw` table holds exactly what ClickUp
serves, re-runs replace rather than append, and incremental syncs pick up what changed."""

import collections

import pytest

from clickup_elt.clickup.extract.workspace import tag_id
from clickup_elt.clickup.windows import utc_day
from clickup_elt.defs.ingestion.partitions import last_day
from clickup_elt.sync import run_sync
from pg import query

pytestmark = pytest.mark.e2e


def stored(url, entity):
    """(workspace id, id, parent type, parent id) of every row of `clickup_raw.<entity>`."""
    return collections.Counter(
        query(url, f"select workspace_id, id, parent_type, parent_id from clickup_raw.{entity}")
    )


def stored_ids(url, entity):
    return collections.Counter(query(url, f"select workspace_id, id from clickup_raw.{entity}"))


def once(keys):
    return collections.Counter(set(keys))


def expected_rows(sim):
    """What each raw table must hold, from the simulator's ground truth: (ws, id[, parent type, id])."""
    truth = sim.truth
    out = collections.defaultdict(list)
    for ws in truth.workspace_ids():
        out["workspaces"].append((ws, ws))
        out["members"] += [(ws, str(m["user"]["id"])) for m in truth.members(ws)]
        out["user_groups"] += [(ws, str(g["id"])) for g in truth.groups(ws)]
        out["spaces"] += [(ws, s["id"], "workspace", ws) for s in truth.spaces(ws)]
        for f in truth.folders(ws):
            parent = f.get("parent_folder")
            parent = parent["id"] if isinstance(parent, dict) else parent
            out["folders"].append(
                (ws, f["id"], "folder" if parent else "space", str(parent) if parent else f["space"]["id"])
            )
        for lst in truth.lists(ws):
            folder = lst.get("folder") or {}
            home = ("space", lst["space"]["id"]) if folder.get("hidden") else ("folder", folder["id"])
            out["lists"].append((ws, lst["id"], *home))
        out["custom_fields"] += [(ws, f["id"], level, owner) for level, owner, f in truth.custom_fields(ws)]
        out["tags"] += [
            (ws, tag_id(space, t["name"]), "space", space)
            for space, tags in truth.tags(ws).items()
            for t in tags
        ]
        out["tasks"] += [(ws, t["id"], "list", t["list"]["id"]) for t in truth.tasks(ws)]
        out["comments"] += [(ws, c["id"], kind, parent) for kind, parent, c in truth.all_comments(ws)]
        out["time_entries"] += [(ws, e["id"]) for e in truth.time_entries(ws)]
        out["task_time_in_status"] += [(ws, t, "task", t) for t in truth.time_in_status(ws)]
        out["goals"] += [(ws, g["id"], "workspace", ws) for g in truth.goals(ws)]
        out["key_results"] += [(ws, kr["id"], "goal", kr["goal_id"]) for kr in truth.key_results(ws)]
    return out


def test_full_sync_lands_every_entity_exactly_as_the_api_serves_it(sim_env, database_url):
    sim = sim_env(seed=5, tasks=300, workspaces=2)
    ws1, ws2 = sim.truth.workspace_ids()
    # a subfolder archived on its own (its parent stays active), and a task in a second list
    subfolder = next(f for f in sim.truth.folders(ws1) if f.get("parent_folder") and not f.get("archived"))
    sim.archive_folder(subfolder["id"])
    task = next(t for t in sim.truth.tasks(ws2) if not t.get("parent") and not t["locations"])
    other = next(
        lst["id"]
        for lst in sim.truth.lists(ws2)
        if lst["id"] != task["list"]["id"] and lst["id"] not in sim.truth.archived_list_ids(ws2)
    )
    sim.add_task_to_list(task["id"], other)

    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures
    expected = expected_rows(sim)

    # the shapes this test is about are really there
    tasks = [t for ws in (ws1, ws2) for t in sim.truth.tasks(ws)]
    hidden = {lst for ws in (ws1, ws2) for lst in sim.truth.archived_list_ids(ws)}
    assert any(t.get("parent") for t in tasks) and any(t.get("archived") for t in tasks)
    assert any(t["status"]["type"] == "closed" for t in tasks)
    assert any(t["list"]["id"] in hidden for t in tasks) and any(t["locations"] for t in tasks)
    assert sum(1 for t in tasks if t["list"]["id"] in hidden) >= 50
    assert any(kind == "comment" for ws in (ws1, ws2) for kind, _, _ in sim.truth.all_comments(ws))
    token_owner = str(sim.truth.user()["id"])
    assert any(str(e["user"]["id"]) != token_owner for e in sim.truth.time_entries(ws1))

    for entity in (
        "spaces",
        "folders",
        "lists",
        "custom_fields",
        "tags",
        "tasks",
        "comments",
        "task_time_in_status",
        "goals",
        "key_results",
    ):
        assert stored(database_url, entity) == once(expected[entity]), entity
        assert len(expected[entity]) == len(set(expected[entity])), entity
    for entity in ("workspaces", "members", "user_groups", "time_entries"):
        assert stored_ids(database_url, entity) == once(expected[entity]), entity

    # the stored record is the API record, untouched
    data = dict(query(database_url, "select id, data from clickup_raw.tasks"))
    sample = tasks[::7] + [t for t in tasks if t["list"]["id"] in hidden][:20] + [sim.truth.task(task["id"])]
    for record in sample:
        assert data[record["id"]] == record
    assert data[task["id"]]["locations"][0]["id"] == other
    entries = dict(query(database_url, "select id, data from clickup_raw.time_entries"))
    for entry in sim.truth.time_entries(ws2)[::10]:
        if not int(entry["duration"]) < 0:  # a running timer's duration moves with the clock
            assert entries[entry["id"]] == entry

    # each materialization shows a preview of what it loaded, flattened for a person to read
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey(["clickup", "tasks"]))
    preview = event.asset_materialization.metadata["preview"]
    assert [c.name for c in preview.schema.columns] == [
        "id",
        "name",
        "status.status",
        "list.name",
        "date_updated",
    ]
    by_id = {t["id"]: t for t in tasks}
    assert len(preview.records) == 5
    for record in preview.records:
        shown = record.data
        assert shown["name"] == by_id[shown["id"]]["name"][:80]
        assert shown["status.status"] == by_id[shown["id"]]["status"]["status"]


def test_second_full_sync_replaces_instead_of_appending(sim_env, database_url):
    sim_env(seed=8, tasks=200)
    assert run_sync(full=True, build_dbt=False).success
    counts = {
        e: query(database_url, f"select count(*) from clickup_raw.{e}")[0][0]
        for e in ("tasks", "comments", "time_entries", "lists", "members", "custom_fields")
    }
    assert counts["tasks"] >= 200 and all(counts.values())

    second = run_sync(full=True, build_dbt=False)
    assert second.success, second.failures
    for entity, before in counts.items():
        total, distinct, runs = query(
            database_url,
            f"select count(*), count(distinct (workspace_id, id, partition_date)), "
            f"count(distinct run_id) from clickup_raw.{entity}",
        )[0]
        assert (total, distinct) == (before, before), entity
        assert runs == 1, f"{entity} still holds rows of the first run"


def latest_tasks(url):
    """The newest stored version of each task, as dbt staging picks it."""
    return dict(
        query(
            url,
            "select distinct on (id) id, data from clickup_raw.tasks "
            "order by id, (data ->> 'date_updated')::bigint desc, loaded_at desc",
        )
    )


def without_linked_tasks(task):
    """The task without the values of relationship fields: they embed the linked tasks' current name
    and status, which change without stamping this task's date_updated (as in ClickUp)."""
    fields = [
        {k: v for k, v in f.items() if k != "value"} if f["type"] in ("tasks", "list_relationship") else f
        for f in task.get("custom_fields") or []
    ]
    return {**task, "custom_fields": fields}


def test_incremental_sync_picks_up_creates_updates_moves_and_closes(sim_env, database_url):
    sim = sim_env(seed=13, tasks=250)
    (ws,) = sim.truth.workspace_ids()
    assert run_sync(full=True, build_dbt=False).success

    hidden = set(sim.truth.archived_list_ids(ws))
    live = [lst["id"] for lst in sim.truth.lists(ws) if lst["id"] not in hidden]
    plain = [
        t
        for t in sim.truth.tasks(ws)
        if not t.get("parent")
        and t["list"]["id"] in live
        and t["status"]["type"] != "closed"
        and not t.get("archived")
    ]
    in_archived_list = next(t for t in sim.truth.tasks(ws) if t["list"]["id"] in hidden)
    first = {i: t["date_updated"] for i, t in latest_tasks(database_url).items()}
    member = next(
        m["user"]["id"]
        for m in sim.truth.members(ws)
        if m["user"]["id"] != sim.truth.user()["id"] and m["user"].get("role") != 4
    )
    sim.advance(90)
    created = sim.create_task(live[0], "Created after the first sync")
    subtask = sim.create_task(live[1], "A new subtask", parent=plain[0]["id"])
    sim.update_task(plain[1]["id"], name="Renamed after the first sync", priority=1, points=5)
    sim.move_task(plain[2]["id"], next(lst for lst in live if lst != plain[2]["list"]["id"]))
    sim.close_task(plain[3]["id"])
    sim.archive_task(plain[4]["id"])
    sim.move_task(plain[5]["id"], sorted(hidden)[0])
    sim.update_task(in_archived_list["id"], name="Edited inside an archived list")
    sim.add_task_to_list(plain[6]["id"], next(lst for lst in live if lst != plain[6]["list"]["id"]))
    comment = sim.create_comment(plain[7]["id"], "a comment after the first sync")
    reply = sim.create_comment(plain[7]["id"], "a reply", parent_comment_id=comment["id"])
    entry = sim.create_time_entry(plain[8]["id"], user_id=member, duration_ms=1_800_000)
    in_archived_lists = {in_archived_list["id"], plain[5]["id"]}
    changed = {created["id"], subtask["id"]} | {t["id"] for t in plain[1:8]} - in_archived_lists

    # the incremental sync reads what the hourly schedule reads: no per-list reads, so the two tasks
    # now in archived lists wait for the daily (or a full) run
    result = run_sync(build_dbt=False)
    assert result.success, result.failures
    truth = {t["id"]: t for t in sim.truth.tasks(ws)}
    latest = latest_tasks(database_url)
    assert latest.keys() == truth.keys()
    assert [i for i in changed if latest[i] != truth[i]] == []
    assert [
        i
        for i in truth
        if i not in in_archived_lists and without_linked_tasks(latest[i]) != without_linked_tasks(truth[i])
    ] == []
    assert {i for i in in_archived_lists if latest[i]["date_updated"] == first[i]} == in_archived_lists
    assert all(latest[i]["date_updated"] != before for i, before in first.items() if i in changed)
    assert latest[plain[1]["id"]]["name"] == "Renamed after the first sync"
    assert latest[plain[3]["id"]]["status"]["type"] == "closed"
    assert latest[plain[4]["id"]]["archived"] is True

    assert run_sync(full=True, build_dbt=False).success
    latest = latest_tasks(database_url)
    assert [i for i in in_archived_lists if latest[i] != truth[i]] == []
    assert latest[plain[5]["id"]]["list"]["id"] == sorted(hidden)[0]
    changed |= in_archived_lists

    # an edit files the new version under its new day; no (id, day) is held twice, and no task
    # has two rows for its newest version
    newest = query(
        database_url,
        "select distinct on (id) id, partition_date, data ->> 'date_updated' "
        "from clickup_raw.tasks where id = any(%s) "
        "order by id, (data ->> 'date_updated')::bigint desc",
        (sorted(changed),),
    )
    assert len(newest) == len(changed)
    assert all(day == min(utc_day(updated), last_day()) for _, day, updated in newest)
    assert (
        query(
            database_url,
            "select workspace_id, id, partition_date, count(*) from clickup_raw.tasks "
            "group by 1, 2, 3 having count(*) > 1",
        )
        == []
    )
    assert (
        query(
            database_url,
            "select id, data ->> 'date_updated', count(*) from clickup_raw.tasks "
            "group by 1, 2 having count(*) > 1",
        )
        == []
    )

    comments = dict(query(database_url, "select id, parent_id from clickup_raw.comments"))
    assert comments[comment["id"]] == plain[7]["id"] and comments[reply["id"]] == comment["id"]
    entries = dict(query(database_url, "select id, data from clickup_raw.time_entries"))
    assert str(entries[entry["id"]]["user"]["id"]) == str(member)
