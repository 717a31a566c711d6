"""Shared fixtures: a real Postgres (TEST_DATABASE_URL or the embedded server), fresh databases per
test, the dbt manifest, and the ClickUp simulator served over HTTP."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

# Few daily partitions keep Dagster's per-partition bookkeeping small; older records land in the first.
os.environ.setdefault("CLICKUP_START_DATE",
                      (dt.date.today() - dt.timedelta(days=40)).isoformat())
os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "1")

from clickup_elt.paths import DBT_PROJECT_DIR  # noqa: E402
from clickup_elt.warehouse.db import libpq_url  # noqa: E402


def _server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return libpq_url(url)
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    return EmbeddedPostgres().ensure_running().url("postgres")


def _with_database(url: str, name: str) -> str:
    head, _, _ = url.rpartition("/")
    return f"{head}/{name}"


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    return _server_url()


@pytest.fixture
def make_database(pg_server_url):
    """Create fresh databases on the test server; dropped after the test."""
    created: list[str] = []

    def make() -> str:
        name = f"clickup_test_{uuid.uuid4().hex[:12]}"
        conn = psycopg2.connect(pg_server_url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'create database "{name}"')
        conn.close()
        created.append(name)
        return _with_database(pg_server_url, name)

    yield make
    conn = psycopg2.connect(pg_server_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        for name in created:
            cur.execute(f'drop database if exists "{name}" with (force)')
    conn.close()


@pytest.fixture
def database_url(make_database) -> str:
    return make_database()


def pytest_configure(config):
    """The definitions import the dbt manifest: parse once, before any xdist worker starts, so no
    worker reads a manifest another one is writing."""
    if hasattr(config, "workerinput"):
        return
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt), "--quiet", "parse", "--project-dir", str(DBT_PROJECT_DIR),
                    "--profiles-dir", str(DBT_PROJECT_DIR)], check=True)
