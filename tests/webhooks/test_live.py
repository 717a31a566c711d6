"""Changes made in ClickUp reach the marts through webhooks: the simulator delivers signed events to
the project's HTTP API, the sensor turns them into runs, and those runs apply them, then build the
dbt models downstream."""

import json
import threading
import time

import dagster as dg
import pytest
import uvicorn

from clickup_elt import settings
from clickup_elt.dbt_cli import DBT_PROJECT_DIR
from clickup_elt.defs.ingestion import webhook_sensor
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.service.app import create_app
from clickup_elt.sync import run_sync
from clickup_elt.webhooks import commands
from pg import query

pytestmark = pytest.mark.e2e
COMMENTS = "GET /task/{task_id}/comment"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Live:
    """A synced workspace whose webhook delivers to the API; `apply()` does what the daemon does."""

    def __init__(self, sim, url: str, instance: dg.DagsterInstance):
        self.sim, self.url, self.instance = sim, url, instance
        (self.ws,) = sim.truth.workspace_ids()
        self.requests: list[dg.RunRequest] = []
        self.run_ids: list[str] = []

    def tick(self) -> list[dg.RunRequest]:
        resources = {
            "warehouse": WarehouseResource(database_url=self.url),
            "clickup": ClickUpResource(api_token=self.sim.config.token, api_url=settings.api_url()),
        }
        with dg.build_sensor_context(instance=self.instance, resources=resources) as context:
            result = webhook_sensor.webhook_events(context)
        return list(getattr(result, "run_requests", None) or [])

    def apply(self) -> list[bool]:
        """Deliver what is queued, run what the sensor asks for, let it settle; each run's success."""
        from clickup_elt.definitions import defs

        assert self.sim.webhooks.drain(timeout=30)
        outcomes = []
        targets = {target.job_name for target in webhook_sensor.webhook_events.targets}
        for request in self.tick():
            assert request.job_name in targets  # the daemon refuses a job the sensor does not name
            self.requests.append(request)
            outcome = (
                defs()
                .resolve_job_def(request.job_name)
                .execute_in_process(
                    instance=self.instance,
                    tags=request.tags,
                    run_config=request.run_config,
                    raise_on_error=False,
                )
            )
            outcomes.append(outcome.success)
            self.run_ids.append(outcome.run_id)
        self.tick()  # settles: applied, or pending again
        return outcomes

    def pending(self) -> int:
        return query(self.url, "select count(*) from clickup_raw.webhook_events where applied_at is null")[0][
            0
        ]

    def dbt_results(self) -> list[str]:
        """What the dbt builds of the runs applied so far ran (dbt's run_results.json)."""
        found = []
        for run_id in self.run_ids:
            for path in (DBT_PROJECT_DIR / "target").glob(f"clickup_dbt-{run_id[:7]}-*/run_results.json"):
                found += [r["unique_id"] for r in json.loads(path.read_text())["results"]]
        return found

    def task(self, task_id):
        rows = query(
            self.url,
            "select name, status, is_deleted, deleted_reason, list_id from clickup.tasks where task_id = %s",
            (task_id,),
        )
        return rows[0] if rows else None


@pytest.fixture
def live(sim_env, database_url):
    sim = sim_env(seed=121, tasks=150, archived_lists=2)
    sim.webhooks.configure(timeout_s=7, attempts=5, backoff_s=0.05, backoff_max_s=0.2)
    assert run_sync(full=True).success
    url = settings.prepare_environment()
    port = free_port()
    with dg.DagsterInstance.get() as instance:
        server = uvicorn.Server(
            uvicorn.Config(create_app(url, instance), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            (registered,) = commands.register(f"http://127.0.0.1:{port}/webhooks/clickup")
            assert registered.done == "created" and registered.secret.startswith("sec_")
            yield Live(sim, url, instance)
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def test_each_kind_of_change_reaches_the_marts(live):
    sim, ws = live.sim, live.ws
    tasks = [t for t in sim.truth.tasks(ws) if not t.get("parent") and not t["archived"]]
    archived = set(sim.truth.archived_list_ids(ws))
    live_lists = [lst["id"] for lst in sim.truth.lists(ws) if lst["id"] not in archived]
    renamed, closed, moved, deleted, commented = [t for t in tasks if t["list"]["id"] not in archived][:5]
    shelved = next(t for t in sim.truth.tasks(ws) if t["list"]["id"] in archived)
    target = next(lst for lst in live_lists if lst != moved["list"]["id"])

    sim.update_task(renamed["id"], name="Renamed live")
    sim.close_task(closed["id"])
    sim.move_task(moved["id"], target)
    sim.delete_task(deleted["id"])
    comment = sim.create_comment(commented["id"], "Seen live")
    sim.update_task(shelved["id"], name="Edited inside an archived list")
    created = sim.create_task(live_lists[0], "Created live")
    new_list = sim.create_list(sim.truth.spaces(ws)[0]["id"], "A list made live")
    sim.rename_folder(sim.truth.folders(ws)[0]["id"], "A folder renamed live")

    assert all(live.apply())
    assert live.pending() == 0
    assert {r.job_name for r in live.requests} == {"clickup_changed_tasks", "clickup_changed_hierarchy"}
    assert live.task(renamed["id"])[0] == "Renamed live"
    assert live.task(closed["id"])[1] == sim.truth.task(closed["id"])["status"]["status"]
    assert live.task(moved["id"])[4] == target
    assert live.task(deleted["id"])[2:4] == (True, "deleted")
    assert live.task(shelved["id"])[0] == "Edited inside an archived list"
    assert live.task(created["id"])[0] == "Created live"
    assert query(
        live.url, "select comment_text from clickup.comments where comment_id = %s", (comment["id"],)
    ) == [("Seen live",)]
    assert query(live.url, "select list_name from clickup.lists where list_id = %s", (new_list["id"],)) == [
        ("A list made live",)
    ]
    # the models and data tests downstream were built; the unit tests are left to the scheduled builds
    built = live.dbt_results()
    assert "model.clickup_elt.tasks" in built and any(u.startswith("test.") for u in built)
    assert not any(u.startswith("unit_test.") for u in built)


def test_duplicated_and_reordered_deliveries_apply_once_in_the_right_state(live):
    sim, ws = live.sim, live.ws
    sim.webhook_faults.update(duplicate_rate=0.5, reorder_rate=0.5)
    task = next(
        t
        for t in sim.truth.tasks(ws)
        if not t.get("parent")
        and not t["archived"]
        and t["list"]["id"] not in set(sim.truth.archived_list_ids(ws))
    )
    for n in range(6):
        sim.advance(1)
        sim.update_task(task["id"], name=f"Version {n}")
    assert all(live.apply())
    assert live.task(task["id"])[0] == "Version 5"  # the last edit, whatever order events came in
    twice = query(live.url, "select count(*) from clickup_raw.webhook_events where deliveries > 1")
    assert twice[0][0] >= 1
    keys = query(live.url, "select count(*), count(distinct event_key) from clickup_raw.webhook_events")
    assert keys[0][0] == keys[0][1]


def test_a_failed_run_leaves_its_events_pending(live):
    sim, ws = live.sim, live.ws
    task = next(
        t
        for t in sim.truth.tasks(ws)
        if not t.get("parent")
        and not t["archived"]
        and t["list"]["id"] not in set(sim.truth.archived_list_ids(ws))
    )
    sim.update_task(task["id"], name="Not yet")
    sim.faults.update(error_rate=1.0, endpoints=("GET /task/{task_id}",))
    from clickup_elt.clickup import client as clickup_client

    original = clickup_client.BACKOFF_BASE_S
    clickup_client.BACKOFF_BASE_S = 0.001
    try:
        assert live.apply() == [False]
    finally:
        clickup_client.BACKOFF_BASE_S = original
    assert live.pending() >= 1
    retry = query(
        live.url, "select attempts, batch_id from clickup_raw.webhook_events where applied_at is null limit 1"
    )
    assert retry == [(1, None)]  # back to pending, after a pause


def test_dropped_deliveries_are_caught_by_the_schedules(live):
    sim, ws = live.sim, live.ws
    sim.webhook_faults.update(drop_rate=1.0)
    task = next(
        t
        for t in sim.truth.tasks(ws)
        if not t.get("parent")
        and not t["archived"]
        and t["list"]["id"] not in set(sim.truth.archived_list_ids(ws))
    )
    sim.update_task(task["id"], name="Never delivered")
    assert live.apply() == []  # nothing arrived
    assert live.task(task["id"])[0] != "Never delivered"
    assert run_sync(full=False).success  # what the hourly schedule reads
    assert live.task(task["id"])[0] == "Never delivered"


def test_comments_are_read_where_events_name_them_and_unseen_ones_by_the_hourly_run(live):
    sim, ws = live.sim, live.ws
    archived = set(sim.truth.archived_list_ids(ws))
    tasks = [t for t in sim.truth.tasks(ws) if not t.get("parent") and t["list"]["id"] not in archived]
    renamed, commented, unseen = tasks[:3]
    sim.advance(1)
    sim.update_task(renamed["id"], name="Only renamed")
    told = sim.create_comment(commented["id"], "Told by its event")
    sim.update_task(unseen["id"], name="Renamed, then commented unseen")
    sim.advance(5)  # later than the rename by more than the settling slack (queries.SETTLE_SLACK_MS)
    sim.webhook_faults.update(drop_rate=1.0)
    untold = sim.create_comment(unseen["id"], "Its delivery was dropped")
    sim.webhook_faults.update(drop_rate=0.0)

    before = sim.stats.requests(COMMENTS)
    assert all(live.apply())
    assert sim.stats.requests(COMMENTS) - before == 1  # only the task whose events name a comment
    assert live.task(renamed["id"])[0] == "Only renamed"
    assert query(live.url, "select count(*) from clickup.comments where comment_id = %s", (told["id"],)) == [
        (1,)
    ]

    before = sim.stats.requests(COMMENTS)
    assert run_sync(full=False).success  # the hourly run
    # the renamed task's comments are settled by its event; the other's latest change came unannounced
    assert sim.stats.requests(COMMENTS) - before == 1
    assert query(
        live.url, "select comment_text from clickup.comments where comment_id = %s", (untold["id"],)
    ) == [("Its delivery was dropped",)]
