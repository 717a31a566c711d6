"""How long `dbt build` takes at 100,000 and 1,000,000 tasks.

For each size: a fresh database, raw tables loaded straight from the simulator's ground truth (no HTTP),
then a full `dbt build` (every model from scratch, all tests), then an incremental `dbt build` after a
typical hourly sync (the latest day of tasks re-loaded, 1% of the tasks changed). Prints the seconds and
writes them, with the slowest models, to benchmarks/results/dbt_build-<time>.json.

    .venv/bin/python benchmarks/dbt_build.py                 # 100000 and 1000000 tasks
    .venv/bin/python benchmarks/dbt_build.py --tasks 20000   # a quick run

The server is TEST_DATABASE_URL or DATABASE_URL (any database on it; a scratch database is created and
dropped), else the embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clickup_elt import settings
from clickup_elt.dbt_cli import dbt_executable
from clickup_elt.paths import DBT_PROJECT_DIR
from clickup_elt.warehouse.db import connection, ensure_raw_schema, libpq_url
from report import RESULTS, new_report, write_report
from truth_load import load_workspace, touch_latest_tasks

DBT = dbt_executable()


def shape(tasks: int) -> dict:
    """A workspace shaped like a real one of that size: more lists and people as it grows."""
    lists = max(24, tasks // 500)
    return dict(
        tasks=tasks,
        spaces=max(4, lists // 50),
        folders=max(8, lists // 5),
        lists=lists,
        members=max(12, tasks // 2000),
        rate_limit=0,
    )


def server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return libpq_url(url)
    from clickup_elt.warehouse.embedded import EmbeddedPostgres

    return EmbeddedPostgres().ensure_running().url("postgres")


def admin(url: str, statement: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(statement)
    conn.close()


def dbt_build(url: str, target: Path, *extra: str) -> tuple[float, list[dict]]:
    env = {**os.environ, **settings.dbt_env(url), "CLICKUP_READER_ROLE": "clickup_reader_benchmark"}
    started = time.perf_counter()
    proc = subprocess.run(
        [
            DBT,
            "--no-use-colors",
            "build",
            *extra,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(target),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-6000:] + proc.stderr[-2000:])
        raise SystemExit(f"dbt build failed ({proc.returncode})")
    results = json.loads((target / "run_results.json").read_text())["results"]
    return seconds, results


def slowest(results: list[dict], count: int = 12) -> dict[str, float]:
    timed = sorted(
        ((r["execution_time"], r["unique_id"]) for r in results if r["unique_id"].startswith("model.")),
        reverse=True,
    )
    return {uid.split(".")[-1]: round(seconds, 2) for seconds, uid in timed[:count]}


def run_size(tasks: int, base_url: str, seed: int, keep: bool = False) -> dict:
    from clickup_simulator import Simulator, SimulatorConfig

    name = f"clickup_bench_{tasks}_{uuid.uuid4().hex[:6]}"
    admin(base_url, f'create database "{name}"')
    url = base_url.rpartition("/")[0] + "/" + name
    target = ROOT / "benchmarks" / "results" / f"dbt_target_{name}"
    try:
        ensure_raw_schema(url)
        started = time.perf_counter()
        sim = Simulator(SimulatorConfig(seed=seed, **shape(tasks)))
        generated = time.perf_counter() - started
        started = time.perf_counter()
        rows = {}
        with connection(url) as conn:
            for ws in sim.truth.workspace_ids():
                rows = load_workspace(conn, sim, ws)
        loaded = time.perf_counter() - started
        admin(url, "vacuum analyze")
        print(
            f"{tasks:>9} tasks: generated in {generated:.0f} s, raw rows loaded in {loaded:.0f} s ({rows})",
            flush=True,
        )

        full_seconds, full_results = dbt_build(url, target)
        print(f"{tasks:>9} tasks: full dbt build {full_seconds:.1f} s", flush=True)

        with connection(url) as conn:
            touched = sum(touch_latest_tasks(conn, sim, ws, share=0.01) for ws in sim.truth.workspace_ids())
        incremental_seconds, incremental_results = dbt_build(url, target)
        print(
            f"{tasks:>9} tasks: dbt build after an hourly sync ({touched} tasks re-loaded) "
            f"{incremental_seconds:.1f} s",
            flush=True,
        )
        return {
            "tasks": tasks,
            "shape": shape(tasks),
            "raw_rows": rows,
            "generate_seconds": round(generated, 1),
            "load_seconds": round(loaded, 1),
            "full_build_seconds": round(full_seconds, 1),
            "full_build_slowest_models": slowest(full_results),
            "incremental_touched_tasks": touched,
            "incremental_build_seconds": round(incremental_seconds, 1),
            "incremental_build_slowest_models": slowest(incremental_results),
        }
    finally:
        if keep:
            print(f"{tasks:>9} tasks: kept the database {url}", flush=True)
        else:
            admin(base_url, f'drop database if exists "{name}" with (force)')
        subprocess.run(["rm", "-rf", str(target)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", action="store_true", help="keep each scratch database (to look at query plans)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "1")
    base = server_url()
    report = new_report("dbt_build")
    report["runs"] = [run_size(n, base, args.seed, args.keep) for n in args.tasks]
    write_report(report, RESULTS / f"dbt_build-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}.json")


if __name__ == "__main__":
    main()
