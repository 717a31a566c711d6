"""The distributed profile: syncs whose steps run on `clickup-elt worker` processes over Redis
(CLICKUP_EXECUTOR=celery) store what an in-process sync stores, survive a worker killed mid-step,
and keep every token within its rate limit however many workers and runs share it."""

from __future__ import annotations

import collections
import os
import re
import subprocess
import time
from itertools import pairwise
from pathlib import Path

import pytest

from clickup_elt.clickup.client import token_fingerprint
from conftest import CLI
from pg import query

SYNC_TIMEOUT_S = 300


def tokens_of(sim) -> tuple[list[str], str]:
    """One admin token per workspace (two workspaces, two tokens), as CLICKUP_API_TOKEN."""
    tokens = [sim.tokens.admin(ws) for ws in sim.truth.workspace_ids()]
    return tokens, ",".join(tokens)


def environment(sim, url: str, home: Path, broker: str | None = None, **more: str) -> dict[str, str]:
    env = {
        **os.environ,
        "CLICKUP_API_TOKEN": tokens_of(sim)[1],
        "DATABASE_URL": url,
        "DAGSTER_HOME": str(home),
        "DAGSTER_TELEMETRY_DISABLED": "1",
        "CLICKUP_POOL_WAIT_MINUTES": "5",
        **more,
    }
    if broker:
        env.update(CLICKUP_EXECUTOR="celery", CLICKUP_CELERY_BROKER=broker)
    else:
        env.pop("CLICKUP_EXECUTOR", None)
    return env


def start_sync(env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen(
            [str(CLI), "sync", "--full", "--skip-dbt"],
            cwd=log.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def finish(proc: subprocess.Popen, log: Path) -> None:
    try:
        code = proc.wait(timeout=SYNC_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"the sync still ran after {SYNC_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")
    assert code == 0, log.read_text()[-3000:]


def sync(env: dict[str, str], log: Path) -> None:
    finish(start_sync(env, log), log)


def raw_rows(url: str) -> dict[str, collections.Counter]:
    """Every raw table's rows (workspace, id, partition, digest of the record), counted."""
    tables = [
        t
        for (t,) in query(
            url,
            "select table_name from information_schema.columns where table_schema = 'clickup_raw' "
            "and column_name in ('workspace_id', 'id', 'partition_date', 'data') "
            "group by table_name having count(*) = 4 order by 1",
        )
    ]
    return {
        table: collections.Counter(
            query(
                url,
                f"select workspace_id, id, partition_date::text, md5(data::text) from clickup_raw.{table}",
            )
        )
        for table in tables
    }


def step_starts_on_workers(url: str) -> list[tuple[str, str]]:
    """(step key, worker) of every step a Celery worker started, in order."""
    found: list[tuple[str, str]] = []
    if query(url, "select to_regclass('event_logs')") == [(None,)]:
        return found  # the instance's storage is not created yet
    sql = "select event from event_logs where event like '%in celery worker%' order by id"
    for (event,) in query(url, sql):
        step = re.search(r'Executing steps ([^"\\]+) in celery worker', event)
        worker = re.search(r"(w\d)@", event)
        if step and worker:
            found.append((step.group(1), worker.group(1)))
    return found


def overlapping_steps(url: str) -> list[tuple[str, str, str]]:
    """(run, step, step) of two steps of one run that were on workers at the same time."""
    rows = query(
        url,
        "select run_id, step_key, min(timestamp), max(timestamp) from event_logs "
        "where dagster_event_type in ('STEP_START', 'STEP_SUCCESS', 'STEP_FAILURE') "
        "group by run_id, step_key order by 1, 3",
    )
    return [
        (run, step, later)
        for (run, step, _, end), (run_b, later, start_b, _) in pairwise(rows)
        if run == run_b and start_b < end
    ]


def assert_complete(url: str, sim) -> None:
    """Every task, comment and time entry the tokens reach stored exactly once per workspace."""
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
            assert stored == collections.Counter(ids), f"clickup_raw.{table} of workspace {ws}"


def assert_no_pool_held(url: str, like: str = "%") -> None:
    held = query(
        url,
        "select concurrency_key, run_id from concurrency_slots "
        "where run_id is not null and concurrency_key like %s",
        (like,),
    )
    assert held == [], f"token pool slots still held: {held}"


def test_a_sync_on_two_workers_stores_what_an_in_process_sync_stores(
    sim_env, make_database, broker, celery_workers, tmp_path
):
    # a frozen clock: both syncs read identical answers (time in status, dates)
    sim = sim_env(seed=71, tasks=80, workspaces=2, now_ms=int(time.time() * 1000))
    alone, spread = make_database(), make_database()
    sync(environment(sim, alone, tmp_path / "home-in-process"), tmp_path / "in-process.log")

    env = environment(sim, spread, tmp_path / "home-celery", broker)
    celery_workers(env, "w1", "w2")
    sync(env, tmp_path / "celery.log")

    steps = step_starts_on_workers(spread)
    assert {worker for _, worker in steps} == {"w1", "w2"}, steps  # both workers ran steps
    # a run's steps share its token, which serves one step at a time: a second step handed out at
    # once would only hold a worker while it waits
    assert overlapping_steps(spread) == []
    expected = raw_rows(alone)
    assert expected["tasks"] and expected["comments"] and expected["time_entries"]
    assert raw_rows(spread) == expected
    assert_complete(spread, sim)
    assert_no_pool_held(spread)


def test_a_worker_killed_mid_step_has_its_step_rerun_elsewhere(
    sim_env, database_url, broker, celery_workers, tmp_path
):
    sim = sim_env(seed=72, tasks=80, workspaces=2)
    # the broker hands an unacknowledged step to another worker after 20 s: above any step here
    env = environment(sim, database_url, tmp_path / "home", broker, CLICKUP_CELERY_VISIBILITY_TIMEOUT="20")
    workers = celery_workers(env, "w1", "w2")
    sim.faults.update(latency_ms=60)  # the comment load then takes several seconds per token
    log = tmp_path / "killed.log"
    proc = start_sync(env, log)

    deadline = time.monotonic() + 180
    while True:
        running = [(s, w) for s, w in step_starts_on_workers(database_url) if "comments" in s]
        if running and sim.stats.requests(endpoint="GET /task/{task_id}/comment") >= 10:
            break
        assert proc.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, "no comment load started"
        time.sleep(0.2)
    step, victim = running[-1]
    workers.kill(victim)
    sim.faults.update(latency_ms=0)
    finish(proc, log)

    attempts = [w for s, w in step_starts_on_workers(database_url) if s == step]
    survivor = {"w1": "w2", "w2": "w1"}[victim]
    assert attempts[:1] == [victim] and attempts[-1] == survivor, attempts
    assert_complete(database_url, sim)
    assert_no_pool_held(database_url)


def test_two_tokens_stay_within_their_rate_limits_across_workers_and_runs(
    sim_env, database_url, broker, celery_workers, tmp_path
):
    limit = 20
    sim = sim_env(seed=73, tasks=60, workspaces=2, rate_limit=limit, rate_window_s=2)
    env = environment(sim, database_url, tmp_path / "home", broker)
    celery_workers(env, "w1", "w2")
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    procs = [start_sync(env, log) for log in logs]  # two runs at once on the same tokens
    for proc, log in zip(procs, logs, strict=True):
        finish(proc, log)

    by_token = sim.stats.snapshot()["by_token"]
    tokens, _ = tokens_of(sim)
    for token in tokens:
        served = by_token[token_fingerprint(token)]
        assert served["requests"] > 3 * limit  # each token spent several windows
        assert served["statuses"].get("429", 0) == 0, served
    assert len({w for _, w in step_starts_on_workers(database_url)}) == 2
    assert_complete(database_url, sim)
    assert_no_pool_held(database_url)
