"""Raw extraction when things go wrong: a flaky or rate-limiting API, bad or too narrow tokens, a run
that dies mid-load, and tokens that must never leak into logs, metadata or tables."""

import collections
import os
import uuid
from pathlib import Path

import dagster as dg
import pytest

from clickup_elt import settings, triggers
from clickup_elt.clickup import client as clickup_client
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.errors import ClickUpAuthError
from clickup_elt.defs.ingestion.sync_jobs import WORKSPACE_JOB
from clickup_elt.sync import discover_workspaces, run_sync
from clickup_simulator import FaultConfig
from pg import query

pytestmark = pytest.mark.e2e

TASK_PAGES = "GET /team/{team_id}/task"
ARCHIVED_LIST_PAGES = "GET /list/{list_id}/task"


def stored_task_ids(url):
    return collections.Counter(r[0] for r in query(url, "select id from clickup_raw.tasks"))


def truth_task_ids(sim):
    return collections.Counter(i for ws in sim.truth.workspace_ids() for i in sim.truth.task_ids(ws))


def test_full_sync_survives_server_errors_drops_and_broken_bodies(sim_env, database_url, fast_retries):
    sim = sim_env(
        seed=21,
        tasks=250,
        faults=FaultConfig(error_rate=0.04, drop_rate=0.02, malformed_rate=0.02, truncate_rate=0.02),
    )
    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures

    assert stored_task_ids(database_url) == truth_task_ids(sim)
    (ws,) = sim.truth.workspace_ids()
    comments = collections.Counter(r[0] for r in query(database_url, "select id from clickup_raw.comments"))
    assert comments == collections.Counter(c["id"] for _, _, c in sim.truth.all_comments(ws))
    entries = {r[0] for r in query(database_url, "select id from clickup_raw.time_entries")}
    assert entries == {e["id"] for e in sim.truth.time_entries(ws)}
    # the faults really hit the run, and the sync log counts the retries they cost
    statuses = sim.stats.snapshot()["total"]["statuses"]
    assert sum(n for s, n in statuses.items() if int(s) >= 500) >= 5 and statuses.get("0", 0) >= 2
    retries = query(database_url, "select sum(retries) from clickup_raw.sync_log where outcome = 'success'")[
        0
    ][0]
    assert retries >= 15


def test_full_sync_waits_out_a_429_storm_on_the_task_pages(sim_env, database_url):
    # a 1 s rate-limit window keeps each wait for the announced reset short
    sim = sim_env(
        seed=22,
        tasks=250,
        token="pk_storm_" + uuid.uuid4().hex,
        rate_limit=100_000,
        rate_window_s=1,
        faults=FaultConfig(storm_every=3, storm_length=2, endpoints=(TASK_PAGES,)),
    )
    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures

    assert stored_task_ids(database_url) == truth_task_ids(sim)
    answered = sim.stats.snapshot()["by_endpoint"][TASK_PAGES]
    assert answered["statuses"].get("429", 0) >= 2, answered
    waits = query(
        database_url,
        "select sum(rate_limit_waits) from clickup_raw.sync_log "
        "where entity = 'tasks' and outcome = 'success'",
    )[0][0]
    assert waits >= 2


def test_a_bad_token_says_which_variable_to_fix_and_never_shows_the_token(sim_env, monkeypatch):
    from click.testing import CliRunner

    from clickup_elt.cli import main

    sim_env(seed=23, tasks=40)
    secret = "pk_12345_NOT_A_VALID_TOKEN_" + uuid.uuid4().hex
    monkeypatch.setenv("CLICKUP_API_TOKEN", secret)
    with pytest.raises(ClickUpAuthError) as raised:
        run_sync(full=True, build_dbt=False)
    message = str(raised.value)
    assert "CLICKUP_API_TOKEN" in message and secret not in message
    assert raised.value.status == 401

    cli = CliRunner().invoke(main, ["sync", "--full", "--skip-dbt"])
    assert cli.exit_code == 2
    assert "CLICKUP_API_TOKEN" in cli.output and secret not in cli.output


def test_a_workspace_the_token_cannot_reach_is_named_in_the_error(sim_env, database_url, monkeypatch):
    sim = sim_env(seed=24, tasks=40, workspaces=2)
    ws1, ws2 = sim.truth.workspace_ids()
    admin1 = sim.tokens.admin(ws1)

    # the API's answer, through the client
    client = ClickUpClient(admin1, os.environ["CLICKUP_API_URL"], workspace_id=ws2)
    with pytest.raises(ClickUpAuthError) as raised:
        client.get(f"team/{ws2}/space")
    client.close()
    assert f"workspace {ws2}" in str(raised.value) and "OAUTH_027" in str(raised.value)
    assert admin1 not in str(raised.value)

    # asking for it on the command line
    monkeypatch.setenv("CLICKUP_API_TOKEN", admin1)
    with pytest.raises(settings.ConfigurationError) as raised:
        run_sync(workspace_ids=(ws2,), build_dbt=False)
    assert ws2 in str(raised.value) and "CLICKUP_API_TOKEN" in str(raised.value)

    # a scheduled run for a workspace discovered earlier with a token that is no longer configured
    monkeypatch.setenv("CLICKUP_API_TOKEN", sim.tokens.primary)
    url = settings.prepare_environment()
    from clickup_elt.definitions import defs

    with dg.DagsterInstance.get() as instance:
        discover_workspaces(instance, url)
        monkeypatch.setenv("CLICKUP_API_TOKEN", admin1)
        launch = triggers.workspaces(WORKSPACE_JOB, [ws2])
        outcome = (
            defs()
            .resolve_job_def(WORKSPACE_JOB)
            .execute_in_process(instance=instance, tags=launch.tags, raise_on_error=False)
        )
    assert not outcome.success
    errors = [e.step_failure_data.error for e in outcome.all_events if e.is_step_failure]
    text = " ".join(err.to_string() for err in errors)
    assert f"reaches workspace {ws2}" in text and "CLICKUP_API_TOKEN" in text and admin1 not in text
    logged = query(
        database_url,
        "select distinct outcome, error from clickup_raw.sync_log where workspace_id = %s",
        (ws2,),
    )
    assert logged and all(o == "failure" and ws2 in e and "CLICKUP_API_TOKEN" in e for o, e in logged)


def test_a_members_token_loads_its_own_time_entries_and_says_why_not_everyones(
    sim_env, database_url, monkeypatch
):
    sim = sim_env(seed=5, tasks=120)
    (ws,) = sim.truth.workspace_ids()
    member = sim.tokens.member
    monkeypatch.setenv("CLICKUP_API_TOKEN", member)
    result = run_sync(full=True, build_dbt=False)
    assert result.success, result.failures

    own_id = sim.truth.user(member)["id"]
    own = {str(e["id"]) for e in sim.truth.time_entries(ws) if e["user"]["id"] == own_id}
    everyone = {str(e["id"]) for e in sim.truth.time_entries(ws)}
    assert own and own != everyone
    assert {r[0] for r in query(database_url, "select id from clickup_raw.time_entries")} == own
    (run_id,) = [run for job, run, _ in result.runs if job == "clickup_time_entries_sync"]
    with dg.DagsterInstance.get() as instance:
        logged = " ".join(e.message or "" for e in instance.all_logs(run_id))
    assert "put a workspace owner's or admin's token in CLICKUP_API_TOKEN" in logged
    assert member not in logged


def test_a_run_that_fails_mid_load_leaves_the_previous_rows(sim_env, database_url, fast_retries):
    sim = sim_env(seed=25, tasks=250)
    (ws,) = sim.truth.workspace_ids()
    assert run_sync(full=True, build_dbt=False).success
    snapshot = "select id, partition_date, md5(data::text), run_id from clickup_raw.{} order by 1, 2"
    tasks_before = query(database_url, snapshot.format("tasks"))
    comments_before = query(database_url, snapshot.format("comments"))
    assert len(tasks_before) == len(sim.truth.task_ids(ws))

    # edits a successful run would store, then every read of an archived list fails: the workspace
    # task pages stream into the load first, then the run gives up
    sim.advance(60)
    for task in sim.truth.tasks(ws)[:20]:
        sim.update_task(task["id"], name=f"{task['name']} (edited)")
    sim.faults.update(error_rate=1.0, endpoints=[ARCHIVED_LIST_PAGES])
    pages_before = sim.stats.requests(TASK_PAGES)
    result = run_sync(full=True, build_dbt=False)

    assert not result.success
    assert sim.stats.requests(TASK_PAGES) - pages_before >= 3
    (failure,) = [f for f in result.failures if "tasks" in f]
    assert ws in failure and "list/" in failure
    assert query(database_url, snapshot.format("tasks")) == tasks_before
    assert query(database_url, snapshot.format("comments")) == comments_before
    failed_run = next(run_id for job, run_id, ok in result.runs if not ok)
    logged = query(
        database_url,
        "select outcome, error from clickup_raw.sync_log where run_id = %s and entity = 'tasks'",
        (failed_run,),
    )
    assert len(logged) == 1 and logged[0][0] == "failure" and "list/" in logged[0][1]


def all_text_in_database(url):
    """Every text, varchar, json and jsonb value of every table in every schema, as (where, text)."""
    columns = query(
        url,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea') "
        "and table_schema not in ('pg_catalog', 'information_schema') "
        "and (table_schema, table_name) in (select table_schema, table_name from "
        "information_schema.tables where table_type = 'BASE TABLE')",
    )
    for schema, table, column in columns:
        where = f'"{schema}"."{table}"."{column}"'
        for (value,) in query(
            url, f'select "{column}"::text from "{schema}"."{table}" where "{column}" is not null'
        ):
            yield where, value


def test_the_token_never_reaches_event_logs_metadata_or_tables(sim_env, database_url, fast_retries):
    canary = "pk_9001_CANARY" + uuid.uuid4().hex.upper()
    sim = sim_env(
        seed=26,
        tasks=120,
        token=canary,
        faults=FaultConfig(error_rate=0.03, drop_rate=0.02, malformed_rate=0.02),
    )
    full = run_sync(full=True, build_dbt=False)
    assert full.success, full.failures
    sim.faults.update(error_rate=1.0, drop_rate=0.0, malformed_rate=0.0, endpoints=[TASK_PAGES])
    failed = run_sync(build_dbt=False)  # errors and their messages are logged too
    assert not failed.success
    runs = full.runs + failed.runs
    fingerprint = clickup_client.token_fingerprint(canary)

    leaks, materializations = [], 0
    with dg.DagsterInstance.get() as instance:
        for _, run_id, _ in runs:
            run = instance.get_run_by_id(run_id)
            assert run.tags.get(triggers.TOKEN_TAG) == fingerprint  # runs name the token by fingerprint
            if canary in dg.serialize_value(run):
                leaks.append(f"run {run_id}")
            for entry in instance.all_logs(run_id):
                if entry.dagster_event and entry.dagster_event.is_step_materialization:
                    materializations += 1
                    metadata = entry.dagster_event.step_materialization_data.materialization.metadata
                    assert "requests" in metadata
                if canary in dg.serialize_value(entry):
                    leaks.append(f"event log of run {run_id}: {entry.message[:200]}")
    assert materializations >= 10
    leaks += [where for where, text in all_text_in_database(database_url) if canary in text]
    home = Path(os.environ["DAGSTER_HOME"])
    leaks += [str(p) for p in home.rglob("*") if p.is_file() and canary.encode() in p.read_bytes()]
    assert leaks == []
    # the search itself works: the fingerprint the project writes instead is found
    assert any(fingerprint in text for _, text in all_text_in_database(database_url))
