"""Requests a sync spends on the reference workspace, against the least ClickUp's endpoints allow.

The simulator's reference workspace (preset "reference": 10 spaces, 40 folders, 200 lists with 5
archived, 20,000 tasks with 500 archived, 2,000 subtasks and 3,000 closed, 50 members) is served in
this process, no rate limit, clock pinned at noon UTC today, and synced through Dagster into a scratch
database as `clickup-elt sync` runs it: (a) `run_sync(full=True)`; (b) after 300 task edits (10
simulated seconds apart), the run the hourly schedule launches (`clickup_tasks_sync` over yesterday and
today with run_configs.incremental()), then `run_sync()` (incremental: hierarchy refresh, the same
tasks run, 30 days of time entries); (c) comments and time in status, read in the same runs,
reported apart (their endpoints are theirs alone); (d) the deletion sweep (`clickup_deletion_sweep`)
after 20 tasks deleted, 10 archived and 10 moved.

Requests are counted by endpoint by the simulator, and by entity and job from the sync log: both are
deterministic for a given CLICKUP_START_DATE (it sets the time-entry windows). The least counts are
derived from the workspace's shape (docs/clickup-api.md §8) and printed item by item beside ours, with
the peers' counts. Results: benchmarks/results/extraction_requests.json. Postgres: TEST_DATABASE_URL
or DATABASE_URL (a scratch database is made and dropped), else the embedded server.

    .venv/bin/python benchmarks/extraction_requests.py
    .venv/bin/python benchmarks/extraction_requests.py --start-date 2020-01-01   # more partitions
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from clickup_elt.warehouse.db import connection
from dbt_build import admin, server_url
from least_requests import comment_floor, least, pages, shape
from report import RESULTS, new_report, write_report

COMMENTS = ("GET /task/{task_id}/comment", "GET /comment/{comment_id}/reply")
TIME_IN_STATUS = ("GET /task/bulk_time_in_status/task_ids",)
PER_LIST_OR_TASK = ("GET /list/{list_id}/task", "GET /task/{task_id}")
QUIET = {"console": {"config": {"log_level": "WARNING"}}}
PEERS = {
    "tap-clickup (all streams)": {"full": 544, "incremental": 342},
    "Airbyte source-clickup-api": {"full": 16_798, "incremental": 16_798},
}


def compare(title: str, part: dict, items) -> list[dict]:
    """Ours against the least, item by item (where the difference comes from)."""
    rows = [
        {
            "item": item,
            "ours": sum(part["by_endpoint"].get(e, 0) for e in endpoints),
            "least": n,
            "formula": formula,
        }
        for item, n, formula, endpoints in items
    ]
    print(f"\n== {title}: ours {sum(r['ours'] for r in rows)}, least {sum(r['least'] for r in rows)}")
    for r in rows:
        flag = "" if r["ours"] == r["least"] else f"  ({r['ours'] - r['least']:+d})"
        print(f"   {r['ours']:>5} {r['least']:>5}  {r['item']}: {r['formula']}{flag}")
    return rows


def measure(sim, url: str, label: str, action) -> dict:
    """Run `action()` (returns run ids and per-run jobs); requests by endpoint, part, entity and job."""
    sim.stats.reset()
    started = time.perf_counter()
    runs = action()
    seconds = time.perf_counter() - started
    snap = sim.stats.snapshot()
    by_endpoint = {e: v["requests"] for e, v in snap["by_endpoint"].items()}
    statuses = {e: v["statuses"] for e, v in snap["by_endpoint"].items() if set(v["statuses"]) != {"200"}}
    with connection(url) as conn, conn.cursor() as cur:
        cur.execute(
            "select run_id, entity, sum(requests), bool_and(outcome <> 'failure') from "
            "clickup_raw.sync_log where run_id = any(%s) group by 1, 2",
            ([r for _, r in runs],),
        )
        logged = cur.fetchall()
    job_of = dict((r, j) for j, r in runs)
    by_entity, by_job = Counter(), Counter()
    for run_id, entity, requests, ok in logged:
        if not ok:
            raise SystemExit(f"{label}: {entity} failed in run {run_id} (see clickup_raw.sync_log)")
        by_entity[entity] += int(requests or 0)
        by_job[job_of[run_id]] += int(requests or 0)
    comments, tis = (sum(by_endpoint.get(e, 0) for e in group) for group in (COMMENTS, TIME_IN_STATUS))
    total = sum(by_endpoint.values())
    part = {
        "label": label,
        "total": total,
        "comments": comments,
        "time_in_status": tis,
        "without_comments_and_time_in_status": total - comments - tis,
        "by_endpoint": by_endpoint,
        "non_200": statuses,
        "by_entity_from_sync_log": dict(by_entity),
        "by_job_from_sync_log": dict(by_job),
        "seconds": round(seconds, 1),
        "unlogged": total - sum(by_entity.values()),
    }
    print(
        f"\n== {label}: {total} requests ({part['without_comments_and_time_in_status']} without "
        f"comments and time in status; {comments} comments, {tis} time in status), {seconds:.0f} s"
    )
    for endpoint, n in sorted(by_endpoint.items(), key=lambda kv: -kv[1]):
        print(f"   {n:>7}  {endpoint}{'  ' + str(statuses[endpoint]) if endpoint in statuses else ''}")
    print(
        "   by job (sync log): "
        + ", ".join(f"{j} {n}" for j, n in by_job.items())
        + f"; not logged (workspace discovery): {part['unlogged']}"
    )
    return part


def edit_tasks(sim, candidates: list[dict], count: int) -> list[str]:
    """`count` tasks edited, 10 simulated seconds apart (the pinned clock stands still otherwise)."""
    changed = [t["id"] for t in candidates[:: len(candidates) // count][:count]]
    for k, task_id in enumerate(changed):
        sim.advance(10)
        sim.update_task(task_id, name=f"edited {k}", priority=1 + k % 4)
    return changed


def delete_archive_move(sim, ws: str, leaves: list[str]) -> tuple[list, list, list]:
    """20 tasks deleted, 10 archived, 10 moved to another live list (tasks without subtasks)."""
    picked = leaves[7 :: len(leaves) // 40][:40]
    deleted, archived, moved = picked[:20], picked[20:30], picked[30:40]
    targets = [lst["id"] for lst in sim.truth.lists(ws) if not lst.get("archived")]
    for k, task_id in enumerate(picked):
        sim.advance(10)
        if task_id in deleted:
            sim.delete_task(task_id)
        elif task_id in archived:
            sim.archive_task(task_id)
        else:
            home = sim.truth.task(task_id)["list"]["id"]
            sim.move_task(task_id, next(t for t in targets[k:] + targets if t != home))
    return deleted, archived, moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--start-date",
        default=(dt.date.today() - dt.timedelta(days=90)).isoformat(),
        help="CLICKUP_START_DATE (default: 90 days ago; older records land in the first day)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "extraction_requests.json")
    args = parser.parse_args()
    report = new_report(
        "extraction_requests",
        clickup_start_date=args.start_date,
        simulator={"preset": "reference", "seed": args.seed},
    )
    os.environ.update(CLICKUP_START_DATE=args.start_date, DAGSTER_TELEMETRY_DISABLED="1")
    import dagster as dg

    from clickup_elt import triggers
    from clickup_elt.clickup.client import token_fingerprint
    from clickup_elt.defs.ingestion import run_configs
    from clickup_elt.defs.ingestion.sync_jobs import DELETION_JOB, TASKS_JOB
    from clickup_elt.sync import keep_storage_connections, run_sync
    from clickup_simulator import Simulator, SimulatorConfig

    today = dt.datetime.now(dt.timezone.utc).date()
    noon = int(dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.timezone.utc).timestamp() * 1000)
    sim = Simulator(SimulatorConfig(preset="reference", seed=args.seed, rate_limit=0, now_ms=noon))
    ws, fingerprint = sim.truth.workspace_ids()[0], token_fingerprint(sim.config.token)
    base, name = server_url(), f"clickup_bench_requests_{uuid.uuid4().hex[:6]}"
    admin(base, f'create database "{name}"')
    url = base.rpartition("/")[0] + "/" + name
    home = tempfile.TemporaryDirectory(prefix="dagster_home_")
    server = sim.serve("127.0.0.1", 0)
    os.environ.update(
        CLICKUP_API_URL=server.url,
        CLICKUP_API_TOKEN=sim.config.token,
        DATABASE_URL=url,
        DAGSTER_HOME=home.name,
    )
    os.environ.pop("CLICKUP_WORKSPACE_IDS", None)

    def sync(**kwargs):
        result = run_sync(build_dbt=False, **kwargs)
        if not result.success:
            raise SystemExit("; ".join(result.failures))
        return [(job, run_id) for job, run_id, _ in result.runs]

    def launch(job_launch):  # one run as a schedule would request it
        from clickup_elt.definitions import defs

        with dg.DagsterInstance.get() as instance:
            keep_storage_connections(instance)
            outcome = (
                defs()
                .resolve_job_def(job_launch.job)
                .execute_in_process(
                    instance=instance,
                    tags=job_launch.tags,
                    raise_on_error=False,
                    run_config=dg.RunConfig(
                        ops=job_launch.run_config.ops if job_launch.run_config else {}, loggers=QUIET
                    ),
                )
            )
        if not outcome.success:
            raise SystemExit(f"{job_launch.job} failed (run {outcome.run_id})")
        return [(job_launch.job, outcome.run_id)]

    try:
        before = shape(sim, ws)
        parents = before.pop("_parents")
        print("shape:", json.dumps(before))
        full = measure(sim, url, "a. first full sync, run_sync(full=True)", lambda: sync(full=True))
        candidates = [
            t
            for t in sim.truth.tasks(ws)
            if not t["archived"] and t["list"]["id"] not in before["tasks_in_archived_lists"]
        ]
        changed = edit_tasks(sim, candidates, 300)
        hourly = measure(
            sim,
            url,
            "b. hourly schedule run after 300 edits",
            lambda: launch(
                triggers.days(
                    TASKS_JOB,
                    [ws],
                    today - dt.timedelta(days=1),
                    today,
                    fingerprint,
                    run_configs.incremental(),
                )
            ),
        )
        incremental = measure(sim, url, "b. run_sync() (incremental)", lambda: sync())
        floors = {
            "comments_full": comment_floor(sim, ws),
            "comments_hourly": comment_floor(sim, ws, changed),
            "time_in_status_full": pages(before["tasks"]),
            "time_in_status_hourly": pages(len(changed)),
        }
        skip = parents | set(changed)  # neither edited nor a parent (deleting a parent deletes more)
        deleted, archived, moved = delete_archive_move(
            sim, ws, [t["id"] for t in candidates if t["id"] not in skip]
        )
        sweep = measure(
            sim,
            url,
            "d. deletion sweep after 20 deleted, 10 archived, 10 moved",
            lambda: launch(triggers.workspaces(DELETION_JOB, [ws], fingerprint)),
        )
        after = shape(sim, ws)
        after.pop("_parents")
        report.update(
            shape=before,
            full_sync=full,
            hourly_run=hourly,
            incremental_sync=incremental,
            deletion_sweep=sweep,
            mutations={"edited": changed, "deleted": deleted, "archived": archived, "moved": moved},
        )
        summarize(report, before, after, floors, len(changed), len(deleted))
    finally:
        server.stop()
        admin(base, f'drop database if exists "{name}" with (force)')
        home.cleanup()
    write_report(report, args.out)


def summarize(report: dict, before: dict, after: dict, floors: dict, changed: int, deleted: int) -> None:
    full, hourly, incremental, sweep = (
        report[k] for k in ("full_sync", "hourly_run", "incremental_sync", "deletion_sweep")
    )
    incr_items = least(before, changed)
    a = compare("a. full sync without comments and time in status (ours, least)", full, least(before))
    b = compare(
        "b. run_sync() incremental without comments and time in status (ours, least)", incremental, incr_items
    )
    b_hourly = compare(
        "b. hourly schedule run without comments and time in status (ours, least)", hourly, incr_items[-2:-1]
    )
    walk = [(item, n) for item, n, _, _ in least(after)[-3:-1]]
    ours_a, least_a = sum(r["ours"] for r in a), sum(r["least"] for r in a)
    hierarchy_least = sum(r["least"] for r in b[:-2])
    hierarchy_ours = incremental["by_job_from_sync_log"].get("clickup_workspace_sync", 0)
    beyond = {
        "hourly": hourly["without_comments_and_time_in_status"],
        "run_sync": incremental["without_comments_and_time_in_status"] - hierarchy_ours,
    }
    per_list = {
        k: sum(p["by_endpoint"].get(e, 0) for e in PER_LIST_OR_TASK)
        for k, p in (("hourly", hourly), ("run_sync", incremental))
    }
    least_sweep = sum(n for _, n in walk) + deleted
    s = report["summary"] = {
        "a_ours": ours_a,
        "a_least": least_a,
        "a_ratio_to_least": round(ours_a / least_a, 3),
        "a_goal_met": ours_a <= 1.1 * least_a,
        "a_items": a,
        "b_hierarchy_refresh_ours": hierarchy_ours,
        "b_hierarchy_refresh_least": hierarchy_least,
        "b_beyond_hierarchy_ours": beyond,
        "b_beyond_hierarchy_least": {
            "hourly": b_hourly[0]["least"],
            "run_sync": sum(r["least"] for r in b[-2:]),
        },
        "b_per_list_or_per_task_task_reads": per_list,
        "b_goal_met": {k: beyond[k] <= 15 and per_list[k] == 0 for k in beyond},
        "b_items": {"run_sync": b, "hourly": b_hourly},
        "c": {
            what: {"full": full[what], "hourly": hourly[what], "run_sync": incremental[what]}
            for what in ("comments", "time_in_status")
        }
        | {"floors": floors},
        "sweep_ours": sweep["total"],
        "sweep_least": least_sweep,
        "sweep_least_walk": walk,
        "peers": PEERS,
    }
    print(
        f"\n== summary\n   a. full sync (no comments, no time in status): {ours_a} requests, least "
        f"{least_a}, ratio {s['a_ratio_to_least']} (goal <= 1.1: {'met' if s['a_goal_met'] else 'MISSED'})"
    )
    for k, label in (("hourly", "hourly schedule run"), ("run_sync", "run_sync() incremental")):
        print(
            f"   b. {label}: {beyond[k]} requests beyond the hierarchy refresh (least "
            f"{s['b_beyond_hierarchy_least'][k]}; goal <= 15 and no per-list/per-task task reads, here "
            f"{per_list[k]}: {'met' if s['b_goal_met'][k] else 'MISSED'})"
        )
    print(f"      hierarchy refresh (clickup_workspace_sync): ours {hierarchy_ours}, least {hierarchy_least}")
    for what in ("comments", "time_in_status"):
        c = s["c"][what]
        print(
            f"   c. {what.replace('_', ' ')}: full sync {c['full']} (floor {floors[what + '_full']}), "
            f"hourly {c['hourly']} (floor {floors[what + '_hourly']}), run_sync() {c['run_sync']}"
        )
    print(
        f"   d. deletion sweep: {sweep['total']} requests, least {least_sweep} (task walk "
        f"{sum(n for _, n in walk)} + {deleted} GET /task/{{id}} confirmations)"
    )
    for peer, counts in PEERS.items():
        print(
            f"   vs {peer}: full {counts['full']} (ours {ours_a / counts['full']:.2f}x), incremental "
            f"{counts['incremental']} (ours: run_sync() "
            f"{incremental['without_comments_and_time_in_status']}, hourly run {beyond['hourly']})"
        )


if __name__ == "__main__":
    main()
