"""A task edited today, synced, then deleted (or made private, or archived with its list) must not
come back in the marts as the version it had a year ago: the id that left today's partition is
confirmed with GET /task/{id}, and only the newest evidence speaks for it."""

import datetime as dt

import dagster as dg
import pytest

from clickup_elt import settings, triggers
from clickup_elt.defs.ingestion import run_configs
from clickup_elt.defs.ingestion.partitions import first_day, last_day
from clickup_elt.defs.ingestion.sync_jobs import TASKS_JOB
from clickup_elt.defs.transform.dbt_job import DBT_JOB
from clickup_elt.sync import run_sync
from pg import query

pytestmark = pytest.mark.e2e

RENAMED = "Renamed today"


def hourly_tasks_run(ws: str, dbt: bool = False) -> None:
    """What the hourly schedule runs: tasks of yesterday and today, archived lists skipped, without a
    hierarchy refresh first; then dbt, when asked."""
    from clickup_elt.definitions import defs

    settings.prepare_environment()
    today = last_day()
    launches = [
        triggers.days(
            TASKS_JOB, [ws], today - dt.timedelta(days=1), today, run_config=run_configs.incremental()
        )
    ]
    with dg.DagsterInstance.get() as instance:
        for launch in launches + ([triggers.Launch(DBT_JOB, {})] if dbt else []):
            outcome = (
                defs()
                .resolve_job_def(launch.job)
                .execute_in_process(
                    instance=instance, tags=launch.tags, run_config=launch.run_config, raise_on_error=False
                )
            )
            assert outcome.success, launch.job


def mart(url, task_id):
    return query(
        url, "select name, is_deleted, deleted_reason from clickup.tasks where task_id = %s", (task_id,)
    )


@pytest.mark.parametrize(
    "change, expected",
    [
        ("delete_task", (RENAMED, True, "deleted")),
        ("hide_task", (RENAMED, True, "access_lost")),
        ("archive_list", (RENAMED, False, None)),
    ],
)
def test_the_newest_evidence_speaks_for_a_task_that_left_todays_partition(
    sim_env, database_url, change, expected
):
    sim = sim_env(seed=71, tasks=150)
    (ws,) = sim.truth.workspace_ids()
    archived = set(sim.truth.archived_list_ids(ws))
    old = next(
        t
        for t in sim.truth.tasks(ws)
        if int(t["date_updated"]) < (dt.datetime.now(dt.timezone.utc).timestamp() - 90 * 86400) * 1000
        and not t.get("parent")
        and not t["archived"]
        and t["list"]["id"] not in archived
        and not any(s.get("parent") == t["id"] for s in sim.truth.tasks(ws))
    )
    assert run_sync(full=True, build_dbt=False).success
    assert query(
        database_url, "select partition_date from clickup_raw.tasks where id = %s", (old["id"],)
    ) == [(first_day(),)]

    sim.update_task(old["id"], name=RENAMED)  # edited today: the hourly run stores it under today
    hourly_tasks_run(ws)
    assert query(
        database_url,
        "select partition_date, data->>'name' from clickup_raw.tasks where id = %s",
        (old["id"],),
    ) == [(last_day(), RENAMED)]

    target = old["list"]["id"] if change == "archive_list" else old["id"]
    getattr(sim, change)(target)  # deleted, private, or archived with its list
    hourly_tasks_run(ws, dbt=True)
    assert mart(database_url, old["id"]) == [expected]
