"""The distributed profile as deployed (deploy/celery): the code location as a gRPC server, the daemon
and the webserver on its dagster.yaml and workspace.yaml, and a `clickup-elt worker`. Nothing is
launched by hand: the daemon's discovery sensor finds the workspaces and queues their first full
syncs, the run queue starts them, their steps run on the worker, and the webserver reports them."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
import requests

from clickup_elt import remote
from clickup_elt.defs.ingestion.partitions import WORKSPACES_PARTITIONS_NAME
from clickup_elt.paths import PROJECT_DIR
from conftest import CLI, _free_port
from pg import query
from test_celery import assert_complete, assert_no_pool_held, environment, step_starts_on_workers

BIN = Path(sys.executable).parent
PROFILE = PROJECT_DIR / "deploy" / "celery"
RUNS_TIMEOUT_S = 420


def deployment_home(folder: Path, grpc_port: int) -> Path:
    """DAGSTER_HOME with the profile's dagster.yaml, and its workspace.yaml on this test's port."""
    home = folder / "dagster_home"
    home.mkdir()
    shutil.copy(PROFILE / "dagster.yaml", home / "dagster.yaml")
    workspace = (PROFILE / "workspace.yaml").read_text().replace("port: 4266", f"port: {grpc_port}")
    assert f"port: {grpc_port}" in workspace
    (folder / "workspace.yaml").write_text(workspace)
    return home


def exported(env: dict[str, str], folder: Path) -> dict[str, str]:
    """`env` after `eval "$(clickup-elt env)"`, as the profile's README has Dagster's commands run."""
    out = subprocess.run([str(CLI), "env"], env=env, cwd=folder, capture_output=True, text=True, check=True)
    lines = [shlex.split(line) for line in out.stdout.splitlines()]
    assert lines and all(words[0] == "export" for words in lines), out.stdout
    return {**env, **dict(words[1].split("=", 1) for words in lines)}


def start(name: str, args: list[str], env: dict[str, str], folder: Path) -> subprocess.Popen:
    with open(folder / f"{name}.log", "w") as out:
        return subprocess.Popen(
            args, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def logs(folder: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-2500:]}" for p in folder.glob("*.log"))


def wait_for_http(url: str, proc: subprocess.Popen, folder: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{url} did not come up:\n{logs(folder)}")
        time.sleep(0.5)


def first_syncs(url: str, workspaces: list[str]) -> dict[str, list[str]]:
    """Workspace -> statuses of its runs so far (from the instance's storage)."""
    statuses: dict[str, list[str]] = {ws: [] for ws in workspaces}
    if query(url, "select to_regclass('runs')") == [(None,)]:
        return statuses
    for ws in workspaces:
        rows = query(
            url,
            "select r.status from runs r join run_tags t on t.run_id = r.run_id "
            "where t.key = 'clickup/workspace' and t.value = %s",
            (ws,),
        )
        statuses[ws] = [status for (status,) in rows]
    return statuses


def test_the_daemon_discovers_queues_and_runs_syncs_on_the_workers(
    sim_env, database_url, broker, celery_workers, tmp_path, monkeypatch
):
    sim = sim_env(seed=74, tasks=60, workspaces=2)
    workspaces = sorted(sim.truth.workspace_ids())
    grpc_port, web_port = _free_port(), _free_port()
    home = deployment_home(tmp_path, grpc_port)
    env = exported(environment(sim, database_url, home, broker), tmp_path)
    celery_workers(env, "w1")
    procs = [
        start(
            "grpc",
            [str(BIN / "dagster"), "api", "grpc", "-m", "clickup_elt.definitions", "-h", "127.0.0.1"]
            + ["-p", str(grpc_port)],
            env,
            tmp_path,
        ),
        start("daemon", [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], env, tmp_path),
        start(
            "webserver",
            [str(BIN / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(web_port)],
            env,
            tmp_path,
        ),
    ]
    try:
        wait_for_http(f"http://127.0.0.1:{web_port}/server_info", procs[2], tmp_path)
        deadline = time.monotonic() + RUNS_TIMEOUT_S
        while True:
            statuses = first_syncs(database_url, workspaces)
            done = all(runs and set(runs) == {"SUCCESS"} and len(runs) >= 2 for runs in statuses.values())
            if done:
                break
            failed = {ws: runs for ws, runs in statuses.items() if "FAILURE" in runs}
            assert not failed, f"runs failed: {failed}\n{logs(tmp_path)}"
            assert all(p.poll() is None for p in procs), logs(tmp_path)
            assert time.monotonic() < deadline, f"runs so far: {statuses}\n{logs(tmp_path)}"
            time.sleep(2)

        assert_complete(database_url, sim)
        assert {worker for _, worker in step_starts_on_workers(database_url)} == {"w1"}
        for ws in workspaces:  # the webserver serves what the daemon ran
            runs = remote.workspace_status(f"http://127.0.0.1:{web_port}", ws)
            assert runs and {r["status"] for r in runs} == {"SUCCESS"}, runs
        for name in (
            "DAGSTER_PG_HOST",
            "DAGSTER_PG_PORT",
            "DAGSTER_PG_USER",
            "DAGSTER_PG_PASSWORD",
            "DAGSTER_PG_DB",
        ):
            monkeypatch.setenv(name, env[name])
        with dg.DagsterInstance.from_config(str(home)) as instance:
            assert sorted(instance.get_dynamic_partitions(WORKSPACES_PARTITIONS_NAME)) == workspaces
        assert sim.stats.snapshot()["total"]["statuses"].get("429", 0) == 0
        assert_no_pool_held(database_url, like="clickup_api/%")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
