"""Syncs that die without cleaning up: `kill -9` of `clickup-elt sync`, the whole `clickup-elt dev`
process group gone at once (a power loss), the warehouse restarting mid-load, and a full disk under
the COPY of a load.

After each, the next sync must start within minutes (a dead run neither stays STARTED nor keeps its
slot of the `clickup_api/<token>` pool), and the raw tables must hold every task, comment and time
entry of the simulator exactly once.
"""

from __future__ import annotations

import collections
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
import requests
from dagster_graphql import DagsterGraphQLClient

from clickup_elt import liveness, remote, settings, triggers
from clickup_elt.defs.ingestion.token_pool import POOL_PREFIX
from clickup_elt.sync import discover_workspaces
from clickup_elt.warehouse.embedded import EmbeddedPostgres
from pg import admin, query, scratch_database

pytestmark = pytest.mark.e2e

CLI = Path(sys.executable).with_name("clickup-elt")
RECOVERY_S = 300  # a user waits at most this long for the next sync after a crash
COMMENT_PAGES = "GET /task/{task_id}/comment"
DONE = (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


@dataclass
class Setup:
    sim: object
    url: str
    env: dict[str, str]
    instance: dg.DagsterInstance
    folder: Path


@pytest.fixture
def syncing(sim_env, monkeypatch, tmp_path):
    """Returns a function that serves a simulator, points a warehouse (the scratch database, or
    `url`) at it and opens the Dagster instance the CLI and `clickup-elt dev` will use."""
    instances = []

    def start(url: str | None = None, **config) -> Setup:
        sim = sim_env(**{"seed": 41, "tasks": 150, **config})
        if url:
            monkeypatch.setenv("DATABASE_URL", url)
        url = os.environ["DATABASE_URL"]
        for name, value in {**settings.dbt_env(url), **settings.dagster_storage_env(url, False)}.items():
            monkeypatch.setenv(name, value)
        settings.ensure_dagster_home()
        instance = dg.DagsterInstance.get()
        instances.append(instance)
        # a run stuck behind a dead one fails within the test's patience, naming the holder
        env = {**os.environ, "DAGSTER_TELEMETRY_DISABLED": "1", "CLICKUP_POOL_WAIT_MINUTES": "3"}
        return Setup(sim, url, env, instance, tmp_path)

    yield start
    for instance in instances:
        instance.dispose()


# -- processes -------------------------------------------------------------------------------------


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL a process group we started (no cleanup, as a crash would), and reap its leader.
    A leader already reaped ended on its own (and took its group down): its id may name another."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@contextlib.contextmanager
def started(setup: Setup, *args: str, name: str, env: dict[str, str] | None = None):
    """`clickup-elt ARGS` in a process group of its own, output to `<name>.log`; killed on the way out."""
    log = setup.folder / f"{name}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(CLI), *args],
            cwd=setup.folder,
            env=env or setup.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    proc.log = log
    try:
        yield proc
    finally:
        kill_group(proc)


def output(proc) -> str:
    return proc.log.read_text()


def sync(setup: Setup, name: str, timeout: float = RECOVERY_S, **env: str) -> tuple[int, str]:
    """A full raw sync by the CLI (with `env` on top of the setup's): (exit code, output). It must
    end within `timeout`."""
    with started(setup, "sync", "--full", "--skip-dbt", name=name, env={**setup.env, **env}) as proc:
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"`clickup-elt sync` ({name}) still ran after {timeout} s:\n{output(proc)[-3000:]}")
    return code, output(proc)


def wait_for(what: str, check, timeout: float, proc: subprocess.Popen | None = None, every: float = 0.3):
    """Poll `check` until it returns something true; fail naming `what` (and the process's output
    when it ended meanwhile)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"waiting for {what}, the process ended ({proc.returncode}):\n{output(proc)[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(
                f"{what}: not within {timeout:.0f} s"
                + (f"\n{output(proc)[-3000:]}" if proc is not None else "")
            )
        time.sleep(every)


# -- what the instance and the warehouse hold ------------------------------------------------------


def pool_holders(instance: dg.DagsterInstance) -> set[str]:
    """Runs holding a slot of any ClickUp token pool."""
    storage = instance.event_log_storage
    return {
        slot.run_id
        for pool in storage.get_concurrency_keys()
        if pool.startswith(POOL_PREFIX)
        for slot in storage.get_concurrency_info(pool).claimed_slots
    }


def status(instance: dg.DagsterInstance, run_id: str) -> dg.DagsterRunStatus:
    return instance.get_run_by_id(run_id).status


def live_syncs(instance: dg.DagsterInstance) -> list[str]:
    """Sync runs still STARTED (or STARTING)."""
    return [
        run.run_id
        for run in instance.get_runs(filters=dg.RunsFilter(statuses=list(liveness.LIVE_STATUSES)))
        if triggers.WORKSPACES_TAG in run.tags
    ]


def holding_mid_load(setup: Setup, run_id: str | None = None, comments: int = 0):
    """The run holding the token pool while loading (`run_id`, or any), once the simulator has
    answered `comments` comment pages; else None."""
    if comments and setup.sim.stats.requests(endpoint=COMMENT_PAGES) < comments:
        return None
    holders = pool_holders(setup.instance)
    held = holders & {run_id} if run_id else holders
    if len(held) == 1 and status(setup.instance, next(iter(held))) == dg.DagsterRunStatus.STARTED:
        return next(iter(held))
    return None


def assert_left_behind(setup: Setup, run_id: str) -> None:
    """What a crash leaves: the run still STARTED, holding its token's slot unless the kill fell
    between two of its steps (one released the slot, the next had not claimed it yet)."""
    assert status(setup.instance, run_id) == dg.DagsterRunStatus.STARTED
    assert pool_holders(setup.instance) <= {run_id}


def assert_released(setup: Setup, run_id: str) -> None:
    assert status(setup.instance, run_id) == dg.DagsterRunStatus.FAILURE
    assert pool_holders(setup.instance) == set(), "a token pool slot is still held"


def assert_complete(sim, url: str) -> None:
    """Every task, comment and time entry of the simulator stored exactly once per workspace."""
    for ws in sim.truth.workspace_ids():
        expected = {
            "tasks": sim.truth.task_ids(ws),
            "comments": [c["id"] for _, _, c in sim.truth.all_comments(ws)],
            "time_entries": [e["id"] for e in sim.truth.time_entries(ws)],
        }
        for table, ids in expected.items():
            stored = collections.Counter(
                r[0] for r in query(url, f"select id from clickup_raw.{table} where workspace_id = %s", (ws,))
            )
            want = collections.Counter(ids)
            twice = sorted(i for i, n in stored.items() if n > 1)
            assert stored == want, (
                f"clickup_raw.{table} of workspace {ws}: {len(want - stored)} missing, "
                f"{len(set(stored) - set(want))} unknown, stored twice: {twice[:5]}"
            )


# -- 1. kill -9 of the CLI -------------------------------------------------------------------------


def test_a_sync_killed_mid_load_does_not_hold_up_the_next_one(syncing):
    setup = syncing()
    setup.sim.faults.update(latency_ms=100)  # the comment load then takes ~20 s
    with started(setup, "sync", "--full", "--skip-dbt", name="killed") as proc:
        killed = wait_for(
            "a run loading comments while holding its token's pool",
            lambda: holding_mid_load(setup, comments=20),
            timeout=120,
            proc=proc,
        )
        # hung first (alive, going nowhere): the next sync cannot tell, so it gives up after one
        # deadline, naming the run and how to release it; its other steps do not wait again
        os.killpg(proc.pid, signal.SIGSTOP)
        code, out = sync(setup, "while-hung", CLICKUP_POOL_WAIT_MINUTES="0.1")
        assert code != 0
        assert f"`clickup-elt release {killed}`" in out, out[-3000:]
        assert out.count("waiting for a slot of pool") == 1, out[-3000:]
        kill_group(proc)
    assert_left_behind(setup, killed)

    setup.sim.faults.update(latency_ms=0)
    code, out = sync(setup, "after-kill")  # within RECOVERY_S
    assert code == 0, out[-3000:]
    assert f"released run {killed}" in out  # the next sync found the dead holder itself
    assert_released(setup, killed)
    assert live_syncs(setup.instance) == []
    assert_complete(setup.sim, setup.url)


# -- 2. the whole `clickup-elt dev` process group killed -------------------------------------------

LOCATIONS = """{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def code_location_loaded(port: int, proc) -> bool:
    try:
        answer = requests.post(f"http://127.0.0.1:{port}/graphql", json={"query": LOCATIONS}, timeout=5)
    except requests.ConnectionError:
        return False
    if not answer.ok:
        return False
    entries = answer.json()["data"]["workspaceOrError"].get("locationEntries") or []
    for entry in entries:
        loaded = entry["locationOrLoadError"]
        if loaded and loaded["__typename"] == "PythonError":
            pytest.fail(f"the code location did not load: {loaded['message']}\n{output(proc)[-3000:]}")
    return bool(entries) and all(entry["loadStatus"] == "LOADED" for entry in entries)


@contextlib.contextmanager
def dagster_dev(setup: Setup, name: str):
    """`clickup-elt dev` (webserver and daemon) on a free port, until its code location is loaded;
    yields (process, GraphQL client). The whole process group is killed on the way out."""
    port = free_port()
    with started(setup, "dev", "-h", "127.0.0.1", "-p", str(port), name=name) as proc:
        wait_for(
            "the Dagster webserver with the clickup_elt code location",
            lambda: code_location_loaded(port, proc),
            timeout=180,
            proc=proc,
            every=1,
        )
        yield proc, DagsterGraphQLClient("127.0.0.1", port_number=port)


def power_loss(setup: Setup, proc, run_id: str) -> None:
    """Kill the dev process group and make sure the run's worker is gone too."""
    identity = setup.instance.get_run_by_id(run_id).tags[liveness.PROCESS_TAG]
    kill_group(proc)
    if liveness.process_gone(identity) is False:  # the same process, outside the group: the host
        with contextlib.suppress(ProcessLookupError):  # going down takes it too
            os.kill(int(identity.split(":")[1]), signal.SIGKILL)
    wait_for(f"run worker {identity} gone", lambda: liveness.process_gone(identity), timeout=30)


def wait_for_runs(instance: dg.DagsterInstance, run_ids: list[str], timeout: float) -> dict[str, str]:
    return wait_for(
        f"runs {run_ids} finished",
        lambda: (
            all(status(instance, r) in DONE for r in run_ids)
            and {r: status(instance, r).value for r in run_ids}
        ),
        timeout=timeout,
        every=1,
    )


def test_a_killed_dagster_dev_leaves_no_run_blocking_its_workspace(syncing):
    setup = syncing()
    (ws,) = setup.sim.truth.workspace_ids()
    discover_workspaces(setup.instance, setup.url)
    setup.sim.faults.update(latency_ms=150)  # the hierarchy run then takes ~15 s
    with dagster_dev(setup, "dev-1") as (proc, client):
        hierarchy, daily = remote.start_full_sync(client, ws)
        wait_for(
            "the hierarchy run holding its token's pool",
            lambda: holding_mid_load(setup, hierarchy),
            timeout=120,
            proc=proc,
        )
        power_loss(setup, proc, hierarchy)
    assert_left_behind(setup, hierarchy)
    assert status(setup.instance, daily) == dg.DagsterRunStatus.QUEUED  # one run per workspace

    # dev again: the dead run is released (clickup_dead_runs), the queued and new syncs run
    setup.sim.faults.update(latency_ms=0)
    with dagster_dev(setup, "dev-2") as (proc, client):
        again = remote.start_full_sync(client, ws)
        finished = wait_for_runs(setup.instance, [daily, *again], timeout=RECOVERY_S)
        assert set(finished.values()) == {"SUCCESS"}, finished
        assert_released(setup, hierarchy)
        assert_complete(setup.sim, setup.url)

        # killed again mid-run: this time the CLI syncs next, with no dev running
        setup.sim.faults.update(latency_ms=150)
        hierarchy, daily = remote.start_full_sync(client, ws)
        wait_for(
            "the hierarchy run holding its token's pool",
            lambda: holding_mid_load(setup, hierarchy),
            timeout=120,
            proc=proc,
        )
        power_loss(setup, proc, hierarchy)
    assert_left_behind(setup, hierarchy)

    setup.sim.faults.update(latency_ms=0)
    code, out = sync(setup, "cli-after-dev")
    assert code == 0, out[-3000:]
    assert_released(setup, hierarchy)
    assert live_syncs(setup.instance) == []
    assert_complete(setup.sim, setup.url)


# -- 3. the warehouse restarts mid-load ------------------------------------------------------------


@pytest.fixture
def private_postgres(tmp_path):
    """An embedded server of this test's own (the shared one cannot restart); its data is deleted
    afterwards, wherever it lives."""
    embedded = EmbeddedPostgres(root=tmp_path / "state")
    try:
        yield embedded
    finally:
        data = embedded.data_dir()
        embedded.stop()
        # a state directory the server's user cannot enter keeps its data under that user's home
        outside = data.parent if data.parent != embedded.root else None
        shutil.rmtree(outside or data, ignore_errors=True)


def test_a_postgres_restart_mid_load_leaves_a_sync_that_reruns_cleanly(syncing, private_postgres):
    server = private_postgres.ensure_running()
    setup = syncing(url=server.url())
    setup.sim.faults.update(latency_ms=100)
    with started(setup, "sync", "--full", "--skip-dbt", name="restarted") as proc:
        wait_for(
            "a run loading comments", lambda: holding_mid_load(setup, comments=20), timeout=120, proc=proc
        )
        private_postgres.stop()
        time.sleep(5)  # a restart takes a few seconds: the sync's writes meet a closed server
        restarted = private_postgres.ensure_running()
        assert restarted.port == server.port  # clients keep their URL
        setup.sim.faults.update(latency_ms=0)
        try:  # the sync may fail (its connections were cut), but it must end
            proc.wait(timeout=RECOVERY_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the sync hung after the restart:\n{output(proc)[-3000:]}")

    code, out = sync(setup, "after-restart")
    assert code == 0, out[-3000:]
    assert live_syncs(setup.instance) == [], "a run is still STARTED"
    assert pool_holders(setup.instance) == set()
    assert_complete(setup.sim, setup.url)


# -- 4. no space left on the device under the COPY -------------------------------------------------


@contextlib.contextmanager
def tiny_tablespace(server_url: str, size: str):
    """A tablespace on a tmpfs of `size`: whatever is written there beyond that gets ENOSPC."""
    folder = Path(tempfile.mkdtemp(prefix="clickup-tiny-"))
    owner = pwd.getpwnam("postgres")
    name = f"tiny_{uuid.uuid4().hex[:8]}"
    mounted = subprocess.run(
        [
            "mount",
            "-t",
            "tmpfs",
            "-o",
            f"size={size},mode=0700,uid={owner.pw_uid},gid={owner.pw_gid}",
            "tmpfs",
            str(folder),
        ],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small filesystem for a tablespace: {mounted.stderr.strip()}")
    try:
        admin(server_url, f"create tablespace {name} location '{folder}'")
        try:
            yield name
        finally:
            admin(server_url, f"drop tablespace if exists {name}")
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def stored_tasks(url: str) -> list[tuple]:
    """Every stored task row as loaded: id, name, a digest of the record and the run that wrote it."""
    return query(
        url, "select id, data->>'name', md5(data::text), run_id from clickup_raw.tasks order by id, run_id"
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount a small filesystem for a tablespace")
def test_a_full_disk_during_copy_fails_the_load_and_keeps_the_previous_rows(syncing, pg_server_url):
    # 400 tasks take ~1.6 MB in clickup_raw.tasks: a 2.5 MB filesystem holds them but not a second copy
    with tiny_tablespace(pg_server_url, "2500k") as tablespace, scratch_database(pg_server_url) as url:
        setup = syncing(url=url, tasks=400)
        code, out = sync(setup, "first")
        assert code == 0, out[-3000:]
        before = stored_tasks(url)

        renamed = setup.sim.truth.task_ids(setup.sim.truth.workspace_ids()[0])[:20]
        for task_id in renamed:
            setup.sim.update_task(task_id, name=f"renamed {task_id}")
        # the stored tasks move to the tiny filesystem; the next load's COPY fills it
        admin(url, f"alter table clickup_raw.tasks set tablespace {tablespace}")
        code, out = sync(setup, "disk-full")
        assert code != 0
        assert "tasks of workspace" in out and "Check free disk space" in out, out[-3000:]
        assert stored_tasks(url) == before  # the failed load changed no row

        admin(url, "alter table clickup_raw.tasks set tablespace pg_default")
        code, out = sync(setup, "after-disk-full")
        assert code == 0, out[-3000:]
        names = {task_id: name for task_id, name, _, _ in stored_tasks(url)}
        assert [names[task_id] for task_id in renamed] == [f"renamed {task_id}" for task_id in renamed]
        assert live_syncs(setup.instance) == []
        assert_complete(setup.sim, url)
