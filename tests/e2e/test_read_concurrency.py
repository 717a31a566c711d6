"""Comments and time in status read eight tasks at a time load exactly what one at a time loads, with
the same requests, through `run_sync` into Postgres."""

import time

import pytest

from clickup_elt.sync import run_sync
from pg import query

pytestmark = pytest.mark.e2e

ENTITIES = ("comments", "task_time_in_status")


def loaded(url, ws, since):
    """Per entity: its stored rows, and the requests its loads after sync-log row `since` spent."""
    rows = {
        entity: query(
            url,
            f"select id, parent_type, parent_id, partition_date, data::text from clickup_raw.{entity} "
            "where workspace_id = %s order by id, parent_id",
            (ws,),
        )
        for entity in ENTITIES
    }
    requests = dict(
        query(
            url,
            "select entity, sum(requests) from clickup_raw.sync_log "
            "where workspace_id = %s and entity = any(%s) and outcome = 'success' and sync_id > %s "
            "group by entity",
            (ws, list(ENTITIES), since),
        )
    )
    return rows, requests


def last_sync_id(url):
    return query(url, "select coalesce(max(sync_id), 0) from clickup_raw.sync_log")[0][0]


def test_eight_at_a_time_loads_what_one_at_a_time_loads(sim_env, database_url, monkeypatch):
    sim = sim_env(seed=43, tasks=300, now_ms=int(time.time() * 1000))  # a frozen clock: same answers
    (ws,) = sim.truth.workspace_ids()
    monkeypatch.setenv("CLICKUP_READ_CONCURRENCY", "1")
    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures
    one = loaded(database_url, ws, 0)

    monkeypatch.setenv("CLICKUP_READ_CONCURRENCY", "8")
    since = last_sync_id(database_url)
    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures
    eight = loaded(database_url, ws, since)

    assert all(one[0][entity] and one[1][entity] for entity in ENTITIES)
    assert eight == one
