"""`clickup-elt status` answers what a user asks first: per workspace, when it was last synced in
full and incrementally, how many rows each entity holds, what failed and the command that fixes it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clickup_elt.clickup.client import token_fingerprint
from clickup_elt.sync import run_sync
from pg import query

pytestmark = pytest.mark.e2e

CLI = Path(sys.executable).with_name("clickup-elt")


def status(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CLI), "status", *args], env=dict(os.environ), capture_output=True, text=True, timeout=120
    )


def test_status_shows_syncs_rows_failures_and_their_fix(sim_env, database_url, fast_retries):
    sim = sim_env(seed=111, tasks=120)
    (ws,) = sim.truth.workspace_ids()
    assert run_sync(full=True, build_dbt=False).success
    # the next incremental sync cannot read comments: ClickUp keeps failing that endpoint
    sim.update_task(sim.truth.task_ids(ws)[0], name="Edited")
    sim.faults.update(error_rate=1.0, endpoints=("GET /task/{task_id}/comment",))
    assert not run_sync(full=False, build_dbt=False).success

    shown = status("--json")
    assert shown.returncode == 0, shown.stderr
    (found,) = json.loads(shown.stdout)
    assert found["workspace_id"] == ws and found["token"] == token_fingerprint(sim.config.token)
    assert found["name"] == sim.truth.team(ws)["name"]
    assert found["last_full_sync"] and found["last_incremental_sync"] > found["last_full_sync"]
    rows = {e["entity"]: e for e in found["entities"]}
    stored = query(database_url, "select count(*) from clickup_raw.tasks")[0][0]
    assert rows["tasks"]["rows"] == stored == len(sim.truth.task_ids(ws))
    assert rows["tasks"]["outcome"] == "success"
    assert found["failed"] == ["comments"]
    assert "failed 8 times" in rows["comments"]["error"]
    assert rows["comments"]["fix"] == f"`clickup-elt sync --workspace {ws}`"

    text = status()
    assert text.returncode == 0
    assert f"workspace {ws}" in text.stdout and "last full sync:" in text.stdout
    assert "failed: comments" in text.stdout and f"fix: `clickup-elt sync --workspace {ws}`" in text.stdout
    assert sim.config.token not in text.stdout + shown.stdout
