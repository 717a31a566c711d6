"""Answers that are not what the endpoint promises: a 200 without its key, an HTML page, a burst of
5xx, a 429 storm without rate-limit headers, an answer slower than the client's timeout. Each is
retried; one that never gets better fails the load with the path named, and is never read as
"nothing there", so nothing is recorded as deleted."""

import pytest

from clickup_elt.clickup import client as clickup_client
from clickup_elt.sync import run_sync
from clickup_simulator import FaultConfig
from ground_truth import assert_complete, stored
from pg import query

pytestmark = pytest.mark.e2e

FOLDERS = "GET /space/{space_id}/folder"


def test_a_folder_listing_without_folders_is_an_error_not_a_deletion(sim_env, database_url, fast_retries):
    sim = sim_env(seed=51, tasks=120)
    (ws,) = sim.truth.workspace_ids()
    assert run_sync(full=True, build_dbt=False).success
    folders = stored(database_url, "folders", ws)
    lists = stored(database_url, "lists", ws)
    assert folders

    sim.faults.update(missing_key_rate=1.0, endpoints=(FOLDERS,))  # every answer: 200 and `{}`
    result = run_sync(full=False, build_dbt=False)
    assert not result.success
    failure = " ".join(result.failures)
    assert "folders" in failure and "/folder" in failure and "without `folders`" in failure
    assert query(database_url, "select count(*) from clickup_raw.deletions") == [(0,)]
    assert stored(database_url, "folders", ws) == folders
    assert stored(database_url, "lists", ws) == lists

    # a single odd answer is only retried
    sim.faults.clear()
    sim.faults.force("missing_key")
    assert run_sync(full=False, build_dbt=False).success
    assert query(database_url, "select count(*) from clickup_raw.deletions") == [(0,)]


def test_html_pages_5xx_bursts_headerless_429_storms_and_slow_answers_are_waited_out(
    sim_env, database_url, fast_retries, monkeypatch
):
    monkeypatch.setattr(clickup_client, "TIMEOUT", (2, 1.0))  # a slow answer outlasts this
    # a 1 s rate-limit window keeps each wait for the last announced reset short
    sim = sim_env(
        seed=52,
        tasks=200,
        rate_limit=100_000,
        rate_window_s=1,
        faults=FaultConfig(
            html_rate=0.03,
            missing_key_rate=0.03,
            truncate_rate=0.02,
            burst_every=40,
            burst_length=3,
            storm_every=90,
            storm_length=2,
            storm_headers=False,
            slow_rate=0.01,
            slow_ms=1500,
        ),
    )
    (ws,) = sim.truth.workspace_ids()
    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures
    assert_complete(database_url, sim, ws)
    statuses = sim.stats.snapshot()["total"]["statuses"]
    assert statuses.get("429", 0) >= 2 and sum(n for s, n in statuses.items() if int(s) >= 500) >= 3
    retries = query(database_url, "select sum(retries) from clickup_raw.sync_log where outcome = 'success'")[
        0
    ][0]
    assert retries >= 10
    assert query(database_url, "select count(*) from clickup_raw.deletions") == [(0,)]
