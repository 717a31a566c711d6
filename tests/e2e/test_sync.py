"""Simulator → Dagster materializations → real Postgres → dbt: what a user sees after `sync --full`."""

import pytest

from clickup_elt.sync import run_sync
from pg import query

pytestmark = pytest.mark.e2e


def test_full_sync_lands_exactly_the_simulators_tasks_in_the_mart(sim_env, database_url):
    sim = sim_env(seed=3, tasks=400)
    result = run_sync(full=True)
    assert result.success, result.failures

    expected = {}
    for ws in sim.truth.workspace_ids(sim.config.token):
        for task in sim.truth.tasks(ws):
            expected[task["id"]] = task["name"]
    assert len(expected) >= 400
    landed = dict(query(database_url, "select task_id, name from clickup.tasks"))
    assert landed == expected

    # a second full sync replaces rather than appends
    assert run_sync(full=True).success
    assert query(database_url, "select count(*), count(distinct task_id) from clickup.tasks") == [
        (len(expected), len(expected))
    ]


def test_db_query_answers_as_the_bi_reader_role(sim_env, database_url):
    import os
    import subprocess
    import sys
    from pathlib import Path

    sim = sim_env(seed=4, tasks=60)
    assert run_sync(full=True).success
    cli = Path(sys.executable).with_name("clickup-elt")

    def db_query(sql):
        return subprocess.run(
            [str(cli), "db", "query", sql], env=dict(os.environ), capture_output=True, text=True, timeout=120
        )

    counted = db_query("select count(*) as tasks from clickup.tasks")
    assert counted.returncode == 0, counted.stderr
    (ws,) = sim.truth.workspace_ids()
    assert f"\n{len(sim.truth.task_ids(ws))}" in counted.stdout and "(1 rows)" in counted.stdout
    # the reader role sees the marts only, and cannot write
    raw = db_query("select count(*) from clickup_raw.tasks")
    assert raw.returncode == 2 and "permission denied" in raw.stderr
    write = db_query("delete from clickup.tasks")
    assert write.returncode == 2 and "read-only" in write.stderr
    assert query(database_url, "select count(*) from clickup.tasks")[0][0] == len(sim.truth.task_ids(ws))
