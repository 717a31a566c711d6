"""Reading the test warehouse the way a user's SQL client would, and making scratch databases."""

import contextlib
import uuid

import psycopg2


def query(url: str, sql: str, params=None, role: str | None = None) -> list[tuple]:
    """Rows of one statement on a connection of its own, optionally as `role` (set role: what a BI
    tool in that role may see)."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            if role:
                cur.execute(f'set role "{role}"')
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()


def admin(url: str, statement: str) -> None:
    """One statement outside a transaction (create/drop database, roles)."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def with_database(url: str, name: str) -> str:
    return f"{url.rpartition('/')[0]}/{name}"


@contextlib.contextmanager
def scratch_database(server_url: str, prefix: str = "clickup_test"):
    """A fresh database on the test server (its URL), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin(server_url, f'create database "{name}"')
    try:
        yield with_database(server_url, name)
    finally:
        admin(server_url, f'drop database if exists "{name}" with (force)')


def drop_role(url: str, role: str) -> None:
    """Drop `role` (cluster-wide) and what it was granted in the database of `url`."""
    admin(
        url,
        f"do $$ begin if exists (select from pg_roles where rolname = '{role}') then "
        f'drop owned by "{role}"; end if; end $$',
    )
    admin(url, f'drop role if exists "{role}"')
