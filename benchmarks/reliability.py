"""Reliability: every fault the simulator can inject, through real syncs, against its ground truth.

For each fault and repetition: a fresh simulator served over HTTP from this process, a scratch
database, a Dagster home, and `clickup-elt sync --full --skip-dbt` run as a user runs it (a
subprocess). A fault that stops a sync on purpose (a kill, a Postgres restart, a full disk) is
followed by a rerun, as the user or the next schedule would. Then the raw tables are compared with
what the simulator serves:

- rows expected: tasks, comments (replies included), time entries, spaces, folders and lists the
  token can reach;
- rows lost: expected but not stored; rows duplicated: extra copies of an id;
- false deletions: objects recorded in clickup_raw.deletions that ClickUp still serves;
- stuck or failed: the final sync failed or did not end within the time limit, or a run was left
  STARTED or holding its token's pool afterwards (the deliberately broken first sync of a kill,
  restart or full disk does not count; the rerun does).

The goal is zero in the last four columns for every fault. Results: benchmarks/results/reliability.json.
Postgres: TEST_DATABASE_URL or DATABASE_URL (scratch databases are made and dropped), else the
embedded server. The full-disk fault needs root (a small tmpfs under a tablespace).

    .venv/bin/python benchmarks/reliability.py
    .venv/bin/python benchmarks/reliability.py --repeat 3 --tasks 500 --only kill --only html
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from clickup_elt.warehouse.db import connection
from clickup_elt.warehouse.embedded import EmbeddedPostgres
from clickup_simulator import Simulator, SimulatorConfig
from dbt_build import admin, server_url
from report import RESULTS, new_report, write_report

CLI = Path(sys.executable).with_name("clickup-elt")
LIMIT_S = 600  # a sync that has not ended by then is stuck
COMMENTS = "GET /task/{task_id}/comment"
NUL, CUT = "\u0000", "\ud83d"


@dataclass
class Trial:
    """One repetition of one fault: the simulator, the warehouse and what the syncs did."""

    sim: Simulator
    url: str
    env: dict[str, str]
    folder: Path
    server: str  # the Postgres server's admin URL (tablespaces)
    embedded: EmbeddedPostgres | None = None  # a private server, for the restart
    exits: list[int | None] = field(default_factory=list)  # None: did not end in time
    expected_failures: int = 0  # first syncs broken on purpose

    @property
    def ws(self) -> str:
        return self.sim.truth.workspace_ids()[0]

    def sync(self, name: str, **env: str) -> int | None:
        code = finish(self.start(name, **env))
        self.exits.append(code)
        return code

    def start(self, name: str, **env: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")
        return subprocess.Popen(
            [str(CLI), "sync", "--full", "--skip-dbt"],
            cwd=self.folder,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def broken(self, proc: subprocess.Popen, code: int | None = None) -> None:
        """Record a first sync stopped on purpose (its failure is the fault, not a finding)."""
        self.exits.append(finish(proc) if code is None else code)
        self.expected_failures += 1


def finish(proc: subprocess.Popen, limit: float = LIMIT_S) -> int | None:
    try:
        return proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        kill(proc)
        return None


def kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def wait_until(check, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError("the sync never got to the point where the fault is injected")
        time.sleep(0.2)


def loading_comments(trial: Trial, pages: int = 20):
    return lambda: trial.sim.stats.requests(endpoint=COMMENTS) >= pages


# -- the faults ---------------------------------------------------------------------------------------


def task_with_comments(sim: Simulator, ws: str) -> str:
    counts = collections.Counter(i for p, i, _ in sim.truth.all_comments(ws) if p == "task")
    ids = sorted(i for i, n in counts.items() if n >= 2)
    return ids[len(ids) // 2]


def dirty_text(trial: Trial) -> None:
    sim, ws = trial.sim, trial.ws
    text = f"Plan{NUL} for Q3 {CUT}rocket"
    first, second, third = sim.truth.task_ids(ws)[:3]
    sim.update_task(first, name=text, description=text)
    sim.create_comment(second, text)
    sim.create_time_entry(third, description=text)
    sim.create_list(sim.truth.spaces(ws)[0]["id"], text)
    trial.sync("sync")


def vanishing(action: str, after: str, pick) -> callable:
    def run(trial: Trial) -> None:
        trial.sim.after(after, 1, action, pick(trial.sim, trial.ws))
        trial.sync("sync")

    return run


def answers(**faults) -> callable:
    def run(trial: Trial) -> None:
        trial.sim.faults.update(**faults)
        trial.sync("sync")

    return run


def slow_answers(trial: Trial) -> None:
    trial.sim.faults.update(slow_rate=0.02, slow_ms=2500)
    trial.sync("sync", CLICKUP_HTTP_TIMEOUT_SECONDS="1")


def killed(trial: Trial) -> None:
    trial.sim.faults.update(latency_ms=30, endpoints=(COMMENTS,))
    proc = trial.start("killed")
    wait_until(loading_comments(trial))
    kill(proc)
    trial.broken(proc, code=-9)
    trial.sim.faults.clear()
    trial.sync("rerun")


def postgres_restarted(trial: Trial) -> None:
    server = trial.embedded
    trial.sim.faults.update(latency_ms=30, endpoints=(COMMENTS,))
    proc = trial.start("restarted")
    wait_until(loading_comments(trial))
    server.stop()
    time.sleep(3)
    server.ensure_running()
    trial.sim.faults.clear()
    trial.broken(proc)
    trial.sync("rerun")


def disk_full(trial: Trial) -> None:
    database = trial.url.rpartition("/")[2]
    with tiny_tablespace(trial.server, "1m") as tablespace:
        admin(trial.url, f"alter database \"{database}\" set temp_tablespaces = '{tablespace}'")
        admin(trial.url, f"alter database \"{database}\" set temp_buffers = '800kB'")
        trial.broken(trial.start("disk-full"))
        admin(trial.url, f'alter database "{database}" reset temp_tablespaces')
        admin(trial.url, f'alter database "{database}" reset temp_buffers')
        trial.sync("rerun")


@contextlib.contextmanager
def tiny_tablespace(server: str, size: str):
    folder = Path(tempfile.mkdtemp(prefix="clickup-tiny-"))
    owner = pwd.getpwnam("postgres")
    subprocess.run(
        [
            "mount",
            "-t",
            "tmpfs",
            "-o",
            f"size={size},mode=0700,uid={owner.pw_uid},gid={owner.pw_gid}",
            "tmpfs",
            str(folder),
        ],
        check=True,
        capture_output=True,
    )
    name = f"tiny_{uuid.uuid4().hex[:8]}"
    try:
        admin(server, f"create tablespace {name} location '{folder}'")
        yield name
    finally:
        with contextlib.suppress(Exception):
            admin(server, f"drop tablespace if exists {name}")
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


@dataclass(frozen=True)
class Fault:
    name: str
    run: callable
    config: dict = field(default_factory=dict)  # SimulatorConfig fields
    needs: str | None = None  # "root" or "private_postgres"


FAULTS = [
    Fault("none (a clean sync)", lambda trial: trial.sync("sync")),
    Fault("NUL bytes and cut emoji in text", dirty_text),
    Fault(
        "task deleted between the task walk and its comments",
        vanishing("delete_task", COMMENTS, task_with_comments),
    ),
    Fault(
        "task made private between the task walk and its comments",
        vanishing("hide_task", COMMENTS, task_with_comments),
    ),
    Fault(
        "archived list made private during the task walk",
        vanishing(
            "hide_list",
            "GET /list/{list_id}/task",
            lambda sim, ws: sorted(sim.truth.archived_list_ids(ws))[-1],
        ),
        {"archived_lists": 3},
    ),
    Fault(
        "space made private between the space and folder listings",
        vanishing(
            "hide_space",
            "GET /team/{team_id}/space",
            lambda sim, ws: next(s["id"] for s in sim.truth.spaces(ws) if not s["archived"]),
        ),
    ),
    Fault(
        "goal deleted between its listing and its read",
        vanishing("delete_goal", "GET /team/{team_id}/goal", lambda sim, ws: sim.truth.goals(ws)[0]["id"]),
    ),
    Fault("200 answers without their key (5%)", answers(missing_key_rate=0.05)),
    Fault("HTML pages instead of JSON (5%)", answers(html_rate=0.05)),
    Fault("truncated bodies (5%)", answers(truncate_rate=0.05)),
    Fault("dropped connections (3%)", answers(drop_rate=0.03)),
    Fault("5xx bursts (4 in a row every 25 requests)", answers(burst_every=25, burst_length=4)),
    Fault(
        "429 storms with reset headers",
        answers(storm_every=40, storm_length=3),
        {"rate_limit": 100_000, "rate_window_s": 1},
    ),
    Fault(
        "429 storms without headers",
        answers(storm_every=40, storm_length=3, storm_headers=False),
        {"rate_limit": 100_000, "rate_window_s": 1},
    ),
    Fault("answers slower than the client's timeout (2%)", slow_answers),
    Fault("kill -9 of the sync mid-load, then a rerun", killed),
    Fault("Postgres restart mid-load, then a rerun", postgres_restarted, needs="private_postgres"),
    Fault("disk full during COPY, then a rerun", disk_full, needs="root"),
]


# -- measuring -------------------------------------------------------------------------------------


def truth(sim: Simulator, ws: str) -> dict[str, set[str]]:
    return {
        "tasks": set(sim.truth.task_ids(ws)),
        "comments": {c["id"] for _, _, c in sim.truth.all_comments(ws)},
        "time_entries": {e["id"] for e in sim.truth.time_entries(ws)},
        "spaces": {s["id"] for s in sim.truth.spaces(ws)},
        "folders": {f["id"] for f in sim.truth.folders(ws)},
        "lists": {lst["id"] for lst in sim.truth.lists(ws)},
    }


def measure(trial: Trial) -> dict:
    expected = truth(trial.sim, trial.ws)
    lost = duplicated = 0
    with connection(trial.url) as conn, conn.cursor() as cur:
        for table, ids in expected.items():
            cur.execute(
                f"select id, count(*) from clickup_raw.{table} where workspace_id = %s group by id",
                (trial.ws,),
            )
            stored = dict(cur.fetchall())
            lost += len(ids - set(stored))
            duplicated += sum(n - 1 for n in stored.values())
        cur.execute("select object_type, id from clickup_raw.deletions where workspace_id = %s", (trial.ws,))
        alive = {
            "task": expected["tasks"],
            "list": expected["lists"],
            "folder": expected["folders"],
            "space": expected["spaces"],
            "time_entry": expected["time_entries"],
        }
        false_deletions = sum(1 for kind, i in cur.fetchall() if i in alive.get(kind, ()))
        cur.execute(
            "select count(*) from run_tags t join runs r on r.run_id = t.run_id "
            "where t.key = 'clickup/workspaces' and r.status in ('STARTED', 'STARTING')"
        )
        left_started = cur.fetchone()[0]
        cur.execute(
            "select count(*) from concurrency_slots where run_id is not null "
            "and concurrency_key like 'clickup_api/%%'"
        )
        slots_held = cur.fetchone()[0]
    final = trial.exits[-1]
    failed = sum(1 for code in trial.exits[trial.expected_failures :] if code != 0)
    stuck = int(final is None) + left_started + slots_held
    return {
        "runs": len(trial.exits),
        "rows_expected": sum(len(v) for v in expected.values()),
        "rows_lost": lost,
        "rows_duplicated": duplicated,
        "false_deletions": false_deletions,
        "stuck_or_failed": failed + stuck,
        "exit_codes": trial.exits,
    }


@contextlib.contextmanager
def warehouse(base: str, fault: Fault):
    """A scratch database (on a private embedded server for a restart) and its server's URL."""
    private = None
    if fault.needs == "private_postgres":
        root = Path(tempfile.mkdtemp(prefix="clickup-reliability-"))
        private = EmbeddedPostgres(root=root)
        base = private.ensure_running().url("postgres")
    name = f"clickup_reliability_{uuid.uuid4().hex[:10]}"
    admin(base, f'create database "{name}"')
    try:
        yield base.rpartition("/")[0] + "/" + name, base, private
    finally:
        admin(base, f'drop database if exists "{name}" with (force)')
        if private is not None:
            data = private.data_dir()
            private.stop()
            shutil.rmtree(data.parent if data.parent != private.root else data, ignore_errors=True)
            shutil.rmtree(private.root.parent, ignore_errors=True)


def run_trial(fault: Fault, base: str, seed: int, tasks: int) -> dict:
    config = SimulatorConfig(**{"seed": seed, "tasks": tasks, "rate_limit": 0, **fault.config})
    sim = Simulator(config)
    folder = Path(tempfile.mkdtemp(prefix="clickup-reliability-run-"))
    with sim.serve(host="127.0.0.1", port=0) as server, warehouse(base, fault) as (url, base_url, private):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DAGSTER_PG_", "CLICKUP_DBT_"))
        }
        env.update(
            {
                "CLICKUP_API_URL": server.url,
                "CLICKUP_API_TOKEN": config.token,
                "DATABASE_URL": url,
                "DAGSTER_HOME": str(folder / "dagster_home"),
                "DAGSTER_TELEMETRY_DISABLED": "1",
                "CLICKUP_POOL_WAIT_MINUTES": "5",
                "CLICKUP_START_DATE": os.environ.get("CLICKUP_START_DATE")
                or (dt.date.today() - dt.timedelta(days=30)).isoformat(),
            }
        )
        env.pop("CLICKUP_WORKSPACE_IDS", None)
        trial = Trial(sim, url, env, folder, base_url, private)
        started = time.perf_counter()
        fault.run(trial)
        result = measure(trial)
        result["seconds"] = round(time.perf_counter() - started, 1)
    shutil.rmtree(folder, ignore_errors=True)
    return result


def print_table(rows: list[dict]) -> None:
    columns = [
        ("fault", 58),
        ("runs", 5),
        ("rows expected", 14),
        ("rows lost", 10),
        ("rows duplicated", 16),
        ("false deletions", 16),
        ("stuck or failed", 16),
    ]
    print("  ".join(name.ljust(width) for name, width in columns))
    print("  ".join("-" * width for _, width in columns))
    for row in rows:
        values = [
            row["fault"],
            row["runs"],
            row["rows_expected"],
            row["rows_lost"],
            row["rows_duplicated"],
            row["false_deletions"],
            row["stuck_or_failed"],
        ]
        print("  ".join(str(v).ljust(width) for v, (_, width) in zip(values, columns, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each fault (other seeds)")
    parser.add_argument("--tasks", type=int, default=300, help="tasks in each simulated workspace")
    parser.add_argument(
        "--only", action="append", default=[], help="only faults whose name contains this (repeatable)"
    )
    args = parser.parse_args()

    base = server_url()
    report = new_report("reliability", tasks=args.tasks, repeat=args.repeat, faults=[])
    rows = []
    for fault in FAULTS:
        if args.only and not any(word in fault.name for word in args.only):
            continue
        if fault.needs == "root" and os.geteuid() != 0:
            print(f"skipped (needs root): {fault.name}")
            continue
        trials = [run_trial(fault, base, seed=1000 + n, tasks=args.tasks) for n in range(args.repeat)]
        row = {"fault": fault.name, "trials": trials}
        for key in (
            "runs",
            "rows_expected",
            "rows_lost",
            "rows_duplicated",
            "false_deletions",
            "stuck_or_failed",
        ):
            row[key] = sum(t[key] for t in trials)
        rows.append(row)
        print(
            f"{fault.name}: {row['rows_lost']} lost, {row['rows_duplicated']} duplicated, "
            f"{row['false_deletions']} false deletions, {row['stuck_or_failed']} stuck or failed "
            f"({', '.join(str(t['seconds']) + ' s' for t in trials)})",
            flush=True,
        )
    print()
    print_table(rows)
    report["faults"] = rows
    report["goal_met"] = all(
        r["rows_lost"] == r["rows_duplicated"] == r["false_deletions"] == r["stuck_or_failed"] == 0
        for r in rows
    )
    print(
        f"\ngoal (zero lost, duplicated, falsely deleted, stuck or failed for every fault): "
        f"{'met' if report['goal_met'] else 'MISSED'}"
    )
    write_report(report, RESULTS / "reliability.json")


if __name__ == "__main__":
    main()
