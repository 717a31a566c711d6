"""After an outage longer than a schedule's window, the next run reads from where the last gap-free
sync of the workspace started, so the changes made during the outage are not skipped for good."""

import datetime as dt

import dagster as dg
import pytest

from clickup_elt import settings
from clickup_elt.defs.ingestion import run_configs, schedules
from clickup_elt.defs.ingestion.partitions import last_day
from clickup_elt.defs.ingestion.sync_jobs import DAY_ENTITIES
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.sync import run_sync
from clickup_elt.warehouse import watermarks
from pg import admin, query

pytestmark = pytest.mark.e2e

DAY_MS = 86_400_000


def outage(url: str, ws: str, days: int) -> None:
    """As if the last sync that left no gap had started `days` ago."""
    admin(
        url,
        f"update clickup_raw.watermarks set synced_through = now() - interval '{days} days' "
        f"where workspace_id = '{ws}'",
    )


def forget(url: str, task_ids: list[str]) -> None:
    """The changes of the gap never reached the warehouse."""
    admin(url, "delete from clickup_raw.tasks where id in ({})".format(", ".join(f"'{i}'" for i in task_ids)))


def first_day_read(request) -> dt.date:
    """The earliest day any day-windowed op of the request is configured to read."""
    return min(
        dt.date.fromisoformat(run_configs.requested_days(request.run_config, entity)[0])
        for entity in DAY_ENTITIES[request.job_name]
    )


def test_the_hourly_run_and_sync_read_the_gap_an_outage_left(sim_env, database_url):
    from clickup_elt.definitions import defs

    sim = sim_env(seed=81, tasks=300)
    (ws,) = sim.truth.workspace_ids()
    assert run_sync(full=True, build_dbt=False).success
    keys = {k for (k,) in query(database_url, "select key from clickup_raw.watermarks")}
    assert keys == {watermarks.TASKS, watermarks.TASKS_IN_ARCHIVED_LISTS, watermarks.TIME_ENTRIES}

    now_ms = dt.datetime.now(dt.timezone.utc).timestamp() * 1000
    archived = set(sim.truth.archived_list_ids(ws))
    in_gap = [
        t["id"]
        for t in sim.truth.tasks(ws)
        if 3 * DAY_MS < now_ms - int(t["date_updated"]) < 25 * DAY_MS and t["list"]["id"] not in archived
    ]
    assert in_gap, "the seed must give tasks edited during the outage"
    # 30 days without a sync; what changed meanwhile never reached the warehouse
    outage(database_url, ws, 30)
    forget(database_url, in_gap)

    url = settings.prepare_environment()
    with dg.DagsterInstance.get() as instance:
        with dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=dt.datetime.now(dt.timezone.utc),
            resources={
                "warehouse": WarehouseResource(database_url=url),
                "clickup": ClickUpResource(api_token=sim.config.token),
            },
        ) as context:
            (request,) = schedules.tasks_hourly(context)
        assert first_day_read(request) <= last_day() - dt.timedelta(days=30)
        outcome = (
            defs()
            .resolve_job_def(request.job_name)
            .execute_in_process(
                instance=instance, tags=request.tags, run_config=request.run_config, raise_on_error=False
            )
        )
    assert outcome.success
    back = {
        r[0] for r in query(database_url, "select id from clickup_raw.tasks where id = any(%s)", (in_gap,))
    }
    assert back == set(in_gap)

    # `clickup-elt sync` without --full catches up the same way
    outage(database_url, ws, 30)
    forget(database_url, in_gap)
    assert run_sync(full=False, build_dbt=False).success
    assert len(query(database_url, "select id from clickup_raw.tasks where id = any(%s)", (in_gap,))) == len(
        in_gap
    )
    # and the watermark is back at the present
    (mark,) = query(
        database_url,
        "select synced_through from clickup_raw.watermarks where workspace_id = %s and key = %s",
        (ws, watermarks.TASKS),
    )[0]
    assert dt.datetime.now(dt.timezone.utc) - mark < dt.timedelta(minutes=10)
