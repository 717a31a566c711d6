"""The raw-table asset checks and the sync-health check, on crafted rows in a real Postgres: each must
pass on good data, fail on bad data, and say which workspace, entity and days to fix, and how."""

import datetime as dt
import re

import dagster as dg
import pytest

from clickup_elt.defs.ingestion.partitions import workspaces_partitions
from clickup_elt.defs.ingestion.raw_checks import raw_check_results
from clickup_elt.defs.ingestion.specs import raw_key
from clickup_elt.defs.ingestion.task_assets import tasks as tasks_asset
from clickup_elt.defs.monitoring import sync_health as health
from clickup_elt.defs.resources import WarehouseResource
from clickup_elt.settings import ConfigurationError
from clickup_elt.warehouse import db, synclog
from clickup_elt.warehouse.load import RawRow, Scope, replace_rows
from clickup_elt.warehouse.schema import RAW_ENTITIES
from clickup_elt.warehouse.shapes import Shapes

WS = "9001"
DAY = dt.date(2025, 3, 4)
OTHER_DAY = dt.date(2025, 3, 5)


@pytest.fixture
def conn(database_url):
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as connection:
        yield connection


def task(task_id, list_id="L1", day=DAY, **extra):
    record = {
        "id": task_id,
        "name": f"Task {task_id}",
        "list": {"id": list_id},
        "date_updated": str(int(dt.datetime.combine(day, dt.time(9)).timestamp() * 1000)),
        "custom_fields": [{"id": "cf1", "type": "drop_down"}],
        **extra,
    }
    return RawRow(task_id, record, "list", list_id, day)


def load(conn, entity, rows, run_id, days=(DAY,), ws=WS):
    return replace_rows(conn, entity, Scope(ws, list(days) if days else None), rows, run_id)


def evaluate(conn, entity, run_id, loaded, span=None):
    return {
        r.check_name: r
        for r in raw_check_results(conn, entity, raw_key(entity), run_id, {WS: loaded}, {WS: span})
    }


def lists_loaded(conn, *list_ids, ws=WS):
    load(
        conn,
        "lists",
        [RawRow(i, {"id": i, "name": f"List {i}"}, "space", "S1") for i in list_ids],
        "hierarchy",
        days=None,
        ws=ws,
    )


def test_a_clean_load_passes_every_check(conn):
    lists_loaded(conn, "L1", "L2")
    loaded = load(conn, "tasks", [task("t1"), task("t2", "L2"), task("t2", "L2")], "run1")
    results = evaluate(conn, "tasks", "run1", loaded)
    assert set(results) == {"unique_ids", "complete", "schema_drift", "lists_known"}
    assert all(r.passed for r in results.values()), {n: r.description for n, r in results.items()}
    assert results["complete"].metadata["rows_loaded"].value == 2
    assert results["complete"].metadata["repeats"].value == 1  # a page overlap, not a duplicate


def test_duplicate_ids_fail_the_blocking_unique_check(conn):
    loaded = load(conn, "tasks", [task("t1"), task("t2")], "run1")
    with conn.cursor() as cur:  # a stray writer added a second copy of t2 to the same partition
        cur.execute(
            "insert into clickup_raw.tasks (workspace_id, id, partition_date, data, run_id) "
            "select workspace_id, id, partition_date, data, 'stray' from clickup_raw.tasks "
            "where id = 't2'"
        )
    unique = evaluate(conn, "tasks", "run1", loaded)["unique_ids"]
    assert not unique.passed
    assert f"workspace {WS}, day {DAY}: id t2 ×2" in unique.description
    assert "clickup_raw.tasks" in unique.description
    assert (
        "re-materialize clickup/tasks for those days (first_day, last_day in its run config)"
        in unique.description
    )
    # blocking: with a failed unique_ids, Dagster does not run what reads clickup/tasks
    specs = {spec.name: spec for spec in tasks_asset.check_specs}
    assert specs["unique_ids"].blocking and unique.severity == dg.AssetCheckSeverity.ERROR


def test_duplicates_in_partitions_a_run_did_not_write_are_not_its_failure(conn):
    load(conn, "tasks", [task("t9", day=OTHER_DAY)], "old", days=[OTHER_DAY])
    with conn.cursor() as cur:
        cur.execute("insert into clickup_raw.tasks select * from clickup_raw.tasks where id = 't9'")
    loaded = load(conn, "tasks", [task("t1")], "run1")
    assert evaluate(conn, "tasks", "run1", loaded)["unique_ids"].passed
    assert not evaluate(conn, "tasks", "old", loaded)["unique_ids"].passed


def test_rows_replaced_by_another_run_fail_complete(conn):
    first = load(conn, "tasks", [task("t1"), task("t2"), task("t3")], "run1")
    second = load(conn, "tasks", [task("t1"), task("t2")], "run2")  # an overlapping run won
    complete = evaluate(conn, "tasks", "run1", first)["complete"]
    assert not complete.passed
    assert f"workspace {WS}: 3 rows loaded but clickup_raw.tasks holds 0 of this run" in complete.description
    assert f"re-materialize clickup/tasks for workspace {WS}" in complete.description
    assert complete.metadata["records_paged"].value == 3
    assert evaluate(conn, "tasks", "run2", second)["complete"].passed


def test_tasks_in_lists_missing_from_the_hierarchy_warn(conn):
    lists_loaded(conn, "L1")
    lists_loaded(conn, "L9", ws="other")  # the same list id elsewhere does not count
    loaded = load(conn, "tasks", [task("t1"), task("t2", "L9"), task("t3", "L9")], "run1")
    known = evaluate(conn, "tasks", "run1", loaded, span=f"{DAY}..{DAY}")["lists_known"]
    assert not known.passed and known.severity == dg.AssetCheckSeverity.WARN
    assert (
        f"workspace {WS}, days {DAY}..{DAY}: 2 tasks in lists missing from clickup/lists (e.g. L9): "
        f"the hierarchy is stale, materialize clickup/lists for workspace {WS}"
    ) in known.description
    assert known.metadata["tasks_in_unknown_lists"].value == 2

    lists_loaded(conn, "L1", "L9")  # after the hierarchy caught up
    assert evaluate(conn, "tasks", "run1", loaded)["lists_known"].passed


def test_new_keys_and_custom_field_types_warn_once(conn):
    baseline = load(conn, "tasks", [task("t1")], "run1")
    assert evaluate(conn, "tasks", "run1", baseline)["schema_drift"].passed  # first run: baseline

    changed = task("t2", sprint={"id": 4}, custom_fields=[{"id": "cf2", "type": "rollup"}])
    loaded = load(conn, "tasks", [task("t1"), changed], "run2")
    drift = evaluate(conn, "tasks", "run2", loaded)["schema_drift"]
    assert not drift.passed and drift.severity == dg.AssetCheckSeverity.WARN
    assert drift.description.startswith("clickup/tasks: ")
    assert "new top-level keys: sprint" in drift.description
    assert "new custom field types: rollup" in drift.description
    assert "stg_clickup__tasks may need to read them" in drift.description
    assert "drop_down" not in drift.description and "name" not in drift.metadata["key"].value

    again = load(conn, "tasks", [changed], "run3")  # remembered: the next run is quiet
    assert evaluate(conn, "tasks", "run3", again)["schema_drift"].passed


def test_a_new_custom_field_type_warns_on_custom_fields(conn):
    def field(i, kind):
        return RawRow(i, {"id": i, "name": i, "type": kind}, "list", "L1")

    first = load(conn, "custom_fields", [field("f1", "text")], "run1", days=None)
    assert evaluate(conn, "custom_fields", "run1", first)["schema_drift"].passed
    second = load(conn, "custom_fields", [field("f1", "text"), field("f2", "formula")], "run2", days=None)
    drift = evaluate(conn, "custom_fields", "run2", second)["schema_drift"]
    assert not drift.passed
    assert "clickup/custom_fields: new custom field types: formula" in drift.description


def test_shapes_are_those_of_the_records_streamed_as_postgres_reads_them():
    """Gathered while the rows stream into COPY, they must equal what `jsonb_object_keys` and `->>`
    would read from the stored records: odd values included, nulls and non-objects left out."""
    seen = Shapes("tasks")
    for record in (
        {"id": "t1", "custom_fields": [{"type": "drop_down"}, {"type": None}, "not a field", {"type": 3}]},
        {"id": "t2", "custom_fields": {"type": "not a list"}, "sprint": None},
        ["not", "a", "record"],
    ):
        seen.add(record)
    assert seen.found() == {
        "key": frozenset({"id", "custom_fields", "sprint"}),
        "custom_field_type": frozenset({"drop_down", "3"}),
    }


# -- sync health -------------------------------------------------------------------------------------

NOW = dt.datetime.now(dt.timezone.utc)


def synced(conn, ws, entity, hours_ago, outcome="success", error=None):
    when = NOW - dt.timedelta(hours=hours_ago)
    synclog.append(
        conn,
        synclog.SyncRecord(
            ws,
            entity,
            None,
            None,
            f"run-{ws}-{entity}",
            when - dt.timedelta(minutes=1),
            when,
            10,
            outcome=outcome,
            error=error,
        ),
    )


def sync_health(database_url, workspaces):
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(workspaces_partitions.name, workspaces)
    context = dg.build_asset_check_context(
        instance=instance, resources={"warehouse": WarehouseResource(database_url=database_url)}
    )
    return health.sync_health(context)


@pytest.fixture
def healthy(conn, database_url, monkeypatch):
    """Workspaces A and B with every entity synced an hour ago (committed: the check reads them)."""
    monkeypatch.delenv("CLICKUP_SYNC_MAX_AGE_HOURS", raising=False)
    for ws in ("A", "B"):
        for entity in RAW_ENTITIES:
            synced(conn, ws, entity, 1)
    conn.commit()
    return conn


def test_sync_health_passes_when_every_workspace_is_fresh(healthy, database_url):
    result = sync_health(database_url, ["A", "B"])
    assert result.passed, result.description
    assert result.metadata["workspaces"].value == 2


def test_a_workspace_not_synced_for_hours_fails_sync_health(healthy, database_url, monkeypatch):
    with healthy.cursor() as cur:
        cur.execute("delete from clickup_raw.sync_log where workspace_id = 'B' and entity = 'tasks'")
    synced(healthy, "B", "tasks", 5)
    synced(healthy, "B", "tasks", 0.5, outcome="failure", error="ClickUpUnavailableError: 503")
    healthy.commit()

    result = sync_health(database_url, ["A", "B", "C"])
    assert not result.passed
    problems = result.description.split("; ")
    stale = next(p for p in problems if p.startswith("workspace B: tasks"))
    assert re.search(r"tasks last synced 5\.\d h ago, more than 3 h", stale)  # a slow run adds minutes
    assert "(last error: ClickUpUnavailableError: 503)" in stale
    assert stale.endswith("run `clickup-elt sync --full --workspace B` or check its failed runs")
    assert "workspace C: workspaces never synced successfully" in result.description
    assert not any(p.startswith("workspace A") for p in problems)
    assert result.metadata["problems"].value == 1 + len(RAW_ENTITIES)

    monkeypatch.setenv("CLICKUP_SYNC_MAX_AGE_HOURS", "tasks=6")  # a laxer threshold for tasks
    assert sync_health(database_url, ["A", "B"]).passed


def test_a_stalled_deletion_sweep_fails_sync_health_once_it_has_run(healthy, database_url):
    assert sync_health(database_url, ["A", "B"]).passed  # never swept: not required
    synced(healthy, "A", "deletions", 24 * 9)
    synced(healthy, "B", "deletions", 24 * 2)
    healthy.commit()
    result = sync_health(database_url, ["A", "B"])
    assert not result.passed
    assert re.match(r"workspace A: deletions last synced 216\.\d h ago, more than 192 h", result.description)


def test_a_malformed_threshold_names_the_variable(monkeypatch):
    monkeypatch.setenv("CLICKUP_SYNC_MAX_AGE_HOURS", "tasks:3")
    with pytest.raises(ConfigurationError, match="CLICKUP_SYNC_MAX_AGE_HOURS must look like"):
        health.max_age_hours()
