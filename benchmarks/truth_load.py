"""Raw tables straight from the simulator's ground truth (no HTTP): the rows a complete sync would
write, with the same ids, parents and partitions as the extraction, streamed into COPY."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from clickup_elt.clickup.extract.tasks import task_row
from clickup_elt.clickup.extract.workspace import member_rows, tag_id
from clickup_elt.clickup.windows import DayRange
from clickup_elt.warehouse.load import RawRow, Scope, replace_rows


def _days(ms_values) -> DayRange:
    first = dt.date(2000, 1, 1)
    last = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=3650)
    return DayRange(first, last, first, last)


EVERYTHING = _days(())


def hierarchy_rows(truth, ws: str) -> dict[str, list[RawRow]]:
    team = truth.team(ws)
    folders = []
    for folder in truth.folders(ws):
        parent = folder.get("parent_folder")
        parent_id = str(parent["id"] if isinstance(parent, dict) else parent) if parent else None
        folders.append(
            RawRow(
                str(folder["id"]),
                folder,
                "folder" if parent_id else "space",
                parent_id or str(folder["space"]["id"]),
            )
        )
    lists = []
    for lst in truth.lists(ws):
        folderless = (lst.get("folder") or {}).get("hidden")
        lists.append(
            RawRow(
                str(lst["id"]),
                lst,
                "space" if folderless else "folder",
                str(lst["space"]["id"] if folderless else lst["folder"]["id"]),
            )
        )
    goals = truth.goals(ws)
    return {
        "workspaces": [RawRow(ws, team)],
        "members": list(member_rows(team, ws)),
        "user_groups": [RawRow(str(g["id"]), g, "workspace", ws) for g in truth.groups(ws)],
        "spaces": [RawRow(str(s["id"]), s, "workspace", ws) for s in truth.spaces(ws)],
        "folders": folders,
        "lists": lists,
        "custom_fields": [
            RawRow(str(d["id"]), d, level, str(owner)) for level, owner, d in truth.custom_fields(ws)
        ],
        "tags": [
            RawRow(tag_id(space, t["name"]), t, "space", space)
            for space, tags in truth.tags(ws).items()
            for t in tags
        ],
        "goals": [RawRow(str(g["id"]), g, "workspace", ws) for g in goals],
        "key_results": [
            RawRow(str(kr["id"]), kr, "goal", str(g["id"]))
            for g in goals
            for kr in g.get("key_results") or []
        ],
    }


def task_rows(sim, ws: str, partitions: dict[str, dt.date]) -> Iterator[RawRow]:
    """Every task, rendered one at a time (a million tasks never sit in memory at once)."""
    for index in sim.truth.task_indices(ws):
        with sim.state.lock:
            task = sim.renderer.render(index, True)
        row = task_row(task, EVERYTHING)
        partitions[row.id] = row.partition_date
        yield row


def comment_rows(truth, ws: str, partitions: dict[str, dt.date]) -> Iterator[RawRow]:
    task_of: dict[str, str] = {}
    for parent_type, parent_id, comment in truth.all_comments(ws):
        task_id = parent_id if parent_type == "task" else task_of.get(parent_id)
        task_of[str(comment["id"])] = task_id
        yield RawRow(str(comment["id"]), comment, parent_type, str(parent_id), partitions.get(task_id))


def time_entry_rows(truth, ws: str) -> Iterator[RawRow]:
    for entry in truth.time_entries(ws):
        task = entry.get("task") or {}
        yield RawRow(
            str(entry["id"]),
            entry,
            "task" if task.get("id") else None,
            str(task["id"]) if task.get("id") else None,
            EVERYTHING.partition_for(entry.get("start")),
        )


def time_in_status_rows(truth, ws: str, partitions: dict[str, dt.date]) -> Iterator[RawRow]:
    for task_id, value in truth.time_in_status(ws).items():
        yield RawRow(task_id, value, "task", task_id, partitions.get(task_id))


def load_workspace(conn, sim, ws: str, run_id: str = "benchmark") -> dict[str, int]:
    """Replace everything of workspace `ws` with the simulator's truth; returns rows per entity."""
    written = {}
    for entity, rows in hierarchy_rows(sim.truth, ws).items():
        written[entity] = replace_rows(conn, entity, Scope(ws), rows, run_id).rows
    partitions: dict[str, dt.date] = {}
    written["tasks"] = replace_rows(conn, "tasks", Scope(ws), task_rows(sim, ws, partitions), run_id).rows
    written["comments"] = replace_rows(
        conn, "comments", Scope(ws), comment_rows(sim.truth, ws, partitions), run_id
    ).rows
    written["time_entries"] = replace_rows(
        conn, "time_entries", Scope(ws), time_entry_rows(sim.truth, ws), run_id
    ).rows
    written["task_time_in_status"] = replace_rows(
        conn, "task_time_in_status", Scope(ws), time_in_status_rows(sim.truth, ws, partitions), run_id
    ).rows
    return written


def touch_latest_tasks(conn, sim, ws: str, share: float, run_id: str = "benchmark-hourly") -> int:
    """What an hourly sync writes: today's partition of tasks, where `share` of all tasks were edited
    (a new date_updated today, a new name), with their comments and time in status re-read."""
    today = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stamp = str(int(today.timestamp() * 1000))
    indices = sim.truth.task_indices(ws)
    step = max(1, int(1 / share))
    rows, partitions = [], {}
    for index in indices[::step]:
        with sim.state.lock:
            task = sim.renderer.render(index, True)
        task = {**task, "date_updated": stamp, "name": task["name"] + " (edited)"}
        row = task_row(task, EVERYTHING)
        partitions[row.id] = row.partition_date
        rows.append(row)
    replace_rows(conn, "tasks", Scope(ws, [today.date()]), rows, run_id)
    tis = sim.truth.time_in_status(ws)
    replace_rows(
        conn,
        "task_time_in_status",
        Scope(ws, [today.date()], task_ids=list(partitions)),
        [RawRow(t, tis[t], "task", t, today.date()) for t in partitions if t in tis],
        run_id,
    )
    return len(rows)
