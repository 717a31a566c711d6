"""Long syncs show progress: per load, records and requests so far, the rate and the time left, in
the run's log at a steady interval (what the Dagster UI shows) and as a bar on a terminal; waits for
ClickUp's rate limit say how long and why."""

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from clickup_elt.sync import run_sync
from clickup_simulator import FaultConfig

pytestmark = pytest.mark.e2e

CLI = Path(sys.executable).with_name("clickup-elt")
COMMENTS = "GET /task/{task_id}/comment"


def run_logs(run_ids) -> list[str]:
    with dg.DagsterInstance.get() as instance:
        return [entry.user_message for run_id in run_ids for entry in instance.all_logs(run_id)]


def test_the_run_log_shows_progress_and_rate_limit_waits(sim_env, monkeypatch):
    monkeypatch.setenv("CLICKUP_PROGRESS_SECONDS", "1")
    # comments read one task at a time take a few seconds (20 ms each), and the token's window runs
    # out on the way; eight at a time would be done before the second progress line
    monkeypatch.setenv("CLICKUP_READ_CONCURRENCY", "1")
    sim = sim_env(
        seed=101,
        tasks=150,
        rate_limit=100,
        rate_window_s=6,
        faults=FaultConfig(latency_ms=20, endpoints=(COMMENTS,)),
    )
    (ws,) = sim.truth.workspace_ids()
    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures
    logs = run_logs(run_id for _, run_id, _ in result.runs)

    progress = [m for m in logs if m.startswith(f"comments of workspace {ws}: ")]
    assert len(progress) >= 2, logs[-20:]
    line = re.compile(
        r"(\d[\d,]*) of (\d[\d,]*) tasks, (\d[\d,]*) records, (\d[\d,]*) requests, "
        r"[\d,.]+ tasks/s(, \d+%, about [\d.]+ (s|min|h) left)?$"
    )
    done = [int(line.search(m).group(1).replace(",", "")) for m in progress if line.search(m)]
    assert len(done) == len(progress) and done == sorted(done) and done[-1] > done[0]
    assert any("left" in m for m in progress)
    waits = [m for m in logs if m.startswith("waiting ") and "rate limit" in m]
    assert waits and re.search(r"waiting \d+ s for ClickUp's rate limit \(token tok_\w+\): ", waits[0])


def test_sync_draws_a_progress_bar_on_a_terminal(sim_env):
    sim = sim_env(seed=102, tasks=120, faults=FaultConfig(latency_ms=15, endpoints=(COMMENTS,)))
    (ws,) = sim.truth.workspace_ids()
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(CLI), "sync", "--full", "--skip-dbt"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=dict(os.environ),
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the other end closed: the command ended
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        assert proc.wait(timeout=30) == 0, seen.decode(errors="replace")[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    text = seen.decode(errors="replace")
    # redrawn in place while comments load, then one line per finished load
    assert "\r\x1b[K" in text
    assert re.search(rf"comments of workspace {ws}: \d+ of \d+ tasks, [\d,]+ records", text)
    assert re.search(rf"\r\x1b\[Ktasks of workspace {ws}: [\d,]+ records, [\d,]+ requests", text)
