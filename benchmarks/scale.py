"""Many workspaces on many tokens synced through the Celery profile, with 1 worker and then with 2.

The simulator runs in its own process (`clickup-elt simulator`, clock pinned at noon UTC today)
serving WORKSPACES workspaces of mixed sizes (task counts drawn log-uniformly between --min-tasks
and --max-tasks, so most are small and a few large, as in a real deployment) on TOKENS tokens of
their owner (token k reaching every TOKENS-th workspace), each token in its own rate-limit window
of --rate-limit requests per --rate-window seconds, and with --latency-ms added to every answer
(100 ms: about ClickUp's own), so the sync waits on the network as it does against ClickUp.

For each worker count, on a fresh warehouse, a fresh Dagster instance database and a Redis database
of its own, N `clickup-elt worker --concurrency 1` processes start (CLICKUP_EXECUTOR=celery), and
every workspace gets its full sync, its steps running on the workers:

- `--driver runs` (default): one full sync per workspace, as a deployment's daemon runs what the
  discovery sensor asks for a new workspace (its workspace run, then its daily run), at most
  --runs-at-once runs at once and one per token at a time (scale_runs: long-lived processes stand in
  for the run processes the daemon would start; what one costs to start is measured apart);
- `--driver sync`: `clickup-elt sync --full --skip-dbt`, every workspace in one run per job.

Figures per worker count: seconds, workspaces and tasks per hour, requests per second of each token
against its limit and the 429s it earned (the simulator's own counters), peak RSS of every worker
(its main process, the pool process that runs the steps, both) and of the orchestrating processes,
the most Postgres connections each of them held at once, CPU seconds of each and of the simulator,
completeness of every raw table against the simulator's ground truth (records missing, unexpected,
duplicated), and the size of the warehouse and of the Dagster instance database afterwards (per
workspace and per 1,000 tasks); then the ratio of the two throughputs. Goals: no 429 (the sync paces
on the rate-limit headers), 100% complete, 2 workers at least 1.7 times as fast as 1 while the
tokens are not the bottleneck: the default limit (10,000 per minute, ClickUp's highest plan) is far
above what a token's one step at a time spends at 100 ms per answer, and there are more tokens than
runs at once. Seconds depend on the machine and its load: the report records the load average before
and after each run.

    .venv/bin/python benchmarks/scale.py            # 200 workspaces of 500..20,000 tasks on 20 tokens
    .venv/bin/python benchmarks/scale.py --workspaces 24 --tokens 12 --min-tasks 200 --max-tasks 2000

Postgres: TEST_DATABASE_URL or DATABASE_URL (scratch databases are made and dropped), else the
embedded server. Redis: 127.0.0.1:6379 (a database claimed for the run). Results:
benchmarks/results/scale.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
import scale_procs as procs
import scale_runs as runs
from dbt_build import admin, dbt_build, server_url
from report import RESULTS, new_report, write_report
from scale_truth import completeness, expected_ids, stored_ids

SYNC_TIMEOUT_S = 6 * 3600


def workspace_sizes(count: int, low: int, high: int, seed: int) -> list[int]:
    """Task counts drawn log-uniformly from low..high: many small workspaces, a few large ones."""
    draw = random.Random(seed)
    return [round(math.exp(draw.uniform(math.log(low), math.log(high)))) for _ in range(count)]


def noon_today_ms() -> int:
    today = dt.datetime.now(dt.timezone.utc).date()
    return int(dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.timezone.utc).timestamp() * 1000)


def simulator_options(args: argparse.Namespace, sizes: list[int]) -> list[str]:
    return [
        *("--seed", str(args.seed), "--workspace-tasks", ",".join(map(str, sizes))),
        *("--shared-tokens", str(args.tokens), "--rate-limit", str(args.rate_limit)),
        *("--rate-window", str(args.rate_window), "--latency-ms", str(args.latency_ms)),
        *("--now-ms", str(noon_today_ms())),
    ]


def shared_tokens(control: str) -> list[dict]:
    """The owner's tokens the simulator splits the workspaces over (token, fingerprint, workspaces)."""
    found = requests.get(f"{control}/tokens", timeout=60).json()
    return [t for t in found if t["kind"] == "shared"]


@contextlib.contextmanager
def scratch_database(base: str, role: str) -> Iterator[str]:
    name = f"clickup_bench_scale_{role}_{uuid.uuid4().hex[:6]}"
    admin(base, f'create database "{name}"')
    try:
        yield base.rpartition("/")[0] + "/" + name
    finally:
        admin(base, f'drop database if exists "{name}" with (force)')


def database_mb(url: str) -> float:
    return round(_scalar(url, "select pg_database_size(current_database())") / 2**20, 1)


def schemas_mb(url: str, schemas: tuple[str, ...]) -> float:
    """Tables, indexes and TOAST of the schemas, in MB."""
    sql = (
        "select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c "
        "join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'm') "
        "and n.nspname = any(%s)"
    )
    return round(_scalar(url, sql, (list(schemas),)) / 2**20, 1)


def _scalar(url: str, sql: str, params: tuple = ()) -> int:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return int(cur.fetchone()[0])
    finally:
        conn.close()


def environment(api: str, tokens: list[dict], warehouse: str, instance: str, broker: str, home: Path) -> dict:
    """What the workers and the sync share: the tokens, both databases, the broker."""
    env = {
        **os.environ,
        "CLICKUP_API_URL": f"{api}/api/v2",
        "CLICKUP_API_TOKEN": ",".join(t["token"] for t in tokens),
        "DATABASE_URL": warehouse,
        "DAGSTER_PG_DB": instance.rpartition("/")[2],
        "DAGSTER_HOME": str(home),
        "DAGSTER_TELEMETRY_DISABLED": "1",
        "CLICKUP_EXECUTOR": "celery",
        "CLICKUP_CELERY_BROKER": broker,
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("CLICKUP_WORKSPACE_IDS", "DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_USER"):
        env.pop(name, None)
    return env


def per_token(stats: dict, tokens: list[dict], seconds: float, limit: int, window_s: float) -> list[dict]:
    """Requests, requests per second and 429s of each token, against its limit per second."""
    rows = []
    for token in tokens:
        served = stats["by_token"].get(token["fingerprint"], {"requests": 0, "statuses": {}})
        rows.append(
            {
                "token": token["fingerprint"],
                "workspaces": len(token["workspace_ids"]),
                "requests": served["requests"],
                "per_s": round(served["requests"] / seconds, 2),
                "limit_per_s": round(limit / window_s, 2) if limit else None,
                "429s": int(served["statuses"].get("429", 0)),
            }
        )
    return rows


@contextlib.contextmanager
def environ(env: dict[str, str]) -> Iterator[None]:
    """This process's environment replaced by `env` (the orchestrating processes inherit it)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def drive_runs(args, env: dict, folder: Path, sampler: procs.Sampler, ready: Callable[[], None]) -> dict:
    """Each workspace's full sync in runs of its own, as the daemon starts them (scale_runs)."""
    with environ(env):
        workspaces = runs.discover(folder / "discover.log")
        ready()
        clock: list[float] = []

        def started(pids: list[int]) -> None:
            for n, pid in enumerate(pids, 1):
                sampler.watch(f"orchestrator{n}", pid)
            clock.append(time.perf_counter())

        outcomes = runs.sync_all(workspaces, args.runs_at_once, folder / "orchestrators.log", started)
    failed = [(o.workspace, job, run) for o in outcomes for job, run, ok in o.runs if not ok]
    return {
        "seconds": time.perf_counter() - clock[0],
        "runs": sum(len(o.runs) for o in outcomes),
        "failed_runs": failed,
        "seconds_per_workspace_sync": sorted(round(o.seconds, 1) for o in outcomes),
        "log_tail": _tail(folder / "orchestrators.log") if failed else None,
    }


def drive_sync(args, env: dict, folder: Path, sampler: procs.Sampler, ready: Callable[[], None]) -> dict:
    """`clickup-elt sync --full --skip-dbt`: every workspace in one run per job (README, Running at
    scale)."""
    ready()
    clock = time.perf_counter()
    with open(folder / "sync.log", "w") as out:
        sync = subprocess.Popen(
            [str(procs.CLI), "sync", "--full", "--skip-dbt"],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    sampler.watch("sync", sync.pid)
    code = sync.wait(timeout=SYNC_TIMEOUT_S)
    return {
        "seconds": time.perf_counter() - clock,
        "sync_exit_code": code,
        "log_tail": None if code == 0 else _tail(folder / "sync.log"),
    }


DRIVERS = {"runs": drive_runs, "sync": drive_sync}


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


def measure(
    args, workers: int, base: str, api: tuple[str, int], tokens: list[dict], sizes: list[int]
) -> dict:
    """One full sync of every workspace on `workers` workers, on fresh databases. `api`: the
    simulator's base URL and process id."""
    api, simulator_pid = api
    control = f"{api}/_sim"
    with (
        tempfile.TemporaryDirectory(prefix="bench_scale_") as scratch,
        scratch_database(base, "wh") as warehouse,
        scratch_database(base, "dg") as instance,
        procs.redis_database() as broker,
    ):
        folder = Path(scratch)
        empty_mb = database_mb(warehouse)
        env = environment(api, tokens, warehouse, instance, broker, folder / "home")
        started: dict[str, subprocess.Popen] = {}
        load_before: list[tuple[float, float, float]] = []

        def ready() -> None:
            """Workers up, and the simulator's counters and windows fresh, as the clock starts."""
            started.update({f"w{n}": procs.start_worker(f"w{n}", env, folder) for n in range(1, workers + 1)})
            procs.wait_ready(started, folder)
            for name, proc in started.items():
                sampler.watch(name, proc.pid)
            requests.post(f"{control}/rate_limit/reset", timeout=30).raise_for_status()
            requests.post(f"{control}/stats/reset", timeout=30).raise_for_status()
            load_before.append(os.getloadavg())

        try:
            postgres_port = urlsplit(base).port or 5432
            with procs.Sampler({"simulator": simulator_pid}, postgres_port=postgres_port) as sampler:
                driven = DRIVERS[args.driver](args, env, folder, sampler, ready)
                cpu = sampler.cpu_s()
        finally:
            for proc in started.values():
                procs.stop(proc)
        figures = {"workers": workers, **driven}
        figures.update(throughput(args, figures.pop("seconds"), sizes, tokens, control))
        figures.update(memory(sampler, cpu, started))
        figures["steps_per_worker"] = {name: procs.steps_run(folder / f"{name}.log") for name in started}
        figures["run_process_start"] = runs.run_process_start(env)
        figures["completeness"] = completeness(
            expected_ids(control, [w for t in tokens for w in t["workspace_ids"]]), stored_ids(warehouse)
        )
        figures["databases"] = sizes_of(warehouse, instance, empty_mb, len(sizes), sum(sizes))
        if args.dbt and workers == args.workers[-1]:
            figures["databases_after_dbt"] = with_marts(warehouse, instance, empty_mb, sizes, folder)
        figures["load_average"] = {"before": load_before[0], "after": os.getloadavg()}
        return figures


def throughput(args, seconds: float, sizes: list[int], tokens: list[dict], control: str) -> dict:
    stats = requests.get(f"{control}/stats", timeout=60).json()
    return {
        "seconds": round(seconds, 1),
        "workspaces_per_hour": round(len(sizes) * 3600 / seconds, 1),
        "tasks_per_hour": round(sum(sizes) * 3600 / seconds),
        "requests": stats["total"]["requests"],
        "requests_per_s": round(stats["total"]["requests"] / seconds, 1),
        "429s": int(stats["total"]["statuses"].get("429", 0)),
        "tokens": per_token(stats, tokens, seconds, args.rate_limit, args.rate_window),
    }


def memory(sampler: procs.Sampler, cpu: dict[str, float], workers: dict) -> dict:
    """Peak RSS of each worker (main process, the pool process running the steps, both) and of the
    processes orchestrating the runs; the most Postgres connections each held at once; CPU seconds
    of each."""
    others = [name for name in sampler.roots if name not in workers]
    return {
        "peak_rss_mb_per_worker": {name: sampler.figures(name) for name in workers},
        "peak_rss_mb_other_processes": {name: sampler.figures(name)["tree"] for name in others},
        "peak_postgres_connections": dict(sampler.peak_connections),
        "cpu_s": cpu,
    }


def sizes_of(warehouse: str, instance: str, empty_mb: float, workspaces: int, tasks: int) -> dict:
    """Warehouse (raw tables, dbt's tables) and Dagster instance sizes, per workspace and per 1,000
    tasks; the databases' own sizes count an empty database's `empty_mb` once."""
    raw = schemas_mb(warehouse, ("clickup_raw",))
    marts = schemas_mb(warehouse, ("clickup_staging", "clickup"))
    dagster = database_mb(instance) - empty_mb
    return {
        "warehouse_mb": database_mb(warehouse),
        "raw_tables_mb": raw,
        "dbt_tables_mb": marts,
        "dagster_instance_mb": database_mb(instance),
        "empty_database_mb": empty_mb,
        "warehouse_mb_per_workspace": round((raw + marts) / workspaces, 3),
        "warehouse_mb_per_1000_tasks": round((raw + marts) * 1000 / tasks, 3),
        "dagster_mb_per_workspace": round(dagster / workspaces, 3),
        "dagster_mb_per_1000_tasks": round(dagster * 1000 / tasks, 3),
    }


def with_marts(warehouse: str, instance: str, empty_mb: float, sizes: list[int], folder: Path) -> dict:
    """`dbt build` over the synced raw tables, then the sizes again: the warehouse a deployment keeps."""
    seconds, _ = dbt_build(warehouse, folder / "dbt_target")
    after = sizes_of(warehouse, instance, empty_mb, len(sizes), sum(sizes))
    return {"dbt_build_s": round(seconds, 1), **after}


def summary(run: dict) -> str:
    tokens = run["tokens"]
    rates = [t["per_s"] for t in tokens]
    done = run["completeness"]
    return (
        f"{run['workers']} worker(s): {run['seconds']} s, {run['workspaces_per_hour']} workspaces/h, "
        f"{run['tasks_per_hour']} tasks/h, {run['requests']} requests ({run['requests_per_s']}/s), "
        f"per token {min(rates)}..{max(rates)} req/s of {tokens[0]['limit_per_s']} allowed, "
        f"{run['429s']} 429s, peak RSS per worker "
        f"{ {name: w['tree'] for name, w in run['peak_rss_mb_per_worker'].items()} } MB, "
        f"Postgres connections {run['peak_postgres_connections']}, "
        f"{done['complete_percent']}% complete ({done['missing']} missing, {done['duplicated']} duplicated), "
        f"failed runs {run.get('failed_runs', run.get('sync_exit_code'))}"
    )


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--tokens", type=int, default=20)
    parser.add_argument("--min-tasks", type=int, default=500)
    parser.add_argument("--max-tasks", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--driver", choices=sorted(DRIVERS), default="runs")
    parser.add_argument("--runs-at-once", type=int, default=8, help="runs going at once (driver runs)")
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--rate-limit", type=int, default=10_000, help="per token and window; 0 = none")
    parser.add_argument("--rate-window", type=float, default=60.0, help="seconds")
    parser.add_argument("--no-dbt", dest="dbt", action="store_false", help="skip the marts' size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.json")
    return parser.parse_args()


def main() -> None:
    args = parse()
    sizes = workspace_sizes(args.workspaces, args.min_tasks, args.max_tasks, args.seed)
    report = new_report(
        "scale",
        workspaces=args.workspaces,
        tokens=args.tokens,
        tasks=sum(sizes),
        tasks_per_workspace={"min": min(sizes), "max": max(sizes), "mean": round(sum(sizes) / len(sizes))},
        workspace_tasks=sizes,
        driver=args.driver,
        runs_at_once=args.runs_at_once if args.driver == "runs" else None,
        worker_concurrency=1,
        latency_ms=args.latency_ms,
        rate_limit={"requests": args.rate_limit, "window_s": args.rate_window},
        runs=[],
    )
    base = server_url()
    with tempfile.TemporaryDirectory(prefix="bench_scale_sim_") as folder:
        process, api = procs.start_simulator(simulator_options(args, sizes), Path(folder) / "simulator.log")
        try:
            tokens = shared_tokens(f"{api}/_sim")
            for workers in args.workers:
                run = measure(args, workers, base, (api, process.pid), tokens, sizes)
                report["runs"].append(run)
                print(summary(run), flush=True)
        finally:
            process.terminate()
            process.wait(timeout=60)
    runs = {run["workers"]: run for run in report["runs"]}
    if 1 in runs and 2 in runs:
        report["two_workers_to_one"] = round(runs[1]["seconds"] / runs[2]["seconds"], 2)
        print(f"2 workers / 1 worker throughput: {report['two_workers_to_one']}")
    write_report(report, args.out)


if __name__ == "__main__":
    main()
