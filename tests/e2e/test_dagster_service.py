"""The syncs a Dagster deployment runs: dagster-webserver and dagster-daemon on Postgres instance
storage, syncs submitted through dagster_graphql's client, status read back through GraphQL."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from dagster_graphql import DagsterGraphQLClient

from clickup_elt import remote, settings
from clickup_elt.paths import PROJECT_DIR
from pg import query

pytestmark = pytest.mark.e2e

DONE = {"SUCCESS", "FAILURE", "CANCELED"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dagster_service(sim_env, tmp_path):
    """A simulator, then a webserver and a daemon over the project's code location."""
    sim = sim_env(seed=11, tasks=150, workspaces=1)
    url = settings.prepare_environment()
    bin_dir = Path(sys.executable).parent
    port = free_port()
    workspace = str(PROJECT_DIR / "workspace.yaml")
    env = {**os.environ, "DAGSTER_TELEMETRY_DISABLED": "1"}
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = [
        subprocess.Popen(
            [str(bin_dir / "dagster-webserver"), "-w", workspace, "-h", "127.0.0.1", "-p", str(port)],
            cwd=tmp_path,
            env=env,
            start_new_session=True,
            stdout=open(logs / "webserver.log", "w"),
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(bin_dir / "dagster-daemon"), "run", "-w", workspace],
            cwd=tmp_path,
            env=env,
            start_new_session=True,
            stdout=open(logs / "daemon.log", "w"),
            stderr=subprocess.STDOUT,
        ),
    ]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if requests.get(f"{base}/server_info", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, (logs / "webserver.log").read_text()[-3000:]
        time.sleep(1)
    try:
        yield sim, url, base, DagsterGraphQLClient("127.0.0.1", port_number=port)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def wait_for(client, run_ids, timeout=600):
    deadline = time.monotonic() + timeout
    statuses = {}
    while time.monotonic() < deadline:
        statuses = {run_id: client.get_run_status(run_id).value for run_id in run_ids}
        if all(status in DONE for status in statuses.values()):
            return statuses
        time.sleep(2)
    raise AssertionError(f"runs did not finish: {statuses}")


def test_full_sync_and_board_sync_through_graphql(dagster_service):
    sim, url, base, client = dagster_service
    (ws,) = sim.truth.workspace_ids(sim.config.token)
    # the discovery sensor, running in the daemon, adds the workspace and starts its full sync;
    # a user-triggered full sync goes through GraphQL like any external system would
    import dagster as dg

    from clickup_elt.sync import discover_workspaces

    with dg.DagsterInstance.get() as instance:
        discover_workspaces(instance, url)
    run_ids = remote.start_full_sync(client, ws)
    assert set(wait_for(client, run_ids).values()) == {"SUCCESS"}

    expected = {t["id"] for t in sim.truth.tasks(ws)}
    landed = {
        r[0] for r in query(url, f"select distinct id from clickup_raw.tasks where workspace_id = '{ws}'")
    }
    assert landed == expected
    assert query(url, f"select count(*) from clickup_raw.lists where workspace_id = '{ws}'")[0][0] > 0

    # a board sync: one list's tasks, after one of them changed in ClickUp
    task = next(t for t in sim.truth.tasks(ws) if not t.get("archived"))
    list_id = task["list"]["id"]
    sim.update_task(task["id"], name="Renamed on the board")
    run_id = remote.start_list_sync(client, ws, [list_id])
    assert wait_for(client, [run_id]) == {run_id: "SUCCESS"}
    names = query(url, f"select data->>'name' from clickup_raw.tasks where id = '{task['id']}'")
    assert names == [("Renamed on the board",)]

    status = remote.workspace_status(base, ws)
    assert {r["run_id"] for r in status} >= set(run_ids) | {run_id}
    assert all(r["status"] == "SUCCESS" for r in status if r["run_id"] in set(run_ids) | {run_id})
