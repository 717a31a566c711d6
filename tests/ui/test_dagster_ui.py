"""The Dagster UI as a user meets it after `make demo` and `make dev` from a plain shell (the venv's
bin/ not on PATH): the code location loads, the asset graph shows the raw and mart groups, the raw
tasks show their last load's metadata and checks, and an asset materialized from the UI is built by
the daemon's run, dbt included. One test walks through them all: the deployment takes a minute to
start."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from pg import query
from processes import stop_group

pytestmark = pytest.mark.e2e

CLI = Path(sys.executable).with_name("clickup-elt")
PLAIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEMO_TASKS = 200
DEMO_SEED = 7  # `clickup-elt demo`'s simulated workspace, served again once the demo has ended


@dataclass
class Deployment:
    base: str
    database_url: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(base: str, text: str, **variables) -> dict:
    answer = requests.post(f"{base}/graphql", json={"query": text, "variables": variables}, timeout=30)
    answer.raise_for_status()
    return answer.json()["data"]


def location_status(base: str) -> tuple[str, str]:
    """(load status, what loaded: RepositoryLocation or PythonError) of the code location."""
    data = graphql(
        base,
        """{ workspaceOrError { ... on Workspace { locationEntries {
        name loadStatus locationOrLoadError { __typename } } } } }""",
    )
    entries = {e["name"]: e for e in data["workspaceOrError"]["locationEntries"]}
    entry = entries.get("clickup_elt") or {}
    return entry.get("loadStatus", "MISSING"), (entry.get("locationOrLoadError") or {}).get("__typename", "")


@pytest.fixture
def deployment(database_url, run_cli, tmp_path):
    """`clickup-elt demo --tasks 200` into a scratch database, then `clickup-elt dev` on a free port,
    both from a plain environment: PATH without the venv, DAGSTER_HOME and state of their own."""
    from clickup_simulator import Simulator, SimulatorConfig

    home, url = tmp_path, database_url
    config = SimulatorConfig(seed=DEMO_SEED, tasks=DEMO_TASKS, rate_limit=0)
    with Simulator(config).serve() as simulator:
        env = {
            "PATH": PLAIN_PATH,
            "HOME": str(home),
            "DATABASE_URL": url,
            "CLICKUP_START_DATE": os.environ["CLICKUP_START_DATE"],
        }
        demo = run_cli("demo", "--tasks", str(DEMO_TASKS), home=home, env=env, timeout=400)
        assert demo.returncode == 0 and "demo OK" in demo.stdout, demo.stdout[-3000:] + demo.stderr[-3000:]

        # the demo's simulator is gone with it: the sensors and runs of `dev` reach this one
        env.update(
            {
                "LANG": "C.UTF-8",
                "DAGSTER_TELEMETRY_DISABLED": "1",
                "DAGSTER_HOME": str(home / "dagster_home"),
                "CLICKUP_ELT_STATE_DIR": str(home / "state"),
                "CLICKUP_API_URL": simulator.url,
                "CLICKUP_API_TOKEN": config.token,
            }
        )
        port = free_port()
        log = home / "dev.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [str(CLI), "dev", "-h", "127.0.0.1", "-p", str(port)],
                cwd=home,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 240
            status = ("NOT STARTED", "")
            while status[0] != "LOADED":
                assert proc.poll() is None, (
                    f"`clickup-elt dev` exited ({proc.returncode}):\n{log.read_text()[-4000:]}"
                )
                assert time.monotonic() < deadline, f"code location {status}:\n{log.read_text()[-4000:]}"
                time.sleep(2)
                try:
                    status = location_status(base)
                except requests.RequestException:
                    pass
            # the community sign-up a first visit to a local UI shows, as if the user had skipped it
            graphql(base, "mutation { setNuxSeen }")
            yield Deployment(base, url)
        finally:
            stop_group(proc)


def test_demo_then_dev_from_a_plain_shell_in_the_browser(deployment, page, request):
    """One deployment (a demo sync and `dagster dev` take a minute) for every page a user opens."""
    code_location_loads_and_the_graph_shows_raw_and_mart_groups(deployment, page)
    png = request.config.getoption("--asset-graph-png", default=None)
    if png:
        save_asset_graph(page, deployment.base, Path(png))
    raw_tasks_show_last_load_metadata_and_checks(deployment, page)
    materializing_from_the_ui_builds_the_mart_in_a_run(deployment, page)


def code_location_loads_and_the_graph_shows_raw_and_mart_groups(deployment, page):
    from playwright.sync_api import expect

    page.goto(f"{deployment.base}/deployment/locations")
    row = page.locator("[class*=VirtualizedTable_row]").filter(has_text="clickup_elt")
    expect(row).to_contain_text(re.compile("Loaded|Failed"))
    if page.get_by_text("View error").count():
        page.get_by_text("View error").first.click()
        pytest.fail(f"the code location failed to load:\n{page.get_by_role('dialog').inner_text()[:3000]}")
    expect(row).to_contain_text("Loaded")

    page.goto(f"{deployment.base}/asset-groups")
    for group in ("clickup_raw", "staging", "intermediate", "marts"):
        expect(page.locator(f"[data-tooltip='{group}']")).to_be_visible()
    expect(page.get_by_text("Error loading")).to_have_count(0)
    expect(page.get_by_text("Empty graph")).to_have_count(0)


def save_asset_graph(page, base: str, path: Path) -> None:
    """The lineage of one mart back to the raw tables, every group open."""
    page.goto(f"{base}/asset-groups~%2Bkey%3A%22marts%2Ftask_cycle_times%22/")
    page.locator("[data-tooltip='marts']").wait_for()
    page.wait_for_timeout(1500)  # the layout settles once the statuses arrive
    page.mouse.click(800, 150, button="right")  # the graph's own menu, on an empty spot
    page.get_by_role("menuitem", name=re.compile("Expand all groups")).click()
    page.get_by_text("task_cycle_times").first.wait_for()
    page.wait_for_timeout(1500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def raw_tasks_show_last_load_metadata_and_checks(deployment, page):
    from playwright.sync_api import expect

    ((rows, requests_made),) = query(
        deployment.database_url,
        """
        select rows, requests from clickup_raw.sync_log
        where entity = 'tasks' and outcome = 'success' order by finished_at desc limit 1""",
    )

    page.goto(f"{deployment.base}/assets/clickup/tasks?view=events")
    metadata = page.locator("table", has=page.get_by_text("dagster/row_count", exact=True))
    for key, value in (("dagster/row_count", rows), ("requests", requests_made)):
        row = metadata.locator("tr", has=page.get_by_text(key, exact=True))
        expect(row.locator("td").nth(1)).to_have_text(str(value))

    page.goto(f"{deployment.base}/assets/clickup/tasks?view=checks")
    for check in ("unique_ids", "complete", "lists_known", "schema_drift"):
        # the list shows each check's name (its title) beside the outcome of its last run
        entry = page.get_by_title(check, exact=True).first.locator("xpath=..")
        expect(entry).to_contain_text("Succeeded")


def materializing_from_the_ui_builds_the_mart_in_a_run(deployment, page):
    from playwright.sync_api import expect

    page.goto(f"{deployment.base}/assets/marts/spaces")
    page.locator("button", has_text=re.compile(r"^Materialize$")).click()
    view = page.locator("a[href^='/runs/']", has_text="View")
    expect(page.get_by_text("Launched run")).to_be_visible()
    run_id = view.get_attribute("href").rsplit("/", 1)[-1]
    view.click()

    # queued, started by the daemon, then dbt builds the model in the run's own process
    outcome = page.get_by_text(re.compile(r"^(Success|Failure|Canceled)$")).first
    expect(outcome).to_be_visible(timeout=240_000)
    run = graphql(
        deployment.base,
        """query ($id: ID!) { runOrError(runId: $id) { ... on Run {
        status assetSelection { path } } } }""",
        id=run_id,
    )["runOrError"]
    assert (outcome.inner_text(), run["status"]) == ("Success", "SUCCESS"), run
    assert run["assetSelection"] == [{"path": ["marts", "spaces"]}]

    # the asset's latest materialization is that run's
    page.goto(f"{deployment.base}/assets/marts/spaces")
    expect(page.locator(f"a[href^='/runs/{run_id}']").first).to_be_visible()
