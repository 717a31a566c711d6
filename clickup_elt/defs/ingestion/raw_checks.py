"""Asset checks of the raw tables, evaluated by the materialization itself over the rows it wrote.

- `unique_ids` (blocking): no id twice in a workspace and day the run wrote; bad rows must not reach dbt;
- `complete`: every record ClickUp paged is accounted for (loaded, a repeat, or outside the
  days read) and the table still holds what the run loaded;
- `lists_known` (tasks, warning): every task's list is in `clickup/lists`, else the hierarchy is stale;
- `schema_drift` (warning): new top-level keys, or new custom field types, since earlier runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg
from psycopg2.extensions import connection as Connection

from clickup_elt.warehouse import check_queries as sql
from clickup_elt.warehouse import shapes
from clickup_elt.warehouse.check_queries import SAMPLE

if TYPE_CHECKING:
    from clickup_elt.warehouse.load import Loaded

WARN = dg.AssetCheckSeverity.WARN

# workspace -> the days a run covered ("2025-01-01..2025-01-31"; None: the whole workspace)
Spans = dict[str, str | None]


def raw_check_specs(entity: str, key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
    specs = [
        dg.AssetCheckSpec(
            "unique_ids",
            asset=key,
            blocking=True,
            description="Each id at most once per workspace and day.",
        ),
        dg.AssetCheckSpec(
            "complete",
            asset=key,
            description=(
                "Rows loaded equal the records ClickUp paged (less repeats and records of other days)."
            ),
        ),
        dg.AssetCheckSpec(
            "schema_drift",
            asset=key,
            description="No record keys (or custom field types) earlier runs never saw.",
        ),
    ]
    if entity == "tasks":
        specs.append(
            dg.AssetCheckSpec("lists_known", asset=key, description="Every task's list is in clickup/lists.")
        )
    return specs


def _unique(conn: Connection, entity: str, key: dg.AssetKey, run_id: str) -> dg.AssetCheckResult:
    dupes = sql.duplicate_ids(conn, entity, run_id)
    if not dupes:
        return dg.AssetCheckResult(check_name="unique_ids", asset_key=key, passed=True)
    sample = "; ".join(f"workspace {ws}, day {day or '-'}: id {i} ×{n}" for ws, day, i, n in dupes[:SAMPLE])
    return dg.AssetCheckResult(
        check_name="unique_ids",
        asset_key=key,
        passed=False,
        description=(
            f"clickup_raw.{entity} holds {len(dupes)} ids more than once ({sample}): "
            f"re-materialize clickup/{entity} for those days (first_day, last_day in its run config)"
        ),
        metadata={"duplicated_ids": len(dupes)},
    )


def _where(ws: str, spans: Spans) -> str:
    """ "workspace 123, days 2025-01-01..2025-01-31" (the span the run covered, when known)."""
    return f"workspace {ws}" + (f", days {spans[ws]}" if spans.get(ws) else "")


def _complete(
    conn: Connection,
    entity: str,
    key: dg.AssetKey,
    run_id: str,
    loaded_by_ws: dict[str, Loaded],
    spans: Spans,
) -> dg.AssetCheckResult:
    stored = sql.stored_rows(conn, entity, run_id)
    problems = []
    for ws, loaded in loaded_by_ws.items():
        if loaded.received + loaded.confirmed != loaded.rows + loaded.duplicates + loaded.outside:
            problems.append(
                f"{_where(ws, spans)}: ClickUp paged {loaded.received} records (and "
                f"{loaded.confirmed} confirmed one by one) but only {loaded.rows} loaded, "
                f"{loaded.duplicates} repeats and {loaded.outside} of other days are "
                f"accounted for"
            )
        if stored.get(ws, 0) != loaded.rows:
            problems.append(
                f"{_where(ws, spans)}: {loaded.rows} rows loaded but clickup_raw.{entity} "
                f"holds {stored.get(ws, 0)} of this run (another run replaced them?): "
                f"re-materialize clickup/{entity} for workspace {ws}"
            )
    metadata = {
        "records_paged": sum(v.received for v in loaded_by_ws.values()),
        "rows_loaded": sum(v.rows for v in loaded_by_ws.values()),
        "repeats": sum(v.duplicates for v in loaded_by_ws.values()),
        "outside_days_read": sum(v.outside for v in loaded_by_ws.values()),
        "confirmed_one_by_one": sum(v.confirmed for v in loaded_by_ws.values()),
    }
    return dg.AssetCheckResult(
        check_name="complete",
        asset_key=key,
        passed=not problems,
        description="; ".join(problems) or None,
        metadata=metadata,
    )


def _lists_known(conn: Connection, key: dg.AssetKey, run_id: str, spans: Spans) -> dg.AssetCheckResult:
    orphans = sql.tasks_in_unknown_lists(conn, run_id)
    if not orphans:
        return dg.AssetCheckResult(check_name="lists_known", asset_key=key, passed=True)
    text = "; ".join(
        f"{_where(ws, spans)}: {n} tasks in lists missing from clickup/lists (e.g. {', '.join(lists)}): "
        f"the hierarchy is stale, materialize clickup/lists for workspace {ws}"
        for ws, n, lists in orphans
    )
    return dg.AssetCheckResult(
        check_name="lists_known",
        asset_key=key,
        passed=False,
        severity=WARN,
        description=text,
        metadata={"tasks_in_unknown_lists": sum(n for _, n, _ in orphans)},
    )


def _drift(
    conn: Connection, entity: str, key: dg.AssetKey, run_id: str, loaded_by_ws: dict[str, Loaded]
) -> dg.AssetCheckResult:
    seen = shapes.merged(loaded.shapes for loaded in loaded_by_ws.values())
    fresh = sql.new_shapes(conn, entity, run_id, seen)
    if not fresh:
        return dg.AssetCheckResult(check_name="schema_drift", asset_key=key, passed=True)
    labels = {
        "key": "new top-level keys",
        "custom_field_type": "new custom field types",
        "field_type": "new custom field types",
    }
    text = "; ".join(f"{labels[kind]}: {', '.join(values)}" for kind, values in fresh.items())
    return dg.AssetCheckResult(
        check_name="schema_drift",
        asset_key=key,
        passed=False,
        severity=WARN,
        description=(
            f"clickup/{entity}: {text}. The raw rows keep them; the dbt staging model "
            f"stg_clickup__{entity} may need to read them"
        ),
        metadata={kind: ", ".join(values) for kind, values in fresh.items()},
    )


def raw_check_results(
    conn: Connection,
    entity: str,
    key: dg.AssetKey,
    run_id: str,
    loaded_by_ws: dict[str, Loaded],
    spans: Spans | None = None,
) -> list[dg.AssetCheckResult]:
    """`spans`: workspace -> the days the run covered, for the messages."""
    spans = spans or {}
    results = [
        _unique(conn, entity, key, run_id),
        _complete(conn, entity, key, run_id, loaded_by_ws, spans),
        _drift(conn, entity, key, run_id, loaded_by_ws),
    ]
    if entity == "tasks":
        results.append(_lists_known(conn, key, run_id, spans))
    return results
