"""The syncs a Dagster deployment runs: dagster-webserver and dagster-daemon on Postgres instance
storage, syncs submitted through dagster_graphql's client, status read back through GraphQL."""

import os
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
from clickup_elt.status import workspace_status
from pg import query
from processes import stop_group

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
            stop_group(proc)


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


def test_the_http_api_queues_syncs_through_the_webserver(dagster_service, tmp_path):
    """`clickup-elt serve` beside the webserver: triggers answer 202 with runs that do the sync, and
    sync_status shows them; nothing is queued without the key."""
    sim, url, base, client = dagster_service
    (ws,) = sim.truth.workspace_ids(sim.config.token)
    key = "an-api-key-for-this-test-0123"
    port = free_port()
    env = {**os.environ, "CLICKUP_ELT_API_KEY": key, "CLICKUP_ELT_DAGSTER_URL": base}
    serving = subprocess.Popen(
        [str(Path(sys.executable).with_name("clickup-elt")), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "serve.log", "w"),
    )
    api = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{api}/docs", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()[-3000:]
                time.sleep(0.5)
        keyed = {"Authorization": f"Bearer {key}"}
        # a new deployment knows a workspace once the discovery sensor's first tick has recorded it
        while ws not in {w["workspace_id"] for w in workspace_status(url)}:
            assert time.monotonic() < deadline + 120, "the discovery sensor never recorded the workspace"
            time.sleep(0.5)
        refused = requests.post(f"{api}/trigger_sync", json={"org_id": ws}, timeout=30)
        assert refused.status_code == 401 and "CLICKUP_ELT_API_KEY" in refused.json()["error"]

        full = requests.post(f"{api}/trigger_sync", json={"org_id": ws}, headers=keyed, timeout=60)
        assert full.status_code == 202, full.text
        run_ids = full.json()["run_ids"]
        assert run_ids and set(wait_for(client, run_ids).values()) == {"SUCCESS"}
        expected = {t["id"] for t in sim.truth.tasks(ws)}
        landed = query(url, f"select distinct id from clickup_raw.tasks where workspace_id = '{ws}'")
        assert {r[0] for r in landed} == expected

        task = next(t for t in sim.truth.tasks(ws) if not t.get("archived"))
        sim.update_task(task["id"], name="Renamed, then synced through the API")
        board = {"workspace_id": ws, "board_id": task["list"]["id"]}
        answer = requests.post(f"{api}/trigger_board_sync", json=board, headers=keyed, timeout=60)
        assert answer.status_code == 202, answer.text
        (run_id,) = answer.json()["run_ids"]
        assert wait_for(client, [run_id]) == {run_id: "SUCCESS"}
        names = query(url, f"select data->>'name' from clickup_raw.tasks where id = '{task['id']}'")
        assert names == [("Renamed, then synced through the API",)]

        status = requests.get(f"{api}/sync_status", params={"workspace_id": ws}, headers=keyed, timeout=30)
        assert status.status_code == 200, status.text
        tasks = status.json()["entities"]["tasks"]
        assert tasks["last_error"] is None and tasks["rows"] >= 1 and tasks["lag_seconds"] >= 0
        assert status.json()["runs_in_flight"] == []
    finally:
        stop_group(serving)
