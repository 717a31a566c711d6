"""Partition replacement in real Postgres: idempotent, de-duplicated, and atomic."""

import datetime as dt

import pytest

from clickup_elt.warehouse import db
from clickup_elt.warehouse.load import RawRow, Scope, replace_rows

D1, D2, D3 = dt.date(2024, 5, 1), dt.date(2024, 5, 2), dt.date(2024, 5, 3)


def rows_of(url, sql="select id, partition_date, data->>'v' from clickup_raw.tasks order by 1, 2"):
    with db.connection(url) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def task(id_, day, v, text="plain"):
    return RawRow(id=id_, data={"id": id_, "v": v, "text": text}, partition_date=day)


def test_replacing_partitions_is_idempotent_and_keeps_other_partitions(database_url):
    db.ensure_raw_schema(database_url)
    batch = [task("a", D1, "1"), task("b", D2, "1")]
    for _ in range(2):
        with db.connection(database_url) as conn:
            assert replace_rows(conn, "tasks", Scope("w1", [D1, D2]), iter(batch), "run1").rows == 2
    with db.connection(database_url) as conn:
        replace_rows(conn, "tasks", Scope("w1", [D2]), iter([task("c", D2, "2")]), "run2")
    assert rows_of(database_url) == [("a", D1, "1"), ("c", D2, "2")]


def test_a_record_seen_twice_keeps_the_last_version(database_url):
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        loaded = replace_rows(
            conn,
            "tasks",
            Scope("w1", [D1, D2]),
            iter([task("a", D1, "old"), task("a", D2, "new"), task("z", D3, "x")]),
            "r",
        )
    assert (loaded.rows, loaded.received, loaded.duplicates, loaded.outside) == (1, 3, 1, 1)
    assert rows_of(database_url) == [("a", D2, "new")]


def test_a_record_whose_last_copy_is_of_another_day_is_not_written(database_url):
    """Written as it streams, a record's first copy is taken back when a later one moves it out."""
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        replace_rows(conn, "tasks", Scope("w1", [D1]), iter([task("a", D1, "stored")]), "r1")
        loaded = replace_rows(
            conn,
            "tasks",
            Scope("w1", [D1, D2]),
            iter([task("a", D1, "first"), task("b", D3, "x"), task("a", D3, "moved"), task("b", D2, "y")]),
            "r2",
        )
    assert (loaded.rows, loaded.received, loaded.duplicates, loaded.outside) == (1, 4, 2, 1)
    assert rows_of(database_url) == [("b", D2, "y")]


def test_loads_in_one_transaction_replace_each_others_rows(database_url):
    """New rows are told from stored ones by the load that wrote them, not by the transaction or run."""
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        replace_rows(conn, "tasks", Scope("w1", [D1]), iter([task("a", D1, "1"), task("b", D1, "1")]), "r")
        replace_rows(conn, "tasks", Scope("w1", [D1]), iter([task("a", D1, "2")]), "r")
    assert rows_of(database_url) == [("a", D1, "2")]


def test_the_schema_bootstrap_never_waits_for_a_load_in_progress(database_url, monkeypatch):
    """A load holds its raw table from its first row to its commit; a run starting meanwhile must not
    queue behind it (nor make the loads after it queue) to re-run DDL that has nothing to create."""
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn, conn.cursor() as cur:
        cur.execute(
            "insert into clickup_raw.tasks (workspace_id, id, data, run_id) values ('w1', 'a', '{}', 'r')"
        )
        monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=2000")
        monkeypatch.setattr(db, "_ready", set())  # as in a new process
        db.ensure_raw_schema(database_url)
        conn.rollback()


def test_json_with_escapes_round_trips_through_copy(database_url):
    db.ensure_raw_schema(database_url)
    text = 'tab\there "quoted" back\\slash\nnewline \u00e9\u4e2d'
    with db.connection(database_url) as conn:
        replace_rows(conn, "tasks", Scope("w1", [D1]), iter([task("a", D1, "1", text)]), "r")
    assert rows_of(database_url, "select data->>'text' from clickup_raw.tasks") == [(text,)]


def test_a_failure_while_streaming_leaves_the_previous_rows(database_url):
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        replace_rows(conn, "tasks", Scope("w1", [D1]), iter([task("a", D1, "1")]), "r1")

    def broken():
        yield task("b", D1, "2")
        raise ConnectionError("API went away mid-page")

    with pytest.raises(ConnectionError):
        with db.connection(database_url) as conn:
            replace_rows(conn, "tasks", Scope("w1", [D1]), broken(), "r2")
    assert rows_of(database_url) == [("a", D1, "1")]


def test_workspace_scope_replaces_only_that_workspace(database_url):
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        replace_rows(conn, "spaces", Scope("w1"), iter([RawRow("s1", {"id": "s1"})]), "r")
        replace_rows(conn, "spaces", Scope("w2"), iter([RawRow("s2", {"id": "s2"})]), "r")
        replace_rows(conn, "spaces", Scope("w1"), iter([RawRow("s3", {"id": "s3"})]), "r")
    assert rows_of(database_url, "select workspace_id, id from clickup_raw.spaces order by 1") == [
        ("w1", "s3"),
        ("w2", "s2"),
    ]


def comment(id_, parent_type, parent_id, day, text="hi"):
    return RawRow(
        id=id_,
        data={"id": id_, "comment_text": text},
        parent_type=parent_type,
        parent_id=parent_id,
        partition_date=day,
    )


def test_task_scope_replaces_every_copy_of_those_tasks_comments_and_replies(database_url):
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        # t1's comments were loaded with its old partition D1; t2's stay untouched
        replace_rows(
            conn,
            "comments",
            Scope("w1", [D1], task_ids=["t1", "t2"]),
            iter(
                [
                    comment("c1", "task", "t1", D1),
                    comment("r1", "comment", "c1", D1),
                    comment("c2", "task", "t2", D1),
                ]
            ),
            "r1",
        )
        # t1 changed (now in D2): c1 and its reply were deleted in ClickUp, c3 is new
        replace_rows(
            conn,
            "comments",
            Scope("w1", [D2], task_ids=["t1"]),
            iter([comment("c3", "task", "t1", D2)]),
            "r2",
        )
    assert rows_of(
        database_url, "select id, parent_id, partition_date from clickup_raw.comments order by id"
    ) == [("c2", "t2", D1), ("c3", "t1", D2)]


def test_kept_parents_survive_a_partition_replace(database_url):
    db.ensure_raw_schema(database_url)

    def in_list(id_, lst):
        return RawRow(id=id_, data={"id": id_}, parent_type="list", parent_id=lst, partition_date=D1)

    with db.connection(database_url) as conn:
        replace_rows(conn, "tasks", Scope("w1", [D1]), iter([in_list("a", "L1"), in_list("b", "L2")]), "r1")
        # a run that did not read archived list L2 must not drop its tasks
        replace_rows(conn, "tasks", Scope("w1", [D1], keep_parents=["L2"]), iter([]), "r2")
    assert rows_of(database_url, "select id from clickup_raw.tasks") == [("b",)]


def test_hierarchy_objects_that_vanish_are_recorded_and_forgotten_when_back(database_url):
    db.ensure_raw_schema(database_url)

    def lst(id_):
        return RawRow(id=id_, data={"id": id_, "name": f"List {id_}"})

    deleted = "select id, reason, evidence->>'name' from clickup_raw.deletions where object_type = 'list'"
    with db.connection(database_url) as conn:
        replace_rows(conn, "lists", Scope("w1"), iter([lst("1"), lst("2")]), "r1")
        replace_rows(conn, "lists", Scope("w1"), iter([lst("1")]), "r2")
    assert rows_of(database_url, deleted) == [("2", "missing_from_api", "List 2")]
    with db.connection(database_url) as conn:
        replace_rows(conn, "lists", Scope("w1"), iter([lst("1"), lst("2")]), "r3")
    assert rows_of(database_url, deleted) == []


def test_upsert_replaces_only_the_records_that_arrive(database_url):
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        replace_rows(
            conn, "tasks", Scope("w1", [D1, D2]), iter([task("a", D1, "1"), task("b", D1, "1")]), "r1"
        )
        replace_rows(conn, "tasks", Scope("w1", upsert=True), iter([task("a", D2, "2")]), "r2")
    assert rows_of(database_url) == [("a", D2, "2"), ("b", D1, "1")]


def test_two_loads_of_one_partition_at_once_never_both_insert(database_url):
    """Two runs loading the same workspace at the same moment (two tokens, a CLI sync beside a
    schedule): each replaces the partition in turn, so every id is stored once."""
    import threading

    db.ensure_raw_schema(database_url)
    both_copied = threading.Barrier(2, timeout=30)

    def rows(version):
        yield task("a", D1, version)
        yield task("b", D1, version)
        both_copied.wait()  # both COPYs are done before either load replaces the partition

    def load(version):
        with db.connection(database_url) as conn:
            replace_rows(conn, "tasks", Scope("w1", [D1]), rows(version), f"run-{version}")

    threads = [threading.Thread(target=load, args=(v,)) for v in ("1", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stored = rows_of(database_url)
    assert sorted(i for i, _, _ in stored) == ["a", "b"]
    assert len({v for _, _, v in stored}) == 1  # one load's rows, whole


def test_a_record_arriving_again_replaces_its_copies_in_other_partitions(database_url):
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        replace_rows(
            conn,
            "tasks",
            Scope("w1", [D1]),
            iter([RawRow("a", {"id": "a", "v": "old", "date_updated": "1714521600000"}, partition_date=D1)]),
            "r1",
        )
        replace_rows(
            conn,
            "tasks",
            Scope("w1", [D3]),
            iter([RawRow("a", {"id": "a", "v": "new", "date_updated": "1714694400000"}, partition_date=D3)]),
            "r2",
        )
        # an older copy arriving late (a long backfill) does not replace the newer one
        replace_rows(
            conn,
            "tasks",
            Scope("w1", [D2]),
            iter([RawRow("a", {"id": "a", "v": "mid", "date_updated": "1714608000000"}, partition_date=D2)]),
            "r3",
        )
    assert rows_of(database_url) == [("a", D2, "mid"), ("a", D3, "new")]


def test_warehouse_connections_never_jit_compile(database_url):
    """Staging tables are never analyzed: with JIT on, every load statement paid ~0.2 s to compile."""
    with db.connection(database_url) as conn, conn.cursor() as cur:
        cur.execute("show jit")
        assert cur.fetchone() == ("off",)
