"""Shared fixtures: a real Postgres (TEST_DATABASE_URL or the embedded server), fresh databases per
test, the dbt manifest, and the ClickUp simulator served over HTTP."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pg import scratch_database

# A short history keeps full syncs quick; older records are filed under the first day.
os.environ.setdefault("CLICKUP_START_DATE", (dt.date.today() - dt.timedelta(days=40)).isoformat())
os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "1")
# The suite's embedded server holds scratch databases only, so it skips fsync (much faster); a user's
# embedded server keeps it on.
os.environ.setdefault("CLICKUP_ELT_EMBEDDED_FSYNC", "off")

from clickup_elt.paths import DBT_PROJECT_DIR
from clickup_elt.warehouse.db import libpq_url


def _server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return libpq_url(url)
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    return EmbeddedPostgres().ensure_running().url("postgres")


CLI = Path(sys.executable).with_name("clickup-elt")


def _run_cli(
    *args: str, home: Path, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 90
) -> subprocess.CompletedProcess:
    """`clickup-elt ARGS` as a user would run it: a clean environment whose DAGSTER_HOME and
    CLICKUP_ELT_STATE_DIR are under `home`, plus `env`. Its process group is killed if it outlives
    `timeout`, so a command that should have stopped early cannot leave servers behind."""
    clean = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(home)),
        "LANG": "C.UTF-8",
        "DAGSTER_TELEMETRY_DISABLED": "1",
        "DAGSTER_HOME": str(home / "dagster_home"),
        "CLICKUP_ELT_STATE_DIR": str(home / "state"),
    }
    proc = subprocess.Popen(
        [str(CLI), *args],
        cwd=cwd or home,
        env={**clean, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"`clickup-elt {' '.join(args)}` still ran after {timeout} s:\n{err[-2000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture(autouse=True)
def _restore_environment():
    """Commands run in-process export what they derive (DAGSTER_PG_*, CLICKUP_DBT_*, DAGSTER_HOME):
    put the environment back after each test so the next one never reads a dropped database's name."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def run_cli():
    """Runs the installed `clickup-elt` in a clean environment (see `_run_cli`)."""
    return _run_cli


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    return _server_url()


@pytest.fixture
def make_database(pg_server_url):
    """Create fresh databases on the test server; dropped after the test."""
    with contextlib.ExitStack() as stack:
        yield lambda: stack.enter_context(scratch_database(pg_server_url))


@pytest.fixture
def database_url(make_database) -> str:
    return make_database()


TIERS = {"e2e": "e2e", "faults": "e2e", "scale": "e2e", "dbt": "dbt", "ui": "ui"}  # folder -> marker


def pytest_collection_modifyitems(items):
    """Tests take the marker of their folder's tier, so `make test-fast` can leave the slow ones out."""
    for item in items:
        tier = TIERS.get(Path(str(item.fspath)).parent.name)
        if tier:
            item.add_marker(tier)


def pytest_configure(config):
    """The definitions import the dbt manifest: parse once, before any xdist worker starts, so no
    worker reads a manifest another one is writing."""
    if hasattr(config, "workerinput"):
        return
    from clickup_elt.dbt_cli import parse

    parse(DBT_PROJECT_DIR)


@pytest.fixture
def serve_sim():
    """Returns a function that serves a simulator over HTTP on a free port and gives (simulator, API URL),
    for tests of the pipeline's client and extractors; every server stops after the test."""
    from clickup_simulator import Simulator, SimulatorConfig

    servers = []

    def start(**config):
        sim = Simulator(SimulatorConfig(**{"rate_limit": 0, **config}))
        server = sim.serve(host="127.0.0.1", port=0)
        servers.append(server)
        return sim, server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sim_env(monkeypatch, database_url, tmp_path, serve_sim):
    """Returns a function that serves a simulator and points CLICKUP_*/DATABASE_URL/DAGSTER_HOME at it."""

    def start(**config):
        sim, url = serve_sim(**config)
        monkeypatch.setenv("CLICKUP_API_URL", url)
        monkeypatch.setenv("CLICKUP_API_TOKEN", sim.config.token)
        monkeypatch.delenv("CLICKUP_WORKSPACE_IDS", raising=False)
        monkeypatch.setenv("DATABASE_URL", database_url)
        monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
        for name in (
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
        ):
            monkeypatch.delenv(name, raising=False)
        return sim

    return start


@pytest.fixture
def fast_retries(monkeypatch):
    """Backoff of milliseconds instead of seconds: the retry logic is the same, the test stays short."""
    from clickup_elt.clickup import client as clickup_client

    monkeypatch.setattr(clickup_client, "BACKOFF_BASE_S", 0.005)
