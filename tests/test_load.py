"""Partition replacement in real Postgres: idempotent, de-duplicated, and atomic."""

import datetime as dt

import pytest

from clickup_elt.warehouse import db
from clickup_elt.warehouse.load import RawRow, Scope, replace_rows

D1, D2 = dt.date(2024, 5, 1), dt.date(2024, 5, 2)


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
            assert replace_rows(conn, "tasks", Scope("w1", [D1, D2]), iter(batch), "run1") == 2
    with db.connection(database_url) as conn:
        replace_rows(conn, "tasks", Scope("w1", [D2]), iter([task("c", D2, "2")]), "run2")
    assert rows_of(database_url) == [("a", D1, "1"), ("c", D2, "2")]


def test_a_record_seen_twice_keeps_the_last_version(database_url):
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        n = replace_rows(conn, "tasks", Scope("w1", [D1, D2]),
                         iter([task("a", D1, "old"), task("a", D2, "new")]), "r")
    assert n == 1
    assert rows_of(database_url) == [("a", D2, "new")]


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
        ("w1", "s3"), ("w2", "s2")]
