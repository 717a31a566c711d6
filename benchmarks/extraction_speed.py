"""Tasks extracted and loaded per second, the memory it takes, and a bare COPY of the same JSON.

For each size the simulator runs in its own process (`clickup-elt simulator`, no rate limit, clock
pinned at noon UTC today, its default workspace shape for that many tasks), so its memory and CPU are
its own (it is stopped if it grows past SIMULATOR_MAX_MB: the machine is shared).
This process then, in a scratch database:

1. reads spaces, folders and lists through the extractors and loads them, to know the archived
   lists as the tasks asset does (not timed);
2. extracts and loads every task through the asset's own code: `clickup_elt.clickup.extract.tasks.tasks`
   over every day since the start date (the keyset walk of the workspace endpoint, both `archived`
   values, then the archived lists) streamed into `clickup_elt.warehouse.load.replace_rows` (COPY into
   a temporary table, then the covered partitions replaced in one transaction). Timed; the process's
   RSS high-water mark is reset just before (/proc/self/clear_refs) and read after (VmHWM);
3. copies the loaded records (id and JSON) out to a file and loads that file with a bare `COPY` into a
   plain table (id text, data jsonb), once with the server's default compression of large values
   (pglz) and once with lz4: the faster is the load side's physical limit here, and ours is reported
   as a ratio of it.

Figures: tasks, pages, bytes received (deterministic); seconds, tasks/s, CPU seconds of this process,
the simulator and the Postgres backend (when local), peak and baseline RSS (noisy: one run on a shared
machine). Goals: >= 5,000 tasks/s at 100,000 tasks on 2 cores; peak memory flat in workspace size
(<= 400 MB at 1,000,000 tasks).

    .venv/bin/python benchmarks/extraction_speed.py                    # 100,000 tasks
    .venv/bin/python benchmarks/extraction_speed.py --tasks 100000 1000000

Postgres: TEST_DATABASE_URL or DATABASE_URL (a scratch database is made and dropped), else embedded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract import hierarchy
from clickup_elt.clickup.extract.tasks import tasks as extract_tasks
from clickup_elt.clickup.windows import DayRange
from clickup_elt.warehouse import queries
from clickup_elt.warehouse.db import connection, ensure_raw_schema
from clickup_elt.warehouse.load import Scope, replace_rows
from dbt_build import admin, server_url
from report import RESULTS, new_report, write_report

TOKEN = "pk_benchmark_token"
HISTORY_DAYS = 730  # the simulator's default history: one partition per day of it
SIMULATOR_MAX_MB = 8192  # past this the simulator is stopped (the machine is shared)
SIZES = (
    "spaces",
    "folders",
    "lists",
    "archived_spaces",
    "archived_folders",
    "archived_lists",
    "members",
    "subtasks",
    "archived_tasks",
    "closed_tasks",
)


def noon_today_ms() -> int:
    today = dt.datetime.now(dt.timezone.utc).date()
    return int(dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.timezone.utc).timestamp() * 1000)


def start_simulator(tasks: int, seed: int, *options: str) -> tuple[subprocess.Popen, str]:
    """The simulator on a free port with one workspace of `tasks`; `options` are more of its flags."""
    command = [
        str(Path(sys.executable).with_name("clickup-elt")),
        "simulator",
        "--port",
        "0",
        "--seed",
        str(seed),
        "--tasks",
        str(tasks),
        "--rate-limit",
        "0",
        "--token",
        TOKEN,
        "--now-ms",
        str(noon_today_ms()),
        *options,
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    while True:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the simulator exited before serving")
        found = re.search(r"(http://127\.0\.0\.1:\d+/api/v2)", line)
        if found:
            return process, found.group(1)


def guard(process: subprocess.Popen, stop: threading.Event, tripped: list) -> None:
    """Stop the simulator if it grows past SIMULATOR_MAX_MB (the run then fails saying so)."""
    server = psutil.Process(process.pid)
    while not stop.wait(0.5):
        try:
            if server.memory_info().rss > SIMULATOR_MAX_MB << 20:
                tripped.append(server.memory_info().rss >> 20)
                process.kill()
                return
        except psutil.Error:
            return


def simulator_shape(tasks: int) -> dict:
    """The simulator's sizes for that many tasks (imported late: numpy would inflate our baseline)."""
    from clickup_simulator import SimulatorConfig

    config = SimulatorConfig(tasks=tasks)
    return {name: getattr(config, name) for name in SIZES}


def rss_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def cpu_s(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def postgres_backend(conn) -> psutil.Process | None:
    """The server process serving `conn`, when it runs on this machine and we may read it."""
    try:
        backend = psutil.Process(conn.get_backend_pid())
        cpu_s(backend)
        return backend
    except (psutil.Error, OSError):
        return None


def load_hierarchy(client, url: str, ws: str) -> list[str]:
    """Spaces, folders and lists loaded as their assets load them; the archived lists' ids."""
    with connection(url) as conn:
        spaces = list(hierarchy.spaces(client, ws))
        folders = list(hierarchy.folders(client, [s.id for s in spaces]))
        lists = hierarchy.lists(client, [s.id for s in spaces], [f.id for f in folders])
        for entity, rows in (("spaces", spaces), ("folders", folders), ("lists", lists)):
            replace_rows(conn, entity, Scope(ws), rows, "benchmark")
    with connection(url) as conn:
        return queries.archived_list_ids(conn, ws)


def bare_copy(url: str, ws: str, folder: str) -> dict:
    """The loaded records copied out to a file, then COPYed into a plain table, timed: with the
    server's default compression of large values, and with lz4 (what the loads ask for)."""
    path = Path(folder) / "tasks.copy"
    with connection(url) as conn, conn.cursor() as cur, open(path, "wb") as out:
        cur.copy_expert(
            cur.mogrify(
                "copy (select id, data from clickup_raw.tasks where workspace_id = %s) to stdout", (ws,)
            ).decode(),
            out,
        )
        cur.execute("show default_toast_compression")
        default = cur.fetchone()[0]
    result = {"bytes": path.stat().st_size}
    for method in dict.fromkeys((default, "lz4")):
        table = f"bare_tasks_{method}"
        with connection(url) as conn, conn.cursor() as cur:
            cur.execute(f"create table {table} (id text, data jsonb compression {method})")
        started = time.perf_counter()
        with connection(url) as conn, conn.cursor() as cur, open(path, "rb") as source:
            cur.copy_expert(f"copy {table} (id, data) from stdin", source, size=1 << 20)
        seconds = time.perf_counter() - started
        with connection(url) as conn, conn.cursor() as cur:
            cur.execute(f"select count(*) from {table}")
            rows = cur.fetchone()[0]
        result[method] = {"rows": rows, "seconds": round(seconds, 2), "tasks_per_s": round(rows / seconds)}
    path.unlink()
    result["tasks_per_s"] = max(v["tasks_per_s"] for v in result.values() if isinstance(v, dict))
    return result


def run(tasks: int, base: str, seed: int) -> dict:
    name = f"clickup_bench_speed_{tasks}_{uuid.uuid4().hex[:6]}"
    admin(base, f'create database "{name}"')
    url = base.rpartition("/")[0] + "/" + name
    started = time.perf_counter()
    process, api = start_simulator(tasks, seed)
    client, stop, tripped = None, threading.Event(), []
    threading.Thread(target=guard, args=(process, stop, tripped), daemon=True).start()
    try:
        spawn_s = time.perf_counter() - started
        server = psutil.Process(process.pid)
        ensure_raw_schema(url)
        client = ClickUpClient(TOKEN, api)
        ws = str(client.get("team", endpoint="GET /team")["teams"][0]["id"])
        archived_lists = load_hierarchy(client, url, ws)
        today = dt.datetime.now(dt.timezone.utc).date()
        first = today - dt.timedelta(days=HISTORY_DAYS)
        window = DayRange(first, today, first, today)  # a full sync: every day, open-ended at both ends
        scope = Scope(ws, window.days())
        client = client.for_workspace(ws)  # fresh request statistics, as each load gets
        baseline_mb = rss_mb("VmRSS")
        peak_reset = reset_peak_rss()
        ours_cpu, server_cpu = cpu_s(psutil.Process()), cpu_s(server)
        clock = time.perf_counter()
        with connection(url) as conn:
            backend = postgres_backend(conn)
            backend_cpu = cpu_s(backend) if backend else 0.0
            loaded = replace_rows(
                conn, "tasks", scope, extract_tasks(client, ws, window, archived_lists), "benchmark"
            )
            backend_cpu = round(cpu_s(backend) - backend_cpu, 1) if backend else None
        seconds = time.perf_counter() - clock
        ours_cpu, server_cpu = cpu_s(psutil.Process()) - ours_cpu, cpu_s(server) - server_cpu
        peak_mb = rss_mb("VmHWM")
        with tempfile.TemporaryDirectory(prefix="bench_copy_") as folder:
            bare = bare_copy(url, ws, folder)
        rate = loaded.rows / seconds
        return {
            "tasks": tasks,
            "archived_lists": len(archived_lists),
            "shape": simulator_shape(tasks),
            "simulator_spawn_s": round(spawn_s, 1),
            "extract_load": {
                "tasks_written": loaded.rows,
                "records_received": loaded.received,
                "duplicates": loaded.duplicates,
                "requests": client.stats.requests,
                "by_endpoint": client.stats.by_endpoint,
                "bytes_received": client.stats.bytes_received,
                "seconds": round(seconds, 2),
                "tasks_per_s": round(rate),
                "cpu_s_this_process": round(ours_cpu, 1),
                "cpu_s_simulator": round(server_cpu, 1),
                "cpu_s_postgres_backend": backend_cpu,
                "rss_mb_before": round(baseline_mb, 1),
                "peak_rss_mb": round(peak_mb, 1) if peak_reset else None,
                "peak_rss_mb_note": None if peak_reset else "clear_refs refused: not measured",
            },
            "bare_copy": bare,
            "ours_to_bare_copy": round(rate / bare["tasks_per_s"], 3),
            "goals": {
                "tasks_per_s_at_least_5000": rate >= 5000 if tasks == 100_000 else None,
                "peak_rss_at_most_400_mb": peak_mb <= 400 if peak_reset else None,
            },
        }
    except Exception:
        if tripped:
            raise SystemExit(
                f"the simulator grew past {SIMULATOR_MAX_MB} MB ({tripped[0]} MB): stopped"
            ) from None
        raise
    finally:
        stop.set()
        if client is not None:
            client.close()
        process.terminate()
        process.wait(timeout=60)
        admin(base, f'drop database if exists "{name}" with (force)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tasks",
        type=int,
        nargs="+",
        default=[100_000],
        help="sizes (default 100000; 1000000 takes a while)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "extraction_speed.json")
    args = parser.parse_args()
    report = new_report("extraction_speed", runs=[])
    base = server_url()
    for tasks in args.tasks:
        result = run(tasks, base, args.seed)
        report["runs"].append(result)
        e, b = result["extract_load"], result["bare_copy"]
        print(json.dumps(result, indent=2))
        print(
            f"{tasks:>9} tasks: extract+load {e['tasks_written']} tasks in {e['seconds']} s = "
            f"{e['tasks_per_s']} tasks/s ({e['requests']} requests, {e['bytes_received'] / 2**20:.0f} MiB; "
            f"CPU s: ours {e['cpu_s_this_process']}, simulator {e['cpu_s_simulator']}, Postgres "
            f"{e['cpu_s_postgres_backend']}); peak RSS "
            f"{e['peak_rss_mb']} MB (before {e['rss_mb_before']} MB); bare COPY of the same "
            f"{b['bytes'] / 2**20:.0f} MiB: "
            + ", ".join(
                f"{m} {v['tasks_per_s']} tasks/s ({v['seconds']} s)"
                for m, v in b.items()
                if isinstance(v, dict)
            )
            + f"; ours = {result['ours_to_bare_copy']} of the faster",
            flush=True,
        )
    write_report(report, args.out)


if __name__ == "__main__":
    main()
