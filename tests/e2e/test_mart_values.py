"""Simulator → `clickup-elt sync --full` (Dagster, real HTTP) → `dbt build`, then the marts compared
with the simulator's ground truth: statuses, dates, every custom field type as a person reads it,
assignees, tracked time, cycle times; and the reader role's reach. One sync per module."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import psycopg2
import pytest

from clickup_simulator import Simulator, SimulatorConfig
from pg import drop_role, query, scratch_database

pytestmark = pytest.mark.e2e

ENV_TO_CLEAR = (
    "CLICKUP_WORKSPACE_IDS",
    "DAGSTER_PG_HOST",
    "DAGSTER_PG_PORT",
    "DAGSTER_PG_USER",
    "DAGSTER_PG_PASSWORD",
    "DAGSTER_PG_DB",
    "CLICKUP_DBT_HOST",
    "CLICKUP_DBT_PORT",
    "CLICKUP_DBT_USER",
    "CLICKUP_DBT_PASSWORD",
    "CLICKUP_DBT_DBNAME",
)


@dataclass
class Synced:
    sim: Simulator
    workspace_id: str
    url: str
    role: str
    failures: list[str]

    def query(self, sql: str, params=None, role: str | None = None) -> list[tuple]:
        return query(self.url, sql, params, role)


@pytest.fixture(scope="module")
def synced(pg_server_url, tmp_path_factory):
    from clickup_elt.sync import run_sync

    role = f"clickup_reader_{uuid.uuid4().hex[:10]}"
    config = SimulatorConfig(seed=23, tasks=500, rate_limit=0)
    sim = Simulator(config)
    server = sim.serve(host="127.0.0.1", port=0)
    patch = pytest.MonkeyPatch()
    with scratch_database(pg_server_url, "clickup_marts") as url:
        try:
            patch.setenv("CLICKUP_API_URL", server.url)
            patch.setenv("CLICKUP_API_TOKEN", config.token)
            patch.setenv("DATABASE_URL", url)
            patch.setenv("DAGSTER_HOME", str(tmp_path_factory.mktemp("dagster_home")))
            patch.setenv("CLICKUP_READER_ROLE", role)
            for variable in ENV_TO_CLEAR:
                patch.delenv(variable, raising=False)
            result = run_sync(full=True)
            workspace_id = sim.truth.workspace_ids()[0]
            yield Synced(sim, workspace_id, url, role, result.failures)
        finally:
            patch.undo()
            server.stop()
            drop_role(url, role)


def at(ms) -> dt.datetime | None:
    return None if ms in (None, "") else dt.datetime.fromtimestamp(int(ms) / 1000, dt.timezone.utc)


def half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def readable(field: dict) -> str | None:
    """What ClickUp shows for a custom field value (the rules `task_custom_fields` documents)."""
    kind, value, config = field["type"], field["value"], field.get("type_config") or {}
    options = config.get("options") or []
    if kind == "drop_down":
        chosen = [o for o in options if o.get("id") == value] or [
            o for o in options if str(o.get("orderindex")) == str(value)
        ]
        return chosen[0]["name"] if chosen else str(value)
    if kind == "labels":
        ordered = sorted((o for o in options if o["id"] in value), key=lambda o: o.get("orderindex", 0))
        return ", ".join(o.get("label") or o.get("name") for o in ordered)
    if kind in ("users", "tasks", "list_relationship", "attachment"):
        return ", ".join(
            item.get("username") or item.get("name") or item.get("title") or str(item["id"]) for item in value
        )
    if kind == "date":
        return at(value).date().isoformat()
    if kind == "checkbox":
        return str(value).lower()
    if kind == "currency":
        amount = half_up(Decimal(str(value)), int(config.get("precision", 2)))
        return f"{amount} {config['currency_type']}" if config.get("currency_type") else str(amount)
    if kind == "emoji":
        return f"{value}/{config['count']}" if config.get("count") is not None else str(value)
    if kind in ("automatic_progress", "manual_progress", "progress"):
        share = Decimal(str(value["percent_completed"]))
        return f"{half_up(share * 100 if share <= 1 else share, 0)}%"
    if kind == "location":
        return value["formatted_address"]
    if kind == "votes":
        return str(len(value))
    if kind in ("number", "formula") and not isinstance(value, str) or kind == "number":
        return str(Decimal(str(value)))
    return str(value)


def truth_tasks(synced: Synced) -> dict[str, dict]:
    return {t["id"]: t for t in synced.sim.truth.tasks(synced.workspace_id)}


def test_sync_and_build_succeed(synced):
    assert synced.failures == []
    statuses = dict(synced.query("select entity, last_outcome from clickup.sync_health"))
    assert statuses.get("tasks") == "success"
    assert {"workspaces", "lists", "tasks", "time_entries", "comments"} <= set(statuses)


def test_tasks_match_the_simulator(synced):
    truth = truth_tasks(synced)
    rows = {
        r[0]: r[1:]
        for r in synced.query("""
        select task_id, name, status, status_type, created_at, updated_at, due_at, start_at, done_at,
               closed_at, parent_task_id, is_archived, time_estimate_ms, list_id
        from clickup.tasks""")
    }
    assert set(rows) == set(truth)
    for task_id, task in truth.items():
        expected = (
            task["name"],
            task["status"]["status"],
            task["status"]["type"],
            at(task["date_created"]),
            at(task["date_updated"]),
            at(task.get("due_date")),
            at(task.get("start_date")),
            at(task.get("date_done")),
            at(task.get("date_closed")),
            task.get("parent"),
            task["archived"],
            None if task.get("time_estimate") is None else round(float(task["time_estimate"])),
            task["list"]["id"],
        )
        assert rows[task_id] == expected, task_id


def test_every_custom_field_type_reads_like_clickup(synced):
    truth = truth_tasks(synced)
    stored = {
        (r[0], r[1]): r[2:]
        for r in synced.query(
            "select task_id, field_id, field_type, value_text from clickup.task_custom_fields"
        )
    }
    expected = {}
    for task_id, task in truth.items():
        for field in task.get("custom_fields") or []:
            if "value" in field and field["value"] not in (None, "", []):
                expected[(task_id, field["id"])] = (field["type"], readable(field))
    assert set(stored) == set(expected)
    mismatched = {key: (stored[key], want) for key, want in expected.items() if stored[key] != want}
    assert not mismatched, list(mismatched.items())[:5]
    types = {kind for kind, _ in expected.values()}
    assert {
        "drop_down",
        "labels",
        "users",
        "date",
        "checkbox",
        "number",
        "currency",
        "location",
        "manual_progress",
        "short_text",
    } <= types


def test_assignees_and_watchers(synced):
    truth = truth_tasks(synced)
    for mart, key in (("task_assignees", "assignees"), ("task_watchers", "watchers")):
        stored = set(synced.query(f"select task_id, user_id from clickup.{mart}"))
        expected = {(task_id, int(user["id"])) for task_id, task in truth.items() for user in task[key]}
        assert stored == expected, mart


def test_tracked_time(synced):
    entries = [e for e in synced.sim.truth.time_entries(synced.workspace_id) if int(e["duration"]) >= 0]
    by_task, by_user = defaultdict(int), defaultdict(int)
    for entry in entries:
        by_user[int(entry["user"]["id"])] += int(entry["duration"])
        if entry.get("task"):
            by_task[entry["task"]["id"]] += int(entry["duration"])
    assert dict(
        synced.query("""
        select task_id, sum(duration_ms)::bigint from clickup.time_entries
        where task_id is not null and duration_ms is not null group by 1""")
    ) == dict(by_task)
    assert dict(
        synced.query("select user_id, sum(tracked_ms)::bigint from clickup.time_tracked_weekly group by 1")
    ) == dict(by_user)
    workload = dict(synced.query("select user_id, tracked_total_ms from clickup.assignee_workload"))
    assert {user: workload[user] for user in by_user} == dict(by_user)


def test_cycle_times(synced):
    truth = truth_tasks(synced)
    in_status = synced.sim.truth.time_in_status(synced.workspace_id)
    expected = {}
    for task_id, task in truth.items():
        done = at(task.get("date_done") or task.get("date_closed"))
        active = [
            at(s["total_time"]["since"])
            for s in in_status[task_id]["status_history"]
            if s.get("type") == "custom"
        ]
        if done and active and min(active) <= done:
            hours = Decimal((done - min(active)).total_seconds()) / 3600
            expected[task_id] = half_up(hours, 4)
    assert len(expected) >= 20
    stored = dict(
        synced.query(
            "select task_id, cycle_time_hours from clickup.task_cycle_times "
            "where cycle_time_hours is not null"
        )
    )
    assert stored == expected
    lead = dict(
        synced.query(
            "select task_id, lead_time_hours from clickup.task_cycle_times where lead_time_hours is not null"
        )
    )
    for task_id in list(expected)[:50]:
        task = truth[task_id]
        done = at(task.get("date_done") or task.get("date_closed"))
        assert lead[task_id] == half_up(Decimal((done - at(task["date_created"])).total_seconds()) / 3600, 4)


def test_reader_role_sees_the_marts_only(synced):
    count = synced.query("select count(*) from clickup.tasks", role=synced.role)[0][0]
    assert count == len(truth_tasks(synced))
    for relation in ("clickup_raw.tasks", "clickup_raw.sync_log", "clickup_staging.stg_clickup__tasks"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            synced.query(f"select 1 from {relation} limit 1", role=synced.role)
