"""Freshness through webhooks: seconds from a change made in ClickUp to its row in the marts.

`clickup-elt dev` runs against the simulator (served from this process over HTTP) with the default
settings, after a full sync and `clickup-elt webhooks register`. Then CHANGES changes of mixed kinds
(renames, status changes, comments, new tasks, deletions) are made at a steady pace, and the marts
are polled: per change, the seconds until `clickup.tasks` (name, status, is_deleted) or
`clickup.comments` shows it. Requests are counted by the simulator, per change, against what the
hourly schedule's run spends for the same changes. Goal: p95 <= 60 s, and fewer requests per change
than the hourly run. Results: benchmarks/results/freshness.json. Postgres: TEST_DATABASE_URL or
DATABASE_URL (a scratch database), else the embedded server.

    .venv/bin/python benchmarks/freshness.py
    .venv/bin/python benchmarks/freshness.py --changes 60 --every 2
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from clickup_elt.warehouse.db import connection
from clickup_simulator import Simulator, SimulatorConfig
from dbt_build import admin, server_url
from report import RESULTS, new_report, write_report

CLI = Path(sys.executable).with_name("clickup-elt")
TASK_READS = (
    "GET /team/{team_id}/task",
    "GET /task/{task_id}",
    "GET /list/{list_id}/task",
    "GET /task/{task_id}/comment",
    "GET /comment/{comment_id}/reply",
    "GET /task/bulk_time_in_status/task_ids",
)
KINDS = (("rename", 0.4), ("status", 0.2), ("comment", 0.15), ("create", 0.15), ("delete", 0.1))


@dataclass
class Change:
    kind: str
    target: str
    expected: object
    made_at: float
    seen_at: float | None = None

    @property
    def seconds(self) -> float | None:
        return None if self.seen_at is None else self.seen_at - self.made_at


@dataclass
class Workspace:
    sim: Simulator
    ws: str
    lists: list[str]
    tasks: list[str] = field(default_factory=list)

    def change(self, kind: str, rng: random.Random) -> Change:
        sim, now = self.sim, time.monotonic()
        if kind == "create":
            task = sim.create_task(rng.choice(self.lists), f"New {uuid.uuid4().hex[:6]}")
            return Change(kind, task["id"], task["name"], now)
        # each task is changed once: a later change would overwrite what an earlier one waits for
        target = self.tasks.pop(rng.randrange(len(self.tasks)))
        if kind == "rename":
            name = f"Renamed {uuid.uuid4().hex[:6]}"
            sim.update_task(target, name=name)
            return Change(kind, target, name, now)
        if kind == "status":
            done = sim.truth.task(target)["status"]["type"] == "closed"
            task = sim.reopen_task(target) if done else sim.close_task(target)
            return Change(kind, target, task["status"]["status"], now)
        if kind == "comment":
            comment = sim.create_comment(target, f"Comment {uuid.uuid4().hex[:6]}")
            return Change(kind, comment["id"], comment["comment_text"], now)
        sim.delete_task(target)
        return Change(kind, target, True, now)


CHECKS = {
    "rename": "select name from clickup.tasks where task_id = %s",
    "create": "select name from clickup.tasks where task_id = %s",
    "status": "select status from clickup.tasks where task_id = %s",
    "comment": "select comment_text from clickup.comments where comment_id = %s",
    "delete": "select is_deleted from clickup.tasks where task_id = %s",
}


def poll(url: str, changes: list[Change], stop: threading.Event) -> None:
    """Mark each change seen once the marts show it (checked twice a second)."""
    while not stop.is_set():
        with contextlib.suppress(Exception), connection(url) as conn, conn.cursor() as cur:
            for change in [c for c in list(changes) if c.seen_at is None]:
                cur.execute(CHECKS[change.kind], (change.target,))
                row = cur.fetchone()
                if row is not None and row[0] == change.expected:
                    change.seen_at = time.monotonic()
        stop.wait(0.5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, limit: float = 240) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code < 500:
                return
        time.sleep(1)
    raise SystemExit(f"{url} did not answer within {limit:.0f} s")


def cli(env: dict, *args: str, folder: Path) -> None:
    done = subprocess.run([str(CLI), *args], env=env, cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(
            f"`clickup-elt {' '.join(args)}` failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--every", type=float, default=1.5, help="seconds between two changes")
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--settle", type=float, default=300, help="seconds to wait after the last change")
    args = parser.parse_args()

    config = SimulatorConfig(seed=17, tasks=args.tasks, rate_limit=0)
    sim = Simulator(config)
    folder = Path(tempfile.mkdtemp(prefix="clickup-freshness-"))
    base = server_url()
    database = f"clickup_freshness_{uuid.uuid4().hex[:10]}"
    admin(base, f'create database "{database}"')
    url = base.rpartition("/")[0] + "/" + database
    ui_port, api_port = free_port(), free_port()
    dev = None
    try:
        with sim.serve(host="127.0.0.1", port=0) as server:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_PG_", "CLICKUP_DBT_"))}
            env.update(
                {
                    "CLICKUP_API_URL": server.url,
                    "CLICKUP_API_TOKEN": config.token,
                    "DATABASE_URL": url,
                    "DAGSTER_HOME": str(folder / "dagster_home"),
                    "DAGSTER_TELEMETRY_DISABLED": "1",
                    "CLICKUP_START_DATE": os.environ.get("CLICKUP_START_DATE")
                    or (dt.date.today() - dt.timedelta(days=30)).isoformat(),
                }
            )
            env.pop("CLICKUP_WORKSPACE_IDS", None)
            print("full sync…", flush=True)
            cli(env, "sync", "--full", folder=folder)
            # the same warehouse without webhooks, for the hourly run's count at the end
            admin(base, f'create database "{database}_hourly" template "{database}"')
            print("starting clickup-elt dev…", flush=True)
            dev = subprocess.Popen(
                [str(CLI), "dev", "--api-port", str(api_port), "-p", str(ui_port)],
                env=env,
                cwd=folder,
                start_new_session=True,
                stdout=open(folder / "dev.log", "w"),
                stderr=subprocess.STDOUT,
            )
            wait_for(f"http://127.0.0.1:{ui_port}/server_info")
            wait_for(f"http://127.0.0.1:{api_port}/docs")
            cli(
                env,
                "webhooks",
                "register",
                "--url",
                f"http://127.0.0.1:{api_port}/webhooks/clickup",
                folder=folder,
            )

            (ws,) = sim.truth.workspace_ids()
            archived = set(sim.truth.archived_list_ids(ws))
            space = Workspace(
                sim,
                ws,
                [lst["id"] for lst in sim.truth.lists(ws) if lst["id"] not in archived],
                [
                    t["id"]
                    for t in sim.truth.tasks(ws)
                    if not t.get("parent") and not t["archived"] and t["list"]["id"] not in archived
                ],
            )
            rng = random.Random(7)
            kinds, weights = zip(*KINDS, strict=True)
            changes: list[Change] = []
            stop = threading.Event()
            poller = threading.Thread(target=poll, args=(url, changes, stop), daemon=True)
            poller.start()
            sim.stats.reset()
            print(f"{args.changes} changes, one every {args.every} s…", flush=True)
            started = time.monotonic()
            for n in range(args.changes):
                time.sleep(max(0.0, started + n * args.every - time.monotonic()))
                changes.append(space.change(rng.choices(kinds, weights)[0], rng))
            deadline = time.monotonic() + args.settle
            while any(c.seen_at is None for c in changes) and time.monotonic() < deadline:
                time.sleep(1)
            stop.set()
            poller.join(timeout=5)
            live_requests = sum(sim.stats.requests(endpoint=e) for e in TASK_READS)
            all_requests = sim.stats.snapshot()["total"]["requests"]

            print("the hourly schedule's run for the same changes, without webhooks…", flush=True)
            sim.stats.reset()
            hourly_env = {
                **env,
                "DATABASE_URL": f"{url}_hourly",
                "DAGSTER_HOME": str(folder / "dagster_home_hourly"),
            }
            cli(hourly_env, "sync", "--skip-dbt", folder=folder)
            hourly_requests = sum(sim.stats.requests(endpoint=e) for e in TASK_READS)
    finally:
        if dev is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(dev.pid, signal.SIGKILL)
            dev.wait()
        for name in (database, f"{database}_hourly"):
            admin(base, f'drop database if exists "{name}" with (force)')

    seen = [c.seconds for c in changes if c.seconds is not None]
    by_kind = {
        kind: [c.seconds for c in changes if c.kind == kind and c.seconds is not None] for kind, _ in KINDS
    }
    report = new_report("freshness", changes=len(changes), every_s=args.every, tasks=args.tasks)
    report.update(
        {
            "seen": len(seen),
            "missed": len(changes) - len(seen),
            "seconds": {
                "p50": round(statistics.median(seen), 1) if seen else None,
                "p95": round(percentile(seen, 95), 1) if seen else None,
                "max": round(max(seen), 1) if seen else None,
            },
            "seconds_by_kind": {k: round(statistics.median(v), 1) for k, v in by_kind.items() if v},
            "requests": {
                "task_reads_during_changes": live_requests,
                "all_during_changes": all_requests,
                "per_change": round(live_requests / len(changes), 2),
                "hourly_run_task_reads": hourly_requests,
                "hourly_per_change": round(hourly_requests / len(changes), 2),
            },
        }
    )
    report["goal_met"] = (
        bool(seen)
        and len(seen) == len(changes)
        and report["seconds"]["p95"] <= 60
        and report["requests"]["per_change"] < report["requests"]["hourly_per_change"]
    )
    print(f"\nchanges seen in the marts: {len(seen)} of {len(changes)}")
    print(
        f"seconds from change to mart: p50 {report['seconds']['p50']}, p95 {report['seconds']['p95']}, "
        f"max {report['seconds']['max']}; median by kind {report['seconds_by_kind']}"
    )
    print(
        f"task reads per change: webhooks {report['requests']['per_change']} "
        f"(all requests {all_requests}), hourly run {report['requests']['hourly_per_change']}"
    )
    print(
        f"goal (p95 <= 60 s, every change seen, fewer requests than the hourly run): "
        f"{'met' if report['goal_met'] else 'MISSED'}"
    )
    write_report(report, RESULTS / "freshness.json")


if __name__ == "__main__":
    main()
