"""Schedules and sensors, evaluated the way the Dagster daemon evaluates them: what they ask to run is
what keeps every workspace current, and a sync that fails must show up in the sync log."""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid

import dagster as dg
import pytest

from clickup_elt import triggers
from clickup_elt.clickup.client import token_fingerprint
from clickup_elt.defs.ingestion import discovery_sensor, run_configs, schedules
from clickup_elt.defs.ingestion.partitions import (
    RANGE_END_TAG,
    RANGE_START_TAG,
    first_day,
    workspaces_partitions,
)
from clickup_elt.defs.ingestion.sync_jobs import (
    DAILY_JOB,
    DAY_ENTITIES,
    DELETION_JOB,
    TASKS_JOB,
    TIME_ENTRIES_JOB,
    WORKSPACE_JOB,
)
from clickup_elt.defs.monitoring import run_health, sync_health
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource, clickup_resource
from clickup_elt.settings import ConfigurationError
from clickup_elt.triggers import TOKEN_TAG, WORKSPACE_TAG
from clickup_elt.warehouse import db
from clickup_elt.warehouse import workspace_tokens as ws_table
from clickup_simulator import Simulator, SimulatorConfig
from pg import query

WHEN = dt.datetime.now(dt.timezone.utc).replace(minute=5, second=0, microsecond=0)
TODAY = WHEN.date()
TOKEN = "pk_schedules_token"
FINGERPRINT = token_fingerprint(TOKEN)


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


@pytest.fixture
def warehouse(database_url):
    return WarehouseResource(database_url=database_url)


def known(instance, warehouse, *workspaces, fingerprint=FINGERPRINT):
    instance.add_dynamic_partitions(workspaces_partitions.name, list(workspaces))
    with warehouse.connection() as conn:
        for ws in workspaces:
            ws_table.remember(conn, ws, fingerprint, f"Workspace {ws}")


def evaluate(schedule, instance, warehouse):
    with dg.build_schedule_context(
        instance=instance,
        scheduled_execution_time=WHEN,
        resources={"warehouse": warehouse, "clickup": ClickUpResource(api_token=TOKEN)},
    ) as context:
        return schedule(context)


def days_of(request, instance) -> dict[str, list[str]]:
    """The days each workspace of a run request reads, as the job resolves its workspace range and
    every day-windowed op its configured days."""
    order = instance.get_dynamic_partitions(workspaces_partitions.name)
    start, end = order.index(request.tags[RANGE_START_TAG]), order.index(request.tags[RANGE_END_TAG])
    workspaces = order[start : end + 1]
    windows = {run_configs.requested_days(request.run_config, e) for e in DAY_ENTITIES[request.job_name]}
    assert len(windows) == 1, f"the ops of one run read different days: {windows}"
    ((first, last),) = windows
    day, end_day = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    days = [(day + dt.timedelta(days=i)).isoformat() for i in range((end_day - day).days + 1)]
    return {ws: days for ws in workspaces}


def ops_config(request) -> dict:
    """A run request's op config without the days (days_of checks those)."""
    return {
        op: {k: v for k, v in entry["config"].items() if k not in ("first_day", "last_day")}
        for op, entry in request.run_config["ops"].items()
    }


def test_hourly_tasks_schedule_asks_for_today_and_yesterday_of_each_workspace(
    instance, warehouse, monkeypatch
):
    from clickup_elt.definitions import defs as load_defs

    monkeypatch.setenv("CLICKUP_API_TOKEN", TOKEN)  # the job's resources read it
    known(instance, warehouse, "101", "202")
    requests = evaluate(schedules.tasks_hourly, instance, warehouse)
    assert [r.tags[WORKSPACE_TAG] for r in requests] == ["101", "202"]
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    job = load_defs().resolve_job_def(TASKS_JOB)
    for request in requests:
        ws = request.tags[WORKSPACE_TAG]
        assert request.job_name == TASKS_JOB
        assert days_of(request, instance) == {ws: [yesterday, TODAY.isoformat()]}
        assert request.tags[TOKEN_TAG] == FINGERPRINT
        # incremental: archived lists skipped, comments and time in status only of changed tasks
        assert ops_config(request) == ops_config(dg.RunRequest(run_config=run_configs.incremental()))
        assert dg.validate_run_config(job, request.run_config)
    assert len({r.run_key for r in requests}) == 2


def test_daily_schedules_cover_their_trailing_windows(instance, warehouse, monkeypatch):
    known(instance, warehouse, "101")
    monkeypatch.delenv("CLICKUP_TASKS_DAILY_LOOKBACK_DAYS", raising=False)
    monkeypatch.delenv("CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS", raising=False)
    (entries,) = evaluate(schedules.time_entries_daily, instance, warehouse)
    assert entries.job_name == TIME_ENTRIES_JOB and ops_config(entries) == {"clickup__time_entries": {}}
    assert days_of(entries, instance)["101"][0] == (TODAY - dt.timedelta(days=30)).isoformat()

    monkeypatch.setenv("CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS", "5")
    (entries,) = evaluate(schedules.time_entries_daily, instance, warehouse)
    days = days_of(entries, instance)["101"]
    assert (days[0], days[-1], len(days)) == (
        (TODAY - dt.timedelta(days=5)).isoformat(),
        TODAY.isoformat(),
        6,
    )

    # a window reaching past CLICKUP_START_DATE starts at the first partition
    monkeypatch.setenv("CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS", "3650")
    (entries,) = evaluate(schedules.time_entries_daily, instance, warehouse)
    assert days_of(entries, instance)["101"][0] == first_day().isoformat()

    (tasks,) = evaluate(schedules.tasks_daily, instance, warehouse)
    # archived lists included, every task's comments and time in status
    defaults = triggers.days(TASKS_JOB, ["101"], TODAY, TODAY).run_request()
    assert tasks.job_name == TASKS_JOB and ops_config(tasks) == ops_config(defaults)
    assert ops_config(tasks)["clickup__tasks"]["archived_lists"] is True
    assert days_of(tasks, instance)["101"][0] == (TODAY - dt.timedelta(days=7)).isoformat()

    monkeypatch.setenv("CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS", "a month")
    with pytest.raises(ConfigurationError, match="CLICKUP_TIME_ENTRIES_LOOKBACK_DAYS must be a whole"):
        evaluate(schedules.time_entries_daily, instance, warehouse)


@pytest.mark.parametrize(
    "schedule, job", [(schedules.workspace_daily, WORKSPACE_JOB), (schedules.deletion_sweep, DELETION_JOB)]
)
def test_workspace_schedules_run_once_per_workspace(instance, warehouse, schedule, job):
    known(instance, warehouse, "101", "202", "303")
    requests = evaluate(schedule, instance, warehouse)
    assert [(r.job_name, r.tags[RANGE_START_TAG], r.tags[RANGE_END_TAG]) for r in requests] == [
        (job, ws, ws) for ws in ("101", "202", "303")
    ]


@pytest.mark.parametrize(
    "schedule",
    [
        schedules.tasks_hourly,
        schedules.tasks_daily,
        schedules.time_entries_daily,
        schedules.workspace_daily,
        schedules.deletion_sweep,
    ],
)
def test_schedules_skip_with_a_reason_until_a_workspace_is_known(instance, warehouse, schedule):
    skip = evaluate(schedule, instance, warehouse)
    assert isinstance(skip, dg.SkipReason)
    assert "clickup_workspace_discovery" in skip.skip_message


def test_sync_health_is_checked_even_when_nothing_is_known(instance):
    with dg.build_schedule_context(instance=instance, scheduled_execution_time=WHEN) as context:
        assert isinstance(sync_health.sync_health_hourly(context), dg.RunRequest)


def test_cadences_come_from_the_environment(tmp_path):
    crons = {
        "CLICKUP_TASKS_CRON": ("clickup_tasks_hourly", "*/15 * * * *"),
        "CLICKUP_TASKS_DAILY_CRON": ("clickup_tasks_daily", "45 0 * * *"),
        "CLICKUP_TIME_ENTRIES_CRON": ("clickup_time_entries_daily", "0 4 * * *"),
        "CLICKUP_WORKSPACE_CRON": ("clickup_workspace_daily", "30 0 * * 1-5"),
        "CLICKUP_DELETION_SWEEP_CRON": ("clickup_deletion_sweep_weekly", "0 5 * * 6"),
        "CLICKUP_SYNC_HEALTH_CRON": ("clickup_sync_health_hourly", "50 * * * *"),
    }
    script = (
        "import json; from clickup_elt.definitions import defs; "
        "print(json.dumps({s.name: s.cron_schedule "
        "for s in defs().get_repository_def().schedule_defs}))"
    )
    env = {**os.environ, **{name: cron for name, (_, cron) in crons.items()}}
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == {name: cron for name, cron in crons.values()}


def test_every_schedule_and_sensor_runs_by_default():
    from clickup_elt.definitions import defs as load_defs

    repo = load_defs().get_repository_def()
    assert {
        s.name for s in repo.schedule_defs if s.default_status != dg.DefaultScheduleStatus.RUNNING
    } == set()
    ours = {s.name: s for s in repo.sensor_defs if s.name.startswith("clickup_")}
    assert set(ours) == {
        "clickup_workspace_discovery",
        "clickup_sync_failures",
        "clickup_dbt_automation",
        "clickup_dead_runs",
        "clickup_webhook_events",
    }
    assert all(s.default_status == dg.DefaultSensorStatus.RUNNING for s in ours.values())
    # every asset with an automation condition is evaluated by a running sensor
    graph = repo.asset_graph
    automated = {k for k in graph.get_all_asset_keys() if graph.get(k).automation_condition}
    assert automated and automated <= ours["clickup_dbt_automation"].asset_selection.resolve(graph)


# -- workspace discovery, against the simulator over HTTP -----------------------------------------


@pytest.fixture
def simulator(monkeypatch):
    sim = Simulator(SimulatorConfig(seed=2, workspaces=3, tasks=10, time_entries=5, rate_limit=0))
    with sim.serve(host="127.0.0.1", port=0) as server:
        monkeypatch.setenv("CLICKUP_API_URL", server.url)
        monkeypatch.setenv("CLICKUP_API_TOKEN", sim.config.token)
        monkeypatch.delenv("CLICKUP_WORKSPACE_IDS", raising=False)
        yield sim


def discover(instance, warehouse) -> dg.SensorResult:
    """One tick of the discovery sensor, its partition requests applied as the daemon does."""
    with dg.build_sensor_context(
        instance=instance, resources={"clickup": clickup_resource(), "warehouse": warehouse}
    ) as context:
        result = discovery_sensor.workspace_discovery(context)
    targets = {target.job_name for target in discovery_sensor.workspace_discovery.targets}
    assert {r.job_name for r in result.run_requests} <= targets  # the daemon refuses any other job
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result


def full_syncs(result, instance) -> dict[str, list]:
    by_ws: dict[str, list] = {}
    for request in result.run_requests:
        days = days_of(request, instance) if request.job_name in DAY_ENTITIES else {}
        by_ws.setdefault(request.tags[WORKSPACE_TAG], []).append(
            (request.job_name, request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG], days)
        )
    return by_ws


def test_discovery_adds_reachable_workspaces_and_fully_syncs_only_new_ones(
    simulator, instance, warehouse, database_url, monkeypatch
):
    first, *others = simulator.truth.workspace_ids()
    monkeypatch.setenv("CLICKUP_WORKSPACE_IDS", first)  # an allow-list keeps the others out
    result = discover(instance, warehouse)
    assert instance.get_dynamic_partitions(workspaces_partitions.name) == [first]
    start, today = first_day(), dt.datetime.now(dt.timezone.utc).date()
    every_day = [(start + dt.timedelta(days=i)).isoformat() for i in range((today - start).days + 1)]
    assert full_syncs(result, instance) == {
        first: [(WORKSPACE_JOB, first, first, {}), (DAILY_JOB, first, first, {first: every_day})]
    }
    fingerprint = token_fingerprint(simulator.config.token)
    assert {r.tags[TOKEN_TAG] for r in result.run_requests} == {fingerprint}

    monkeypatch.delenv("CLICKUP_WORKSPACE_IDS")
    result = discover(instance, warehouse)
    assert sorted(instance.get_dynamic_partitions(workspaces_partitions.name)) == sorted([first, *others])
    assert set(full_syncs(result, instance)) == set(others)  # the known one is not synced again
    assert len({r.run_key for r in result.run_requests}) == 2 * len(others)
    remembered = query(
        database_url,
        "select workspace_id, token_fingerprint, workspace_name from clickup_raw.workspace_tokens",
    )
    assert sorted(remembered) == sorted(
        (ws, fingerprint, simulator.truth.team(ws)["name"]) for ws in [first, *others]
    )

    again = discover(instance, warehouse)
    assert again.run_requests == [] and again.dynamic_partitions_requests == []


def test_discovery_adds_only_what_the_token_reaches(simulator, instance, warehouse, monkeypatch):
    second = simulator.truth.workspace_ids()[1]
    monkeypatch.setenv("CLICKUP_API_TOKEN", simulator.tokens.admin(second))
    result = discover(instance, warehouse)
    assert instance.get_dynamic_partitions(workspaces_partitions.name) == [second]
    assert set(full_syncs(result, instance)) == {second}


# -- failed runs into the sync log -------------------------------------------------------------------


def failure_rows(url, run_id):
    return query(
        url,
        "select workspace_id, entity, partition_start, partition_end, outcome, error "
        "from clickup_raw.sync_log where run_id = %s order by 1, 2",
        (run_id,),
    )


def report(instance, warehouse, run, event):
    with dg.build_run_status_sensor_context(
        sensor_name="clickup_sync_failures",
        dagster_event=event,
        dagster_instance=instance,
        dagster_run=run,
        resources={"warehouse": warehouse},
    ) as context:
        run_health.sync_failures(context.for_run_failure())


def test_a_crashed_run_is_written_to_the_sync_log_per_workspace_and_entity(instance, warehouse, database_url):
    first = TODAY - dt.timedelta(days=1)
    launch = triggers.days(TASKS_JOB, ["101", "202"], first, TODAY, "tok_0123456789")
    run = instance.add_run(dg.DagsterRun(job_name=TASKS_JOB, run_id=str(uuid.uuid4()), tags=launch.tags))
    event = instance.report_run_failed(run, message="run worker crashed (exit code 137)")
    report(instance, warehouse, run, event)
    report(instance, warehouse, run, event)  # a second evaluation adds nothing
    span = (first.isoformat(), TODAY.isoformat())  # days, as loads write them
    crashed = "run worker crashed (exit code 137)"
    assert failure_rows(database_url, run.run_id) == [
        (ws, entity, *span, "failure", crashed)
        for ws in ("101", "202")
        for entity in ("comments", "task_time_in_status", "tasks")
    ]


def test_a_failed_launchpad_run_is_logged_with_the_days_of_its_config(instance, warehouse, database_url):
    """A run started from the UI has a workspace partition tag and the days only in its config."""
    config = run_configs.with_days(["time_entries"], TODAY - dt.timedelta(days=3), TODAY)
    run = instance.add_run(
        dg.DagsterRun(
            job_name=TIME_ENTRIES_JOB,
            run_id=str(uuid.uuid4()),
            tags={"dagster/partition": "101"},
            run_config=config.to_config_dict(),
        )
    )
    report(instance, warehouse, run, instance.report_run_failed(run, message="killed"))
    first = (TODAY - dt.timedelta(days=3)).isoformat()
    assert failure_rows(database_url, run.run_id) == [
        ("101", "time_entries", first, TODAY.isoformat(), "failure", "killed")
    ]


@pytest.mark.parametrize(
    "job, entities",
    [
        (DELETION_JOB, {"deletions"}),
        # steps after the failed spaces step (folders, lists, tags, fields) never ran
        (WORKSPACE_JOB, {"workspaces", "members", "user_groups", "spaces", "goals", "key_results"}),
    ],
)
def test_a_failed_run_is_logged_once_per_workspace_and_entity_with_the_fix(
    simulator, instance, database_url, warehouse, monkeypatch, job, entities
):
    from clickup_elt.definitions import defs as load_defs

    ws = simulator.truth.workspace_ids()[0]
    monkeypatch.setenv("CLICKUP_API_TOKEN", simulator.tokens.nobody)  # revoked from every workspace
    monkeypatch.setenv("DATABASE_URL", database_url)
    db.ensure_raw_schema(database_url)
    instance.add_dynamic_partitions(workspaces_partitions.name, [ws])
    result = (
        load_defs()
        .resolve_job_def(job)
        .execute_in_process(instance=instance, tags=triggers.workspaces(job, [ws]).tags, raise_on_error=False)
    )
    assert not result.success

    report(instance, warehouse, result.dagster_run, result.get_run_failure_event())
    rows = failure_rows(database_url, result.run_id)
    assert {(r[0], r[1], r[4]) for r in rows} == {(ws, e, "failure") for e in entities}
    assert len(rows) == len(entities)
    for row in rows:
        assert f"no token in CLICKUP_API_TOKEN reaches workspace {ws}" in row[5]
        assert "add a token of a member of that workspace to CLICKUP_API_TOKEN" in row[5]
