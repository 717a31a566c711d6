"""The Dagster UI and the code location's ticks with 1,000 workspaces.

1. An instance (Postgres storage in a scratch database, dagster.yaml as the project sets it up) gets
   1,000 workspace partitions and, through real runs, a materialization of every raw asset for each
   of them, with the results of its checks: `run_sync(full=True, build_dbt=False)` (the runs of
   `clickup-elt sync --full --skip-dbt`, one per job over the block of workspaces) against a
   simulator serving `--workspaces` small workspaces. Nothing is written behind Dagster's back.
2. dagster-webserver on that instance (no daemon, so nothing else runs meanwhile); headless Chromium
   (Debian's, driven by Playwright as tests/ui does) loads the asset page and the partitions page of
   clickup/tasks, timed until their content shows: cold (the first load after the webserver
   started, empty browser cache) and warm (loaded again). The goal is under 5 s each.
3. One evaluation of each sensor and schedule of the code location, through the webserver's dry-run
   API (the code server evaluates it against the instance, as a daemon tick does, minus launching
   its runs), compared with its interval; the dbt automation sensor, which the daemon evaluates
   itself, through `evaluate_automation_conditions`. Queries the instance's storage answered are
   counted from pg_stat_database where they are the only traffic.

Results: benchmarks/results/ui_pages.json. Postgres: TEST_DATABASE_URL or DATABASE_URL (a scratch
database is made and dropped), else the embedded server.

    .venv/bin/python benchmarks/ui_pages.py --workspaces 20     # quick
    .venv/bin/python benchmarks/ui_pages.py                     # 1,000 workspaces
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from dbt_build import admin, server_url
from report import RESULTS, new_report, write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/ui: no background traffic on a closed network, a fresh profile
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCATION = "clickup_elt"
REPOSITORY = "__repository__"
GOAL_SECONDS = 5.0
ASSET = "clickup/tasks"


# -- 1. the instance ---------------------------------------------------------------------------------


def simulator_config(workspaces: int, seed: int):
    """`workspaces` small workspaces behind one token: a space, a folder, two lists, five tasks each."""
    from clickup_simulator import SimulatorConfig

    return SimulatorConfig(
        seed=seed,
        workspaces=workspaces,
        tasks=5,
        spaces=1,
        folders=1,
        subfolders=0,
        lists=2,
        members=2,
        groups=1,
        goals=1,
        archived_spaces=0,
        archived_folders=0,
        archived_lists=0,
        rate_limit=0,
    )


def populate(real: int) -> dict:
    """Every workspace the simulator serves becomes a partition (discovery, as `sync` runs it); the
    first `real` are synced through the real runs of a full sync; each raw asset of the others gets
    the same materialization (metadata included) reported through the instance's API. Checks are
    recorded as the real runs record them: once per check and run, for the run's whole block of
    workspaces, so the reported materializations add none."""
    import dagster as dg

    from clickup_elt import settings, sync

    url = settings.prepare_environment()
    with dg.DagsterInstance.get() as instance:
        ids = [w.id for w in sync.discover_workspaces(instance, url).workspaces]
    started = time.perf_counter()
    result = sync.run_sync(full=True, workspace_ids=tuple(ids[:real]), build_dbt=False)
    synced = time.perf_counter() - started
    if not result.success:
        raise SystemExit("; ".join(result.failures))
    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        sync.keep_storage_connections(instance)
        real_events = sum(len(instance.get_records_for_run(run_id).records) for _, run_id, _ in result.runs)
        reported = report_like(instance, ids[0], ids[real:])
    return {
        "how": (
            f"{real} workspaces through real runs (run_sync(full=True, build_dbt=False) against the "
            f"simulator); the materializations of the other {len(ids) - real} reported through "
            "DagsterInstance.report_runless_asset_event with the real ones' metadata"
        ),
        "workspaces": len(ids),
        "real_runs": [job for job, _, _ in result.runs],
        "real_run_events": real_events,
        "real_sync_seconds": round(synced, 1),
        "reported_materializations": reported,
        "report_seconds": round(time.perf_counter() - started, 1),
    }


def report_like(instance, model: str, workspaces: list[str]) -> int:
    """For each raw asset, workspace `model`'s latest materialization reported for `workspaces`."""
    import dagster as dg

    count = 0
    for key in sorted(instance.get_asset_keys(), key=lambda k: k.to_user_string()):
        if key.path[0] != "clickup":
            continue
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=[model]), limit=1
        ).records
        if not records:
            continue
        metadata = records[0].asset_materialization.metadata
        for ws in workspaces:
            instance.report_runless_asset_event(dg.AssetMaterialization(key, partition=ws, metadata=metadata))
            count += 1
    return count


def instance_counts(url: str) -> dict:
    """What the UI's queries read: partitions, events, materializations and check executions."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        counts = {}
        for label, sql in (
            ("dynamic_partitions", "select count(*) from dynamic_partitions"),
            ("event_log_rows", "select count(*) from event_logs"),
            (
                "materializations",
                "select count(*) from event_logs where dagster_event_type = 'ASSET_MATERIALIZATION'",
            ),
            (
                "tasks_materializations",
                "select count(*) from event_logs where dagster_event_type = 'ASSET_MATERIALIZATION' "
                'and asset_key = \'["clickup", "tasks"]\'',
            ),
            ("check_executions", "select count(*) from asset_check_executions"),
        ):
            cur.execute(sql)
            counts[label] = cur.fetchone()[0]
    conn.close()
    return counts


# -- 2. the pages ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(base: str, text: str, **variables) -> dict:
    answer = requests.post(f"{base}/graphql", json={"query": text, "variables": variables}, timeout=600)
    answer.raise_for_status()
    body = answer.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


@contextlib.contextmanager
def webserver(log: Path):
    """dagster-webserver on the instance in DAGSTER_HOME, until the code location has loaded."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("dagster-webserver")),
        "-w",
        str(ROOT / "workspace.yaml"),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
    ]
    env = {**os.environ, "DAGSTER_TELEMETRY_DISABLED": "1"}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"dagster-webserver exited:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the code location did not load:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(requests.RequestException):
                data = graphql(
                    base,
                    "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }",
                )
                entries = data["workspaceOrError"]["locationEntries"]
                if any(e["name"] == LOCATION and e["loadStatus"] == "LOADED" for e in entries):
                    break
            time.sleep(1)
        graphql(base, "mutation { setNuxSeen }")  # the sign-up dialog a first visit shows
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def asset_page_shown(page, workspaces: int) -> None:
    """The asset page of clickup/tasks: its latest materialization, row count and metadata table."""
    page.get_by_text("Latest materialization", exact=True).first.wait_for()
    page.get_by_text("Row count", exact=True).first.wait_for()
    page.get_by_text("rate_limit_waits", exact=True).first.wait_for()


def locations_page_shown(page, workspaces: int) -> None:
    """The code locations page, which reads no asset: what any first visit costs (the UI's scripts,
    the workspace), for comparison."""
    page.get_by_text(LOCATION, exact=True).first.wait_for()
    page.get_by_text("Loaded", exact=True).first.wait_for()


def partitions_page_shown(page, workspaces: int, first_key: str) -> None:
    """The partitions page: how many workspace keys are materialized, and the list of them."""
    page.get_by_text(f"Materialized ({workspaces})", exact=True).first.wait_for()
    page.get_by_text(first_key, exact=True).first.wait_for()


def slowest(requests_done: list, count: int = 4) -> list[dict]:
    """The GraphQL operations the page waited longest for (milliseconds from sending to the answer)."""
    timed = []
    for request in requests_done:
        body = request.post_data_json or {}
        timing = request.timing
        timed.append(
            {
                "operation": body.get("operationName") or "?",
                "ms": round(timing["responseEnd"] - timing["requestStart"]),
            }
        )
    return sorted(timed, key=lambda t: -t["ms"])[:count]


@contextlib.contextmanager
def browser(playwright):
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1600, "height": 1000},
        )
        context.set_default_timeout(300_000)
        try:
            yield context
        finally:
            context.close()


def time_page(context, base: str, name: str, url: str, shown, state: str) -> dict:
    """One load of a page until `shown` finds its content."""
    page = context.new_page()
    queries: list = []
    page.on("requestfinished", lambda r: queries.append(r) if "/graphql" in r.url else None)
    started = time.perf_counter()
    page.goto(url)
    shown(page)
    seconds = time.perf_counter() - started
    page.close()
    print(f"   {name:<16} {state:<5} {seconds:6.2f} s ({len(queries)} GraphQL requests)")
    return {
        "page": name,
        "url": url.removeprefix(base),
        "load": state,
        "seconds": round(seconds, 2),
        "graphql_requests": len(queries),
        "slowest_graphql": slowest(queries),
        "goal_met": seconds < GOAL_SECONDS,
    }


def time_pages(base: str, workspaces: int, first_key: str) -> list[dict]:
    """Each page cold (a fresh browser profile: the UI's scripts too are fetched again) then warm
    (loaded again in that browser). The code locations page goes first: it reads no asset, so its
    cold load is what any first visit costs, and the asset pages find the webserver started."""
    from playwright.sync_api import sync_playwright

    pages = (
        ("locations page", f"{base}/deployment/locations", lambda p: locations_page_shown(p, workspaces)),
        ("asset page", f"{base}/assets/{ASSET}", lambda p: asset_page_shown(p, workspaces)),
        (
            "partitions page",
            f"{base}/assets/{ASSET}?view=partitions",
            lambda p: partitions_page_shown(p, workspaces, first_key),
        ),
    )
    rows = []
    with sync_playwright() as playwright:
        for name, url, shown in pages:
            with browser(playwright) as context:  # cold: a fresh profile, nothing cached
                for state in ("cold", "warm"):
                    rows.append(time_page(context, base, name, url, shown, state))
    return rows


# -- 3. the ticks ------------------------------------------------------------------------------------

TICK = """
mutation ($selector: %(input)s!%(variables)s) {
  %(field)s(selectorData: $selector, %(argument)s) {
    __typename
    ... on DryRunInstigationTick {
      evaluationResult { runRequests { runKey } skipReason error { message } }
    }
    ... on PythonError { message }
  }
}
"""


def instigators(base: str) -> list[dict]:
    data = graphql(
        base,
        """query ($selector: RepositorySelector!) { repositoryOrError(repositorySelector: $selector) {
        ... on Repository { sensors { name sensorType minIntervalSeconds }
                            schedules { name cronSchedule } } } }""",
        selector={"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY},
    )["repositoryOrError"]
    return [{"kind": "sensor", **s} for s in data["sensors"]] + [
        {"kind": "schedule", **s} for s in data["schedules"]
    ]


def interval_seconds(instigator: dict) -> float:
    """How often it ticks: a sensor's minimum interval; for a schedule, the period its cron fields
    fix (a weekday: weekly; an hour: daily; a minute: hourly). The project's crons are all of these."""
    if instigator["kind"] == "sensor":
        return float(instigator["minIntervalSeconds"])
    minute, hour, day, month, weekday = instigator["cronSchedule"].split()
    if weekday != "*":
        return 7 * 86400.0
    if day != "*" or month != "*":
        raise ValueError(f"no period for cron {instigator['cronSchedule']!r}")
    return 86400.0 if hour != "*" else 3600.0 if minute != "*" else 60.0


def dry_run(base: str, instigator: dict) -> dict:
    kind = instigator["kind"]
    selector = {
        "repositoryLocationName": LOCATION,
        "repositoryName": REPOSITORY,
        f"{kind}Name": instigator["name"],
    }
    sensor = kind == "sensor"
    text = TICK % {
        "input": "SensorSelector" if sensor else "ScheduleSelector",
        "variables": "" if sensor else ", $timestamp: Float",
        "field": f"{kind}DryRun",
        "argument": "cursor: null" if sensor else "timestamp: $timestamp",
    }
    variables = {"selector": selector} if sensor else {"selector": selector, "timestamp": time.time()}
    started = time.perf_counter()
    answer = graphql(base, text, **variables)[f"{kind}DryRun"]
    seconds = time.perf_counter() - started
    result = answer.get("evaluationResult") or {}
    error = (result.get("error") or {}).get("message") or answer.get("message")
    return {
        "seconds": round(seconds, 2),
        "run_requests": len(result.get("runRequests") or []),
        "skip_reason": result.get("skipReason"),
        "error": error.strip().splitlines()[0][:300] if error else None,
    }


def once(read, cache: dict, partitions_def_name: str) -> list[str]:
    if partitions_def_name not in cache:
        cache[partitions_def_name] = read(partitions_def_name)
    return cache[partitions_def_name]


def automation_tick(name: str) -> dict:
    """One tick of an automation sensor, which the daemon evaluates itself (not the code server):
    its assets' conditions evaluated against the instance, first without a cursor (the sensor's
    first tick), then again from the cursor that left (every later tick). Dagster's default sensor
    covers the assets with a condition that no sensor of the project targets. The workspace keys
    are read once per evaluation, as the daemon's tick reads them (through its caching queryer):
    `evaluate_automation_conditions` alone reads all of them again for every condition node it
    writes into the cursor, which would be most of what is measured here."""
    import dagster as dg

    from clickup_elt.definitions import defs as load_defs

    defs = load_defs()
    ours = [s for s in defs.sensors or () if isinstance(s, dg.AutomationConditionSensorDefinition)]
    mine = [s for s in ours if s.name == name]
    if mine:
        selection = mine[0].asset_selection
    else:
        selection = dg.AssetSelection.all()
        for sensor in ours:
            selection = selection - sensor.asset_selection
    seconds = []
    cursor = None
    with dg.DagsterInstance.get() as instance:
        read_keys = instance.get_dynamic_partitions
        for _ in range(2):
            instance.get_dynamic_partitions = functools.partial(once, read_keys, {})  # type: ignore[method-assign]
            started = time.perf_counter()
            result = dg.evaluate_automation_conditions(
                defs=defs, instance=instance, asset_selection=selection, cursor=cursor
            )
            seconds.append(time.perf_counter() - started)
            cursor = result.cursor
    return {
        "seconds": round(seconds[1], 2),
        "first_tick_seconds": round(seconds[0], 2),
        "assets_evaluated": len(result.results),
        "run_requests": result.total_requested,
        "error": None,
    }


def time_ticks(base: str) -> list[dict]:
    rows = []
    for instigator in instigators(base):
        row = {
            "kind": instigator["kind"],
            "name": instigator["name"],
            "interval_seconds": interval_seconds(instigator),
        }
        if instigator.get("sensorType") in ("AUTOMATION", "AUTO_MATERIALIZE"):
            row |= {
                "how": "evaluate_automation_conditions (a later tick)",
                **automation_tick(instigator["name"]),
            }
        else:
            row |= {"how": "dry run through the webserver", **dry_run(base, instigator)}
        row["share_of_interval"] = round(row["seconds"] / row["interval_seconds"], 4)
        rows.append(row)
        print(
            f"   {row['kind']:<8} {row['name']:<34} {row['seconds']:7.2f} s "
            f"of {row['interval_seconds']:>6.0f} s"
            f" ({row['share_of_interval']:.1%}), {row['run_requests']} run requests"
            + (f", error: {row['error']}" if row.get("error") else "")
        )
    return rows


# -- the whole -----------------------------------------------------------------------------------------


def first_workspace(url: str) -> str:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select partition from dynamic_partitions order by id limit 1")
        key = cur.fetchone()[0]
    conn.close()
    return key


def main() -> None:
    from clickup_elt import settings
    from clickup_simulator import Simulator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--real", type=int, default=20, help="workspaces synced through real runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="leave the scratch database and print its URL")
    parser.add_argument("--skip-pages", action="store_true", help="only the ticks (no browser)")
    parser.add_argument(
        "--database", help="a database an earlier --keep run populated (same --workspaces and --seed)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "ui_pages.json")
    args = parser.parse_args()
    if not args.skip_pages and not CHROMIUM.exists():
        raise SystemExit(f"no {CHROMIUM}: install Debian's chromium package (make chromium)")
    report = new_report("ui_pages", workspaces=args.workspaces, seed=args.seed, goal_seconds=GOAL_SECONDS)
    base = server_url()
    name = args.database.rpartition("/")[2] if args.database else f"clickup_bench_ui_{uuid.uuid4().hex[:6]}"
    if not args.database:
        admin(base, f'create database "{name}"')
    url = base.rpartition("/")[0] + "/" + name
    home = tempfile.TemporaryDirectory(prefix="dagster_home_")
    os.environ.update(DATABASE_URL=url, DAGSTER_HOME=home.name, DAGSTER_TELEMETRY_DISABLED="1")
    for variable in ("CLICKUP_WORKSPACE_IDS", "CLICKUP_START_DATE"):
        os.environ.pop(variable, None)
    try:
        config = simulator_config(args.workspaces, args.seed)
        with Simulator(config).serve() as simulator:
            os.environ.update(CLICKUP_API_URL=simulator.url, CLICKUP_API_TOKEN=config.token)
            print(
                f"== 1. {args.workspaces} workspaces: {args.real} synced through real runs, the rest reported"
            )
            if args.database:
                settings.prepare_environment()
                report["instance"] = {"how": f"populated by an earlier run, kept ({name})"}
            else:
                report["instance"] = populate(args.real)
            report["instance"] |= instance_counts(url)
            print(f"   {report['instance']}")
            with webserver(Path(tempfile.gettempdir()) / f"{name}-webserver.log") as web:
                if not args.skip_pages:
                    print(f"\n== 2. {ASSET} in Chromium (goal: under {GOAL_SECONDS:.0f} s)")
                    report["pages"] = time_pages(web, args.workspaces, first_workspace(url))
                print("\n== 3. one evaluation of each sensor and schedule against the instance")
                report["ticks"] = time_ticks(web)
        report["load_average_at_end"] = os.getloadavg()
    finally:
        if args.keep or args.database:
            print(f"kept {url} (DAGSTER_HOME {home.name} removed)")
        else:
            admin(base, f'drop database if exists "{name}" with (force)')
        home.cleanup()
    write_report(report, args.out)


if __name__ == "__main__":
    main()
