"""Running entity loads for a materialization: token lookup, parallel tokens, sync log, metadata.

A load fetches one workspace's rows for one or more entities (one `GET /team` feeds both workspaces
and members) and replaces them in one transaction, together with their sync-log rows. Objects that
vanish while a load reads them are skipped, logged, counted and offered to the deletion check in the
same transaction. A failure is written to the sync log on its own connection, the other workspaces
go on, and the step fails at the end naming what broke. Workspaces of different tokens load in
parallel, each within its own limit and holding its token's pool (see token_pool).
"""

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import dagster as dg
from psycopg2.extensions import connection as Connection

from clickup_elt.clickup.client import ClickUpClient, RequestStats
from clickup_elt.defs.ingestion.preview import loaded_preview
from clickup_elt.defs.ingestion.raw_checks import raw_check_results
from clickup_elt.defs.ingestion.token_pool import token_pool
from clickup_elt.defs.resources import ClickUpResource, WarehouseResource
from clickup_elt.progress import Progress, Reporter
from clickup_elt.records import Findings, RawRow, Reconciled
from clickup_elt.warehouse import deletions, synclog, watermarks
from clickup_elt.warehouse.load import Loaded, Scope, replace_rows

OFFERED = ("task",)  # vanished objects the next task load confirms (the hierarchy relists the rest)


# fetch(client, findings) -> rows per entity; reconcile(client, {id: last stored record}) -> verdicts
Fetch = Callable[[ClickUpClient, Findings], Mapping[str, Iterable[RawRow]]]
Reconcile = Callable[[ClickUpClient, dict[str, dict]], Reconciled]


class Skip(Exception):
    """Raised by a fetch when an entity does not apply to a workspace (e.g. a ClickApp is off)."""


@dataclass
class Load:
    """Some entities of one workspace: where their rows go, and how to fetch them.

    `fetch(client, findings)` returns the rows of each entity, which replace `scope`, noting in
    `findings` what vanished while it read; `reconcile(client, left)` confirms the stored records
    that left the scope (`left`: id -> last stored record) before they are dropped. A load that
    writes in its own way gives `write(conn, client, run_id)` instead, returning the rows written
    per entity.
    """

    scope: Scope
    fetch: Fetch | None
    partition_start: str | None = None
    partition_end: str | None = None
    write: Callable[[Connection, ClickUpClient, str], dict[str, int]] | None = None
    after: Callable[[Connection, Findings], None] | None = None  # more writes, same transaction
    reconcile: Reconcile | None = None
    coverage: str | None = None  # what a task load read ("all", "live_lists", "lists")
    watermarks: tuple[str, ...] = ()  # moved on success when the load read up to the present...
    window_from: dt.date | None = None  # ...from this day (None: from the first partition)
    progress: Progress | None = None  # what the reporter shows while it runs


@dataclass
class Outcome:
    load: Load
    rows: dict[str, int] = field(default_factory=dict)
    loaded: dict[str, Loaded] = field(default_factory=dict)
    stats: RequestStats = field(default_factory=RequestStats)
    seconds: float = 0.0
    error: Exception | None = None
    skipped: str | None = None
    findings: Findings = field(default_factory=Findings)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _log_rows(
    conn: Connection,
    load: Load,
    entities: tuple[str, ...],
    run_id: str,
    started: dt.datetime,
    stats: RequestStats,
    rows: dict[str, int],
    outcome: str,
    error: str | None = None,
    vanished: int | None = None,
) -> None:
    for i, entity in enumerate(entities):
        synclog.append(
            conn,
            synclog.SyncRecord(
                load.scope.workspace_id,
                entity,
                load.partition_start,
                load.partition_end,
                run_id,
                started,
                _now(),
                rows.get(entity),
                stats.requests if i == 0 else 0,
                stats.rate_limit_waits if i == 0 else 0,
                stats.retries if i == 0 else 0,
                outcome,
                error,
                vanished if i == 0 else None,
                load.coverage,
            ),
        )


def _report_vanished(log: logging.Logger, workspace_id: str, findings: Findings) -> None:
    if not findings.vanished:
        return
    sample = "; ".join(
        f"{v.object_type} {v.object_id} ({v.reason} on {v.path})" for v in findings.vanished[:5]
    )
    more = f" and {len(findings.vanished) - 5} more" if len(findings.vanished) > 5 else ""
    log.warning(
        f"workspace {workspace_id}: {len(findings.vanished)} objects vanished while read: "
        f"{sample}{more}. Skipped; their stored rows are kept and the next task load "
        f"confirms whether they were deleted"
    )


def _run_one(
    load: Load,
    entities: tuple[str, ...],
    client: ClickUpClient,
    warehouse: WarehouseResource,
    run_id: str,
    log: logging.Logger,
    progress: Progress,
) -> Outcome:
    client = client.for_workspace(load.scope.workspace_id)
    outcome = Outcome(load, stats=client.stats)
    findings = outcome.findings
    progress.stats, progress.started = client.stats, time.monotonic()
    started, clock = _now(), time.monotonic()
    ws = load.scope.workspace_id
    reconcile = functools.partial(load.reconcile, client) if load.reconcile else None
    try:
        with warehouse.connection() as conn:
            if load.write is not None:
                outcome.rows.update(load.write(conn, client, run_id))
            elif load.fetch is None:
                raise ValueError("a load needs a fetch or a write")
            else:
                for entity, rows in load.fetch(client, findings).items():
                    outcome.loaded[entity] = replace_rows(
                        conn,
                        entity,
                        load.scope,
                        progress.count(rows),
                        run_id,
                        findings=findings,
                        reconcile=reconcile,
                    )
                    outcome.rows[entity] = outcome.loaded[entity].rows
            if load.after is not None:
                load.after(conn, findings)
            deletions.offer(conn, ws, [v for v in findings.vanished if v.object_type in OFFERED], run_id)
            for key in load.watermarks:
                watermarks.advance(conn, ws, key, load.window_from, started)
            _log_rows(
                conn,
                load,
                entities,
                run_id,
                started,
                client.stats,
                outcome.rows,
                "success",
                vanished=len(findings.vanished),
            )
        log.info(
            f"workspace {ws}: "
            + ", ".join(f"{n} {e}" for e, n in outcome.rows.items())
            + f" ({client.stats.requests} requests)"
        )
        _report_vanished(log, ws, findings)
    except Skip as skip:
        outcome.skipped = str(skip)
        with warehouse.connection() as conn:
            _log_rows(conn, load, entities, run_id, started, client.stats, {}, "skipped", str(skip))
        log.warning(f"workspace {ws}: skipped {', '.join(entities)}: {skip}")
    except Exception as exc:  # recorded here, raised by `execute_loads`
        outcome.error = exc
        with warehouse.connection() as conn:
            _log_rows(
                conn,
                load,
                entities,
                run_id,
                started,
                client.stats,
                {},
                "failure",
                f"{type(exc).__name__}: {exc}",
            )
        log.error(f"workspace {ws}: {', '.join(entities)} failed: {exc}")
    outcome.seconds = time.monotonic() - clock
    progress.finished = True
    return outcome


def execute_loads(
    context: dg.AssetExecutionContext,
    clickup: ClickUpResource,
    warehouse: WarehouseResource,
    entities: tuple[str, ...],
    loads: list[Load],
) -> list[Outcome]:
    """Run the loads (parallel across tokens); raise a Failure naming the first broken workspace."""
    run_id = context.run.run_id
    by_token: dict[str, list[tuple[Load, ClickUpClient]]] = {}
    outcomes: list[Outcome] = []
    for load in loads:
        try:
            client = clickup.client_for(load.scope.workspace_id, warehouse)
        except Exception as exc:
            outcomes.append(Outcome(load, error=exc))
            with warehouse.connection() as conn:
                _log_rows(conn, load, entities, run_id, _now(), RequestStats(), {}, "failure", str(exc))
            continue
        by_token.setdefault(client.fingerprint, []).append((load, client))

    progress = {
        id(load): load.progress or Progress(f"{', '.join(entities)} of workspace {load.scope.workspace_id}")
        for load in loads
    }

    def run_token(fingerprint: str) -> list[Outcome]:
        with token_pool(context, fingerprint):
            try:
                return [
                    _run_one(load, entities, client, warehouse, run_id, context.log, progress[id(load)])
                    for load, client in by_token[fingerprint]
                ]
            finally:
                for _, client in by_token[fingerprint]:
                    client.close()

    reporter = Reporter(list(progress.values()), context.log)
    with reporter.running(), ThreadPoolExecutor(max_workers=max(1, len(by_token))) as threads:
        for result in threads.map(run_token, list(by_token)):
            outcomes.extend(result)
    failures = [o for o in outcomes if o.error is not None]
    if failures:
        first = failures[0]
        span = (
            f" days {first.load.partition_start}..{first.load.partition_end}"
            if first.load.partition_start != first.load.partition_end
            else ""
        )
        raise dg.Failure(
            description=(
                f"{', '.join(entities)} of workspace {first.load.scope.workspace_id}{span} "
                f"failed: {first.error}"
            ),
            metadata={"failed_workspaces": ", ".join(sorted({f.load.scope.workspace_id for f in failures}))},
        )
    return outcomes


def _span(load: Load) -> str | None:
    """The days a load covered ("2025-01-01..2025-01-31"); None for workspace-partitioned loads."""
    if load.partition_start in (None, load.scope.workspace_id):
        return None
    if load.partition_start == load.partition_end:
        return load.partition_start
    return f"{load.partition_start}..{load.partition_end}"


def result(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    outcomes: list[Outcome],
    entity: str,
    asset_key: dg.AssetKey | None = None,
) -> dg.MaterializeResult:
    """Metadata of one asset (rows, requests, rate-limit waits, retries, seconds) and the results of
    its raw-table checks, when it has them."""
    total = RequestStats()
    for outcome in outcomes:
        total.add(outcome.stats)
    skipped = [o.load.scope.workspace_id for o in outcomes if o.skipped]
    metadata: dict[str, int | float | str | dg.TableMetadataValue] = {
        "dagster/row_count": sum(o.rows.get(entity, 0) for o in outcomes),
        "requests": total.requests,
        "rate_limit_waits": total.rate_limit_waits,
        "rate_limit_wait_seconds": round(total.rate_limit_wait_s, 2),
        "retries": total.retries,
        "seconds": round(sum(o.seconds for o in outcomes), 2),
        "workspaces": len(outcomes),
        "vanished_objects": sum(len(o.findings.vanished) for o in outcomes),
    }
    if skipped:
        metadata["skipped_workspaces"] = ", ".join(skipped)
    key = asset_key or context.asset_key
    check_results = []
    with warehouse.connection() as conn:
        preview = loaded_preview(conn, entity, context.run.run_id)
        if any(spec.asset_key == key for spec in context.assets_def.check_specs):
            loaded = {o.load.scope.workspace_id: o.loaded[entity] for o in outcomes if entity in o.loaded}
            spans = {o.load.scope.workspace_id: _span(o.load) for o in outcomes}
            check_results = raw_check_results(conn, entity, key, context.run.run_id, loaded, spans)
    if preview is not None:
        metadata["preview"] = preview
    return dg.MaterializeResult(asset_key=asset_key, metadata=metadata, check_results=check_results)


def run_entity(
    context: dg.AssetExecutionContext,
    clickup: ClickUpResource,
    warehouse: WarehouseResource,
    entity: str,
    loads: list[Load],
) -> dg.MaterializeResult:
    return result(context, warehouse, execute_loads(context, clickup, warehouse, (entity,), loads), entity)
