"""Time entries have no updated-since filter: a run re-reads a window of start days and replaces it.
A fallback may only replace what it read, and an entry moved out of the window is refiled, not lost."""

import datetime as dt
import os
import time

import pytest

from clickup_elt import settings, triggers
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.errors import ClickUpAuthError
from clickup_elt.clickup.extract.time_in_status import TimeInStatusDisabled, time_in_status
from clickup_elt.defs.ingestion.partitions import first_day, last_day
from clickup_elt.defs.ingestion.sync_jobs import TIME_ENTRIES_JOB
from clickup_elt.records import Findings
from clickup_elt.sync import discover_workspaces, run_sync
from ground_truth import assert_complete
from pg import query

pytestmark = pytest.mark.e2e

DAY_MS = 86_400_000


def entries(url, ws):
    return dict(
        query(url, "select id, partition_date from clickup_raw.time_entries where workspace_id = %s", (ws,))
    )


def test_a_members_token_replaces_only_that_members_entries(sim_env, database_url, monkeypatch):
    import dagster as dg

    from clickup_elt.definitions import defs

    sim = sim_env(seed=61, tasks=120, time_entries=80)
    ws = sim.truth.workspace_ids()[0]
    assert run_sync(full=True, build_dbt=False).success
    everyone = entries(database_url, ws)
    member = sim.tokens.member
    own = {
        e["id"] for e in sim.truth.time_entries(ws) if e["user"]["id"] == sim.tokens.info(member)["user_id"]
    }
    assert len(everyone) > len(own), "the seed must give entries of several members"

    # a member's token may only read its own entries (ACCESS_064 for the others')
    monkeypatch.setenv("CLICKUP_API_TOKEN", member)
    url = settings.prepare_environment()
    with dg.DagsterInstance.get() as instance:
        discover_workspaces(instance, url)
        launch = triggers.days(TIME_ENTRIES_JOB, [ws], first_day(), last_day())
        outcome = (
            defs()
            .resolve_job_def(TIME_ENTRIES_JOB)
            .execute_in_process(
                instance=instance, tags=launch.tags, run_config=launch.run_config, raise_on_error=False
            )
        )
        logged = [e.user_message for e in instance.all_logs(outcome.run_id)]
    assert outcome.success
    assert any("only its own are loaded" in m and "ACCESS_064" in m for m in logged)
    assert entries(database_url, ws) == everyone  # nobody else's entries were dropped


def test_an_entry_moved_out_of_the_window_is_refiled_under_its_new_day(sim_env, database_url):
    sim = sim_env(seed=62, tasks=120, time_entries=60)
    ws = sim.truth.workspace_ids()[0]
    task = sim.truth.tasks(ws)[0]["id"]
    recent = sim.create_time_entry(task, start_ms=int(time.time() * 1000) - 3_600_000)
    assert run_sync(full=True, build_dbt=False).success
    assert str(recent["id"]) in entries(database_url, ws)

    # its start is edited to 35 days ago: outside the 30 days an incremental sync re-reads
    moved_to = dt.date.today() - dt.timedelta(days=35)
    start_ms = int(
        dt.datetime(moved_to.year, moved_to.month, moved_to.day, 12, tzinfo=dt.timezone.utc).timestamp()
        * 1000
    )
    sim.update_time_entry(str(recent["id"]), start_ms=start_ms)
    gone = next(
        e["id"]
        for e in sim.truth.time_entries(ws)
        if int(e["start"]) > int(time.time() * 1000) - 10 * DAY_MS and e["id"] != str(recent["id"])
    )
    sim.delete_time_entry(gone)

    result = run_sync(full=False, build_dbt=False)
    assert result.success, result.failures
    stored = entries(database_url, ws)
    assert stored[str(recent["id"])] == max(moved_to, first_day())
    assert gone not in stored
    assert query(
        database_url,
        "select reason from clickup_raw.deletions where object_type = 'time_entry' and id = %s",
        (gone,),
    ) == [("deleted",)]
    assert_complete(database_url, sim, ws)


def test_a_refused_token_is_an_error_not_a_clickapp_that_is_off(sim_env):
    """Every answer of the bulk endpoint mentions 'status' (its path does): only the ECODE tells
    that the ClickApp is off, so a revoked token must not look like a skipped entity."""
    sim = sim_env(seed=63, tasks=20, workspaces=2, time_in_status_enabled=(1,))
    off, on = sim.truth.workspace_ids()
    api = ClickUpClient(sim.config.token, os.environ["CLICKUP_API_URL"])
    with pytest.raises(TimeInStatusDisabled):
        list(time_in_status(api, [(sim.truth.task_ids(off)[0], None)], Findings()))
    revoked = ClickUpClient("pk_revoked_token", os.environ["CLICKUP_API_URL"])
    with pytest.raises(ClickUpAuthError) as raised:
        list(time_in_status(revoked, [(sim.truth.task_ids(on)[0], None)], Findings()))
    assert not isinstance(raised.value, TimeInStatusDisabled)
    assert "CLICKUP_API_TOKEN" in str(raised.value)


def test_a_workspace_materialized_without_days_reads_yesterday_and_today(sim_env, database_url):
    """What **Materialize** on one workspace partition in the UI runs: no config, the hourly window;
    the entries of the other days stay."""
    import dagster as dg

    from clickup_elt.definitions import defs

    sim = sim_env(seed=63, tasks=120, time_entries=60)
    ws = sim.truth.workspace_ids()[0]
    assert run_sync(full=True, build_dbt=False).success
    before = entries(database_url, ws)
    with dg.DagsterInstance.get() as instance:
        outcome = (
            defs()
            .resolve_job_def(TIME_ENTRIES_JOB)
            .execute_in_process(instance=instance, partition_key=ws, raise_on_error=False)
        )
    assert outcome.success
    read = query(
        database_url,
        "select workspace_id, partition_start, partition_end from clickup_raw.sync_log "
        "where run_id = %s and entity = 'time_entries'",
        (outcome.run_id,),
    )
    yesterday = last_day() - dt.timedelta(days=1)
    assert read == [(ws, yesterday.isoformat(), last_day().isoformat())]
    assert entries(database_url, ws) == before
