"""A workspace that several tokens reach is always synced with the same one, whoever starts the sync,
so two syncs at once share one token's pool and never load it twice."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clickup_elt.clickup.client import token_fingerprint
from clickup_elt.triggers import TOKEN_TAG
from clickup_elt.warehouse import db
from clickup_elt.warehouse import workspace_tokens as ws_table
from ground_truth import assert_complete
from pg import query

pytestmark = pytest.mark.e2e

CLI = Path(sys.executable).with_name("clickup-elt")


def test_two_syncs_at_once_use_the_first_configured_token_and_store_each_row_once(
    sim_env, database_url, tmp_path
):
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
    syncs = [
        subprocess.Popen(
            [str(CLI), "sync", "--full", "--skip-dbt"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=600)[0] for proc in syncs]
    assert [proc.returncode for proc in syncs] == [0, 0], outputs[-1][-3000:]
    for ws in (first, second):
        assert_complete(database_url, sim, ws)

    primary = token_fingerprint(sim.tokens.primary)
    # every run was tagged with (and held the pool of) the first configured token
    used = {
        fp
        for (fp,) in query(database_url, "select distinct value from run_tags where key = %s", (TOKEN_TAG,))
    }
    assert used == {primary}
    status = subprocess.run(
        [str(CLI), "status", "--json"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert status.returncode == 0, status.stderr
    shown = {ws["workspace_id"]: ws["token"] for ws in json.loads(status.stdout)}
    assert shown == {first: primary, second: primary}


def test_a_refused_token_is_named_and_the_others_still_sync(sim_env, database_url, fast_retries, monkeypatch):
    from clickup_elt.sync import run_sync

    sim = sim_env(seed=92, tasks=40)
    (ws,) = sim.truth.workspace_ids()
    bad = "pk_0000_revoked_token_of_a_former_colleague"
    monkeypatch.setenv("CLICKUP_API_TOKEN", f"{bad},{sim.tokens.primary}")
    result = run_sync(full=True, build_dbt=False)
    assert result.workspaces == [ws] and len(result.runs) == 3 and all(ok for _, _, ok in result.runs)
    assert_complete(database_url, sim, ws)
    (refused,) = result.failures  # reported, so the sync exits non-zero and the user replaces it
    assert token_fingerprint(bad) in refused and "number 1 of 2 in CLICKUP_API_TOKEN" in refused
    assert bad not in refused


def test_an_unreachable_api_url_names_the_variable(sim_env, fast_retries, monkeypatch):
    import socket

    from clickup_elt.clickup.errors import ClickUpUnavailableError
    from clickup_elt.sync import run_sync

    sim_env(seed=93, tasks=10)
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CLICKUP_API_URL", f"http://127.0.0.1:{port}/api/v2")
    with pytest.raises(ClickUpUnavailableError) as raised:
        run_sync(full=True, build_dbt=False)
    message = str(raised.value)
    assert "connection refused" in message and "CLICKUP_API_URL" in message
