"""Dagster's bookkeeping alone: what one run over the whole partition range costs for a minimal asset
partitioned like the raw assets, and what the UI's partition status queries cost as keys pile up.

The asset does no work: it returns the metadata the raw assets report and passing check results, so
the seconds are Dagster's (run creation, one materialization event per partition key, check
evaluations) on a Postgres-backed instance in a scratch database. One workspace is measured; figures
for 1,000 workspaces are extrapolated linearly and say so.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import uuid
import warnings
from collections import Counter
from pathlib import Path

import dagster as dg
import psycopg2

from dbt_build import admin

START = "2020-01-01"
WORKSPACES = "bk_workspaces"
WS = "bkws{:04d}"
warnings.filterwarnings("ignore", message=".*is currently in beta")
SCALE = 1000  # workspaces the extrapolation is for
BATCH = 1000  # DAGSTER_EVENT_BATCH_SIZE of the batched variant
METADATA = {  # what a raw asset reports (runner.result), minus the preview table
    "dagster/row_count": 0,
    "requests": 8,
    "rate_limit_waits": 0,
    "rate_limit_wait_seconds": 0.0,
    "retries": 0,
    "seconds": 1.0,
    "workspaces": 1,
    "vanished_objects": 0,
}


def check_counts() -> dict[str, dict]:
    """Checks of each raw asset, read from the project's definitions: all of them, and the asset's
    own (raw_checks), which its sync run evaluates; dbt's source tests run in dbt's. `by_day`: its
    rows are filed by day (days a run reads are its config), so a key per day is the alternative."""
    from clickup_elt import settings
    from clickup_elt.definitions import defs
    from clickup_elt.defs.ingestion.specs import raw_checks
    from clickup_elt.defs.ingestion.sync_jobs import DAILY_JOB, DAY_ENTITIES

    settings.prepare_environment()
    graph = dg.Definitions.merge(defs()).resolve_asset_graph()
    checks = Counter(key.asset_key for key in graph.asset_check_keys)
    own = Counter(
        key.asset_key
        for key in graph.asset_check_keys
        if key.name in {spec.name for spec in raw_checks(key.asset_key.path[-1])}
    )
    counts = {}
    for key in graph.get_all_asset_keys():
        if key.path[0] != "clickup":
            continue
        counts[key.to_user_string()] = {
            "checks": checks.get(key, 0),
            "own_checks": own.get(key, 0),
            "by_day": key.path[-1] in DAY_ENTITIES[DAILY_JOB],
        }
    return counts


def instance_on(url: str) -> dg.DagsterInstance:
    """A Postgres-backed instance on `url`, configured as dagster.yaml configures the project's, with
    pooled connections as `clickup-elt sync` holds them."""
    from clickup_elt.settings import PostgresParts
    from clickup_elt.sync import keep_storage_connections

    p = PostgresParts.parse(url)
    home = tempfile.mkdtemp(prefix="dagster_home_")
    (Path(home) / "dagster.yaml").write_text(
        "storage:\n  postgres:\n    postgres_db:\n"
        f"      hostname: {p.host}\n      port: {p.port}\n      username: {p.user}\n"
        f"      password: '{p.password or '-'}'\n      db_name: {p.database}\n"
        "      scheme: postgresql+psycopg2\ntelemetry:\n  enabled: false\n"
    )
    instance = dg.DagsterInstance.from_config(home)
    keep_storage_connections(instance)
    return instance


def time_partitions(grain: str) -> dg.TimeWindowPartitionsDefinition | None:
    kinds = {
        "daily": dg.DailyPartitionsDefinition,
        "weekly": dg.WeeklyPartitionsDefinition,
        "monthly": dg.MonthlyPartitionsDefinition,
    }
    return kinds[grain](start_date=START, end_offset=1, timezone="UTC") if grain in kinds else None


def minimal_job(name: str, grain: str, checks: int) -> tuple[dg.JobDefinition, dg.PartitionsDefinition]:
    workspaces = dg.DynamicPartitionsDefinition(name=WORKSPACES)
    period = time_partitions(grain)
    parts: dg.PartitionsDefinition = (
        dg.MultiPartitionsDefinition({"workspace": workspaces, "day": period}) if period else workspaces
    )
    key = dg.AssetKey(["bk", name])
    names = [f"check_{i}" for i in range(checks)]

    @dg.asset(
        key=key,
        partitions_def=parts,
        backfill_policy=dg.BackfillPolicy.single_run(),
        check_specs=[dg.AssetCheckSpec(n, asset=key) for n in names],
    )
    def minimal(context) -> dg.MaterializeResult:
        return dg.MaterializeResult(
            metadata=METADATA,
            check_results=[
                dg.AssetCheckResult(check_name=n, passed=True, metadata={"rows": 0}) for n in names
            ],
        )

    job = dg.define_asset_job(
        f"bk_{name}", selection=[key], partitions_def=parts, executor_def=dg.in_process_executor
    )
    return dg.Definitions(assets=[minimal], jobs=[job]).resolve_job_def(f"bk_{name}"), parts


def run_over_range(
    instance, url: str, name: str, grain: str, checks: int, workspace: str, batch: int = 0
) -> dict:
    """One run over every partition of one workspace: seconds, events by type, tag rows. `batch`:
    DAGSTER_EVENT_BATCH_SIZE (0, the default: one insert per event)."""
    job, parts = minimal_job(name, grain, checks)
    period = time_partitions(grain)
    if period is None:
        tags = {
            "dagster/asset_partition_range_start": workspace,
            "dagster/asset_partition_range_end": workspace,
        }
        keys = 1
    else:
        first, last = period.get_first_partition_key(), period.get_last_partition_key()
        tags = {
            "dagster/asset_partition_range_start": f"{first}|{workspace}",
            "dagster/asset_partition_range_end": f"{last}|{workspace}",
        }
        keys = len(period.get_partition_keys())
    quiet = dg.RunConfig(loggers={"console": {"config": {"log_level": "WARNING"}}})
    os.environ["DAGSTER_EVENT_BATCH_SIZE"] = str(batch)
    started = time.perf_counter()
    try:
        outcome = job.execute_in_process(instance=instance, tags=tags, run_config=quiet)
    finally:
        os.environ.pop("DAGSTER_EVENT_BATCH_SIZE")
    seconds = time.perf_counter() - started
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "select dagster_event_type, count(*) from event_logs where run_id = %s group by 1",
            (outcome.run_id,),
        )
        events = {kind or "log": n for kind, n in cur.fetchall()}
        cur.execute(
            "select count(*) from asset_event_tags where asset_key = %s",
            (dg.AssetKey(["bk", name]).to_string(),),
        )
        tag_rows = cur.fetchone()[0]
    conn.close()
    return {
        "variant": name,
        "grain": grain,
        "checks": checks,
        "event_batch_size": batch,
        "keys_per_workspace": keys,
        "seconds": round(seconds, 2),
        "events": sum(events.values()),
        "events_by_type": events,
        "asset_event_tag_rows": tag_rows,
        "success": outcome.success,
    }


def extrapolate(row: dict, assets: dict[str, int]) -> dict:
    """Linear in workspaces: one run per asset over one workspace's whole range, times SCALE."""
    return {
        "extrapolated": True,
        "workspaces": SCALE,
        "seconds_per_asset": round(row["seconds"] * SCALE),
        "events_per_asset": row["events"] * SCALE,
        "partition_keys_per_asset": row["keys_per_workspace"] * SCALE,
        "day_partitioned_assets": len(assets),
        "seconds_all_assets": round(row["seconds"] * SCALE * len(assets)),
        "partition_keys_all_assets": row["keys_per_workspace"] * SCALE * len(assets),
    }


def status_queries(instance, url: str, sizes: list[int], source: str) -> list[dict]:
    """get_materialized_partitions and get_status_by_partition (the asset status cache the UI's
    partition page reads, rebuilt cold, then read warm) at `sizes` workspaces × daily keys. Workspace
    1 was materialized by a real run; the others are its materialization events copied in SQL with
    the workspace replaced (their asset_event_tags rows are not copied)."""
    key = dg.AssetKey(["bk", source])
    _, parts = minimal_job(source, "daily", 0)
    have, rows = 1, []
    for size in sizes:
        new = [WS.format(i) for i in range(have + 1, size + 1)]
        if new:
            instance.add_dynamic_partitions(WORKSPACES, new)
            with psycopg2.connect(url) as conn, conn.cursor() as cur:
                for ws in new:
                    cur.execute(
                        "insert into event_logs (run_id, event, dagster_event_type, timestamp, step_key,"
                        " asset_key, partition) select run_id, replace(event, %s, %s), dagster_event_type,"
                        " timestamp, step_key, asset_key, replace(partition, %s, %s) from event_logs"
                        " where asset_key = %s and dagster_event_type = 'ASSET_MATERIALIZATION'"
                        " and partition like %s order by id",
                        (WS.format(1), ws, WS.format(1), ws, key.to_string(), f"%|{WS.format(1)}"),
                    )
            conn.close()
            have = size
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute(
                "update asset_keys set cached_status_data = null where asset_key = %s", (key.to_string(),)
            )
        conn.close()
        all_keys = parts.get_partition_keys(dynamic_partitions_store=instance)
        row: dict = {"workspaces": size, "partition_keys": len(all_keys)}
        clock = time.perf_counter()
        materialized = instance.get_materialized_partitions(key)
        row["get_materialized_partitions_s"] = round(time.perf_counter() - clock, 3)
        row["materialized"] = len(materialized)
        for label in ("status_cold_s", "status_warm_s"):
            clock = time.perf_counter()
            instance.get_status_by_partition(key, all_keys, parts)
            row[label] = round(time.perf_counter() - clock, 3)
        print(
            f"   {size:>4} workspaces, {len(all_keys):>7} keys: get_materialized_partitions "
            f"{row['get_materialized_partitions_s']:.2f} s; status by partition cold "
            f"{row['status_cold_s']:.2f} s, warm {row['status_warm_s']:.2f} s"
        )
        rows.append(row)
    return rows


def alternatives(base: str, checks_per_asset: dict[str, dict], status_sizes: list[int]) -> dict:
    """Every variant in one scratch database (each its own asset key), then the status queries."""
    by_day = {k: v["own_checks"] for k, v in checks_per_asset.items() if v["by_day"]}
    checks = max(by_day.values()) if by_day else 0
    name = f"clickup_bench_bookkeeping_alt_{uuid.uuid4().hex[:6]}"
    admin(base, f'create database "{name}"')
    url = base.rpartition("/")[0] + "/" + name
    variants = [
        (f"{g}{'_checks' if c else ''}", g, c, 0)
        for g in ("daily", "weekly", "monthly", "workspace")
        for c in (0, checks)
    ] + [("daily_checks_batched", "daily", checks, BATCH)]
    try:
        instance = instance_on(url)
        instance.add_dynamic_partitions(WORKSPACES, [WS.format(1)])
        rows = []
        print(f"\n== 2. one run over all partitions since {START}, one workspace ({dt.date.today()})")
        print(
            f"   {'variant':<20} {'keys':>6} {'checks':>6} {'s':>8} {'events':>7}  "
            f"x{SCALE} workspaces (extrapolated)"
        )
        for variant, grain, n, batch in variants:
            row = run_over_range(instance, url, variant, grain, n, WS.format(1), batch)
            row["at_scale"] = extrapolate(row, by_day)
            rows.append(row)
            print(
                f"   {variant:<20} {row['keys_per_workspace']:>6} {n:>6} {row['seconds']:>8.2f} "
                f"{row['events']:>7}  {row['at_scale']['seconds_per_asset']:>7} s, "
                f"{row['at_scale']['events_per_asset']:>9} events, "
                f"{row['at_scale']['partition_keys_per_asset']:>9} keys per asset"
            )
        print("\n== 2b. partition status queries, daily keys")
        status = status_queries(instance, url, status_sizes, "daily")
        instance.dispose()
    finally:
        admin(base, f'drop database if exists "{name}" with (force)')
    return {"start_date": START, "checks_on_day_assets": by_day, "runs": rows, "status_queries": status}
