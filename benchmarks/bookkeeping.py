"""Where a full sync's time goes besides HTTP and COPY, and what other partitionings would cost.

1. The real pipeline: `run_sync(full=True, build_dbt=False)` (what `clickup-elt sync --full --skip-dbt`
   runs) of a simulator workspace (`--tasks`, default 20,000; no rate limit, clock pinned at noon UTC)
   from the default CLICKUP_START_DATE, with Postgres-backed Dagster storage as dagster.yaml sets
   it up. In this process each HTTP request (`requests.Session.request`, body included), each COPY
   (`warehouse.load._copy`, which also pulls the pages it streams), each raw-table check evaluation
   and each Dagster event write (`DagsterInstance.handle_new_event`) is timed. Every step's window
   (its first to last event in the run's event log) is then split into HTTP + COPY, checks, event
   writes and the rest; run time outside the steps is reported too. The pipeline is not changed.
   Requests run CLICKUP_READ_CONCURRENCY at a time (8): HTTP time is the union of their in-flight
   spans (a second with eight requests in flight counts once), never the sum of their durations,
   which the report prints beside it. Work a load does while its rows stream into COPY for the
   checks (the records' shapes, for schema_drift) is charged to the checks, not to COPY. The time
   outside HTTP + COPY is also broken down by what ran (DETAIL: check queries, load SQL besides
   COPY, warehouse connections, ...).
2. The alternatives in isolation (bookkeeping_alternatives.py): a minimal asset partitioned like the
   raw assets (workspace × daily / weekly / monthly, or workspace only), with and without as many
   checks as the real assets carry, materialized over the whole range in one run; and the partition
   status queries the UI's partition page needs at 1, 10 and 100 workspaces × daily keys.

Results: benchmarks/results/bookkeeping.json. Postgres: TEST_DATABASE_URL or DATABASE_URL (scratch
databases are made and dropped), else the embedded server.

    .venv/bin/python benchmarks/bookkeeping.py --tasks 2000      # quick
    .venv/bin/python benchmarks/bookkeeping.py                   # 20,000 tasks
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from bookkeeping_alternatives import alternatives, check_counts
from dbt_build import admin, server_url
from extraction_speed import TOKEN, start_simulator
from report import RESULTS, new_report, write_report

Span = tuple[float, float]
# Charged in this order where spans overlap, each net of those before: check work done while rows
# stream into COPY (their shapes, for schema_drift) counts as checks, not as COPY, even where other
# threads' requests were in flight meanwhile.
CHARGES = (
    ("checks", ("shapes",)),
    ("http_copy", ("http", "copy")),
    ("checks", ("checks",)),
    ("event_writes", ("events",)),
)


class Timeline:
    """Wall-clock spans of timed calls, by kind (threads append; list.append is atomic)."""

    def __init__(self) -> None:
        self.spans: dict[str, list[Span]] = defaultdict(list)
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, owner: object, name: str, kind: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            started = time.time()
            try:
                return original(*args, **kwargs)
            finally:
                self.spans[kind].append((started, time.time()))

        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)

    def covered(self, kinds: tuple[str, ...], lo: float, hi: float) -> float:
        """Seconds of [lo, hi] inside at least one span of these kinds (overlaps counted once)."""
        spans = sorted((max(a, lo), min(b, hi)) for k in kinds for a, b in self.spans[k] if b > lo and a < hi)
        total, reached = 0.0, lo
        for a, b in spans:
            if b > reached:
                total += b - max(a, reached)
                reached = b
        return total

    def split(self, lo: float, hi: float) -> dict[str, float]:
        """[lo, hi] as HTTP + COPY, checks, event writes (charged as CHARGES says), and the rest."""
        parts = {"http_copy": 0.0, "checks": 0.0, "event_writes": 0.0}
        before = 0.0
        chosen: tuple[str, ...] = ()
        for label, kinds in CHARGES:
            chosen += kinds
            now = self.covered(chosen, lo, hi)
            parts[label] = round(parts[label] + now - before, 3)
            before = now
        parts["other"] = round(hi - lo - before, 3)
        return parts


# Finer kinds, reported apart (seconds of each outside HTTP + COPY; they may overlap one another):
# what the time outside HTTP and COPY is made of. (module, attribute, kind)
DETAIL = (
    ("clickup_elt.warehouse.check_queries", "duplicate_ids", "check unique_ids"),
    ("clickup_elt.warehouse.check_queries", "stored_rows", "check complete"),
    ("clickup_elt.warehouse.check_queries", "new_shapes", "check schema_drift"),
    ("clickup_elt.warehouse.check_queries", "tasks_in_unknown_lists", "check lists_known"),
    ("clickup_elt.defs.ingestion.runner", "loaded_preview", "preview"),
    ("clickup_elt.defs.ingestion.runner", "replace_rows", "load SQL besides COPY"),
    ("clickup_elt.warehouse.queries", "tasks_to_refresh", "tasks to read"),
    ("clickup_elt.warehouse.queries", "record_fetches", "task versions read"),
    ("clickup_elt.warehouse.synclog", "append", "sync log"),
    ("clickup_elt.warehouse.db", "connect", "warehouse connections"),
    ("clickup_elt.sync", "discover_workspaces", "discovery"),
    ("clickup_elt.sync", "_fingerprint", "run planning"),
    ("clickup_elt.sync", "_read_from", "run planning"),
    ("clickup_elt.definitions", "defs", "loading definitions"),
)


def instrument(timeline: Timeline) -> None:
    import importlib

    import dagster as dg
    import requests

    from clickup_elt.defs.ingestion import runner
    from clickup_elt.warehouse import load, shapes

    timeline.wrap(requests.Session, "request", "http")
    timeline.wrap(load, "_copy", "copy")
    timeline.wrap(runner, "raw_check_results", "checks")
    timeline.wrap(shapes.Shapes, "add", "shapes")
    timeline.wrap(dg.DagsterInstance, "handle_new_event", "events")
    for module, name, kind in DETAIL:
        timeline.wrap(importlib.import_module(module), name, kind)


def detail(timeline: Timeline, lo: float, hi: float) -> dict[str, float]:
    """Seconds of each DETAIL kind in [lo, hi] outside HTTP + COPY, largest first."""
    inside = timeline.covered(("http", "copy"), lo, hi)
    kinds = dict.fromkeys(kind for _, _, kind in DETAIL)
    seconds = {k: round(timeline.covered(("http", "copy", k), lo, hi) - inside, 3) for k in kinds}
    return dict(sorted(seconds.items(), key=lambda item: -item[1]))


def http_accounting(timeline: Timeline, lo: float, hi: float) -> dict[str, float]:
    """Requests overlap (CLICKUP_READ_CONCURRENCY): the split counts the seconds at least one is in
    flight (the union of their spans), never the sum of their durations, which would exceed the wall."""
    spans = [(a, b) for a, b in timeline.spans["http"] if b > lo and a < hi]
    return {
        "http_in_flight_seconds": round(timeline.covered(("http",), lo, hi), 3),
        "http_summed_seconds": round(sum(min(b, hi) - max(a, lo) for a, b in spans), 3),
    }


def step_rows(instance, run_id: str, job: str, timeline: Timeline) -> list[dict]:
    """Each step of a run: wall seconds, its split, requests, and the events it wrote by type."""
    import dagster as dg

    records = instance.get_records_for_run(run_id).records
    by_step: dict[str, list] = defaultdict(list)
    for record in records:
        entry = record.event_log_entry
        by_step[entry.step_key or "(run)"].append(entry)
    rows = []
    for step, everything in by_step.items():
        if step == "(run)":  # run-level events: run start and end
            continue
        # a step's planned materializations are written when the run is created, before it starts
        starts = [e.timestamp for e in everything if e.dagster_event_type == dg.DagsterEventType.STEP_START]
        lo = min(starts or [e.timestamp for e in everything])
        entries = [e for e in everything if e.timestamp >= lo]
        hi = max(e.timestamp for e in entries)
        kinds = Counter(e.dagster_event_type.value for e in entries if e.dagster_event_type)
        rows.append(
            {
                "job": job,
                "step": step,
                "seconds": round(hi - lo, 3),
                **timeline.split(lo, hi),
                "requests": sum(1 for a, b in timeline.spans["http"] if lo <= a and b <= hi),
                "events": len(entries),
                "materializations": kinds.get("ASSET_MATERIALIZATION", 0),
                "check_evaluations": kinds.get("ASSET_CHECK_EVALUATION", 0),
                "events_by_type": dict(kinds),
            }
        )
    return rows


def pipeline(base: str, tasks: int, seed: int, latency_ms: float) -> dict:
    """A full sync of a simulator workspace with everything timed; steps split as above."""
    name = f"clickup_bench_bookkeeping_{uuid.uuid4().hex[:6]}"
    admin(base, f'create database "{name}"')
    url = base.rpartition("/")[0] + "/" + name
    home = tempfile.TemporaryDirectory(prefix="dagster_home_")
    process, api = start_simulator(tasks, seed, "--latency-ms", str(latency_ms))
    os.environ.update(
        CLICKUP_API_URL=api,
        CLICKUP_API_TOKEN=TOKEN,
        DATABASE_URL=url,
        DAGSTER_HOME=home.name,
        DAGSTER_TELEMETRY_DISABLED="1",
        # reading the checks set it to the server's own database, which the sync would then keep
        DAGSTER_PG_DB=name,
    )
    os.environ.pop("CLICKUP_WORKSPACE_IDS", None)
    os.environ.pop("CLICKUP_START_DATE", None)  # the default start date
    timeline = Timeline()
    try:
        import dagster as dg

        from clickup_elt import settings, sync

        runs: list[dict] = []
        original_run = sync._run

        def timed_run(defs, launch, instance, result) -> None:
            started = time.time()
            original_run(defs, launch, instance, result)
            runs.append({"job": launch.job, "started": started, "ended": time.time()})

        instrument(timeline)
        sync._run = timed_run
        started = time.time()
        try:
            result = sync.run_sync(full=True, build_dbt=False)
        finally:
            ended = time.time()
            sync._run = original_run
            timeline.restore()
        if not result.success:
            raise SystemExit("; ".join(result.failures))
        steps: list[dict] = []
        with dg.DagsterInstance.get() as instance:
            for run, (job, run_id, _) in zip(runs, result.runs, strict=True):
                run["run_id"] = run_id
                run_steps = step_rows(instance, run_id, job, timeline)
                inside = sum(s["seconds"] for s in run_steps)
                records = instance.get_records_for_run(run_id).records
                begun = min(
                    r.event_log_entry.timestamp
                    for r in records
                    if r.event_log_entry.dagster_event_type == dg.DagsterEventType.RUN_START
                )
                run |= {
                    "seconds": round(run["ended"] - run["started"], 3),
                    **timeline.split(run["started"], run["ended"]),
                    "outside_steps": round(run["ended"] - run["started"] - inside, 3),
                    "before_run_start": round(begun - run["started"], 3),
                    "events_before_run_start": sum(1 for r in records if r.event_log_entry.timestamp < begun),
                    "events": len(records),
                }
                steps.extend(run_steps)
        total = timeline.split(started, ended)
        wall = ended - started
        return {
            "tasks": tasks,
            "latency_ms": latency_ms,
            "clickup_start_date": settings.start_date(),
            "read_concurrency": settings.read_concurrency(),
            "wall_seconds": round(wall, 2),
            "split": total,
            "outside_http_copy_fraction": round(1 - total["http_copy"] / wall, 3),
            "schema_shapes_in_copy_seconds": round(timeline.covered(("shapes",), started, ended), 3),
            "outside_http_copy_detail": detail(timeline, started, ended),
            **http_accounting(timeline, started, ended),
            "requests": len(timeline.spans["http"]),
            "copies": len(timeline.spans["copy"]),
            "event_writes": len(timeline.spans["events"]),
            "runs": [{k: v for k, v in r.items() if k not in ("started", "ended")} for r in runs],
            "steps": steps,
        }
    finally:
        process.terminate()
        process.wait()
        admin(base, f'drop database if exists "{name}" with (force)')
        home.cleanup()


def print_pipeline(part: dict) -> None:
    print(
        f"\n== 1. full sync, {part['tasks']} tasks from {part['clickup_start_date']}, "
        f"{part.get('latency_ms', 0):g} ms added to each answer: "
        f"{part['wall_seconds']} s, {part['requests']} requests, {part['event_writes']} event writes; "
        f"outside HTTP + COPY: {part['outside_http_copy_fraction']:.1%}"
    )
    print(f"   whole sync: {part['split']}")
    print(
        f"   HTTP in flight {part['http_in_flight_seconds']} s (union of the spans of requests read "
        f"{part['read_concurrency']} at a time; summed they would be {part['http_summed_seconds']} s)"
    )
    print(
        "   outside HTTP + COPY, by what ran: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in part["outside_http_copy_detail"].items() if v >= 0.005)
    )
    header = f"   {'step':<45} {'s':>8} {'http+copy':>9} {'checks':>7} {'events':>7} {'other':>7}"
    print(header + f" {'reqs':>5} {'events':>7} {'mats':>6} {'checks':>6}")
    for s in part["steps"]:
        print(
            f"   {s['step'][:45]:<45} {s['seconds']:>8.2f} {s['http_copy']:>9.2f} {s['checks']:>7.2f} "
            f"{s['event_writes']:>7.2f} {s['other']:>7.2f} {s['requests']:>5} {s['events']:>7} "
            f"{s['materializations']:>6} {s['check_evaluations']:>6}"
        )
    for r in part["runs"]:
        print(
            f"   run {r['job']:<28} {r['seconds']:>8.2f} s, outside its steps {r['outside_steps']:.2f} s "
            f"(before the run starts {r['before_run_start']:.2f} s, {r['events_before_run_start']} events "
            f"of {r['events']})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000, help="tasks of the simulator workspace")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="added to every answer (0: the local simulator's own speed; ClickUp answers in ~100 ms)",
    )
    parser.add_argument(
        "--status-workspaces",
        type=int,
        nargs="+",
        default=[1, 10, 100],
        help="workspaces × daily keys materialized when timing the partition status queries",
    )
    parser.add_argument("--skip-pipeline", action="store_true", help="only the alternatives")
    parser.add_argument("--skip-alternatives", action="store_true", help="only the pipeline")
    parser.add_argument("--out", type=Path, default=RESULTS / "bookkeeping.json")
    parser.add_argument(
        "--before",
        type=Path,
        help="an earlier report (of an earlier commit) whose full sync is kept beside this one's",
    )
    args = parser.parse_args()
    report = new_report("bookkeeping", tasks=args.tasks, seed=args.seed, latency_ms=args.latency_ms)
    if args.before:
        earlier = json.loads(args.before.read_text())
        report["pipeline_before"] = {
            "when": earlier["when"],
            "machine": earlier["machine"],
            "commit": earlier.get("commit"),
            **earlier["pipeline"],
        }
    base = server_url()
    with tempfile.TemporaryDirectory(prefix="dagster_home_") as home:
        os.environ.update(DATABASE_URL=base, DAGSTER_HOME=home)  # the definitions load as in a sync
        report["checks_per_asset"] = check_counts()
    if not args.skip_pipeline:
        report["pipeline"] = pipeline(base, args.tasks, args.seed, args.latency_ms)
        print_pipeline(report["pipeline"])
    if not args.skip_alternatives:
        report["alternatives"] = alternatives(base, report["checks_per_asset"], args.status_workspaces)
    write_report(report, args.out)


if __name__ == "__main__":
    main()
