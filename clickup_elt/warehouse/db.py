"""Connections to the warehouse and the raw schema bootstrap."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from typing import Any

import psycopg2
from psycopg2.extensions import connection as Connection
from psycopg2.extensions import cursor as Cursor

from clickup_elt.warehouse.schema import RAW_SCHEMA, raw_schema_ddl


def libpq_url(url: str) -> str:
    """psycopg2 wants plain `postgresql://`; SQLAlchemy-style `+driver` suffixes are dropped."""
    scheme, sep, rest = url.partition("://")
    return scheme.split("+")[0] + sep + rest


def connect(url: str, **options: Any) -> Connection:
    """A psycopg2 connection; `options` are libpq's (e.g. connect_timeout)."""
    return psycopg2.connect(libpq_url(url), application_name="clickup-elt", **options)


@contextlib.contextmanager
def connection(url: str) -> Iterator[Connection]:
    """A connection that commits on success and rolls back on error.

    JIT is off for it: the loads' temporary tables are never analyzed, so the planner guesses millions
    of rows and JIT-compiles statements that then take longer to compile (~0.2 s each) than to run."""
    conn = connect(url)
    try:
        with conn:
            with conn.cursor() as cur:
                cur.execute("set jit = off")
            yield conn
    finally:
        conn.close()


def one_row(cur: Cursor) -> tuple[Any, ...]:
    """The row of a query that always returns exactly one (aggregates, `select 1`)."""
    row = cur.fetchone()
    if row is None:
        raise RuntimeError("the query returned no row")
    return row


_ready: set[str] = set()


def ensure_raw_schema(url: str) -> None:
    """Create the raw schema once per process and database (idempotent DDL under a lock).

    Even with nothing to create, the DDL locks every raw table against writes, so it would wait for
    the loads streaming into them (and hold up the ones after it): it runs only when the schema's
    comment does not name this DDL's version."""
    if url in _ready:
        return
    ddl = raw_schema_ddl()
    version = "clickup-elt raw schema " + hashlib.sha256(ddl.encode()).hexdigest()[:16]
    with connection(url) as conn, conn.cursor() as cur:
        cur.execute("select obj_description(to_regnamespace(%s), 'pg_namespace')", (RAW_SCHEMA,))
        if one_row(cur)[0] != version:
            cur.execute("select pg_advisory_xact_lock(hashtext('clickup_raw ddl'))")
            cur.execute(ddl)
            cur.execute(f"comment on schema {RAW_SCHEMA} is %s", (version,))
    _ready.add(url)
