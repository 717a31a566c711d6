"""A workspace that several tokens reach is always synced with the same one, whoever starts the sync,
so two syncs at once share one token's pool and never load it twice."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import assert_complete
from pg import query

from clickup_elt.clickup.client import token_fingerprint
from clickup_elt.triggers import TOKEN_TAG
from clickup_elt.warehouse import db
from clickup_elt.warehouse import workspaces as ws_table

pytestmark = pytest.mark.e2e

CLI = Path(sys.executable).with_name("clickup-elt")


def test_two_syncs_at_once_use_the_first_configured_token_and_store_each_row_once(
        sim_env, database_url, tmp_path):
    sim = sim_env(seed=91, tasks=150, workspaces=2)
    first, second = sim.truth.workspace_ids()
    admin = sim.tokens.admin(first)  # reaches the first workspace only
    tokens = f"{sim.tokens.primary},{admin}"
    # an earlier configuration saw the admin token last: that must not decide
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        ws_table.remember(conn, first, token_fingerprint(sim.tokens.primary), None)
        ws_table.remember(conn, first, token_fingerprint(admin), None)

    env = {**os.environ, "CLICKUP_API_TOKEN": tokens, "DAGSTER_HOME": str(tmp_path / "home")}
    syncs = [subprocess.Popen([str(CLI), "sync", "--full", "--skip-dbt"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(2)]
    outputs = [proc.communicate(timeout=600)[0] for proc in syncs]
    assert [proc.returncode for proc in syncs] == [0, 0], outputs[-1][-3000:]
    for ws in (first, second):
        assert_complete(database_url, sim, ws)

    primary = token_fingerprint(sim.tokens.primary)
    # every run was tagged with (and held the pool of) the first configured token
    used = {fp for (fp,) in query(database_url, "select distinct value from run_tags where key = %s",
                                  (TOKEN_TAG,))}
    assert used == {primary}
    status = subprocess.run([str(CLI), "status"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert status.returncode == 0, status.stderr
    lines = [line for line in status.stdout.splitlines() if line.startswith(first)]
    assert lines and all(primary in line and token_fingerprint(admin) not in line for line in lines)
