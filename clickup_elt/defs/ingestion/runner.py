"""Running entity loads for a materialization: token lookup, parallel tokens, sync log, metadata.

Each (workspace, entity) load streams its rows into Postgres and appends one sync-log row in the same
transaction; a failure is logged to the sync log on its own connection and the other workspaces go on.
Workspaces of different tokens load in parallel, each token within its own rate limit.
"""


import datetime as dt
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import dagster as dg

from clickup_elt.clickup.client import ClickUpClient, RequestStats
from clickup_elt.warehouse import synclog
from clickup_elt.warehouse.load import RawRow, Scope, replace_rows


@dataclass
class Load:
    """One entity of one workspace: where its rows go, and how to fetch them."""

    entity: str
    scope: Scope
    fetch: Callable[[ClickUpClient], Iterable[RawRow]]
    partition_start: str | None = None
    partition_end: str | None = None


@dataclass
class Outcome:
    load: Load
    rows: int
    stats: RequestStats
    seconds: float
    error: Exception | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _run_one(load: Load, client: ClickUpClient, warehouse, run_id: str, log) -> Outcome:
    client = client.for_workspace(load.scope.workspace_id)
    started, clock = _now(), time.monotonic()
    record = synclog.SyncRecord(load.scope.workspace_id, load.entity, load.partition_start,
                                load.partition_end, run_id, started)
    try:
        with warehouse.connection() as conn:
            rows = replace_rows(conn, load.entity, load.scope, load.fetch(client), run_id)
            _finish(record, client.stats, rows, "success")
            synclog.append(conn, record)
        log.info(f"{load.entity}: workspace {load.scope.workspace_id}: {rows} rows, "
                 f"{client.stats.requests} requests")
        return Outcome(load, rows, client.stats, time.monotonic() - clock)
    except Exception as exc:  # recorded, then re-raised by `run_loads`
        _finish(record, client.stats, None, "failure", f"{type(exc).__name__}: {exc}")
        with warehouse.connection() as conn:
            synclog.append(conn, record)
        log.error(f"{load.entity}: workspace {load.scope.workspace_id} failed: {exc}")
        return Outcome(load, 0, client.stats, time.monotonic() - clock, exc)


def _finish(record, stats: RequestStats, rows, outcome: str, error: str | None = None) -> None:
    record.finished_at, record.rows, record.outcome, record.error = _now(), rows, outcome, error
    record.requests, record.rate_limit_waits, record.retries = (
        stats.requests, stats.rate_limit_waits, stats.retries)


def run_loads(context: dg.AssetExecutionContext, clickup, warehouse, loads: list[Load]
              ) -> dg.MaterializeResult:
    """Run the loads (parallel across tokens), then report totals or raise naming what failed."""
    run_id = context.run.run_id
    by_token: dict[str, list[tuple[Load, ClickUpClient]]] = {}
    failures: list[Outcome] = []
    for load in loads:
        try:
            client = clickup.client_for(load.scope.workspace_id, warehouse)
        except Exception as exc:
            failures.append(Outcome(load, 0, RequestStats(), 0.0, exc))
            continue
        by_token.setdefault(client.fingerprint, []).append((load, client))

    def run_token(pairs):
        return [_run_one(load, client, warehouse, run_id, context.log) for load, client in pairs]

    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=max(1, len(by_token))) as pool:
        for result in pool.map(run_token, by_token.values()):
            outcomes.extend(result)
    failures += [o for o in outcomes if o.error is not None]
    total = RequestStats()
    for outcome in outcomes:
        total.add(outcome.stats)
    if failures:
        first = failures[0]
        raise dg.Failure(
            description=(f"{first.load.entity} for workspace {first.load.scope.workspace_id} "
                         f"(partitions {first.load.partition_start or 'all'}..{first.load.partition_end or 'all'}) "
                         f"failed: {first.error}"),
            metadata={"failed_workspaces": ", ".join(sorted({f.load.scope.workspace_id for f in failures})),
                      "requests": total.requests},
        ) from first.error
    return dg.MaterializeResult(metadata={
        "dagster/row_count": sum(o.rows for o in outcomes),
        "requests": total.requests,
        "rate_limit_waits": total.rate_limit_waits,
        "rate_limit_wait_seconds": round(total.rate_limit_wait_s, 2),
        "retries": total.retries,
        "seconds": round(sum(o.seconds for o in outcomes), 2),
        "workspaces": len({o.load.scope.workspace_id for o in outcomes}),
    })
