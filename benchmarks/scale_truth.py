"""Completeness of a many-workspace sync: every record the simulator holds, read from its ground truth
over the control API (`/_sim/truth`), against the rows of `clickup_raw`, by workspace and id."""

from __future__ import annotations

import collections
from collections.abc import Iterator

import psycopg2
import requests

from clickup_elt.clickup.extract.workspace import tag_id

# entity -> (truth accessor, the ids in one answer)
TRUTH = {
    "workspaces": ("team", lambda team: [str(team["id"])]),
    "members": ("members", lambda rows: [str(m["user"]["id"]) for m in rows]),
    "user_groups": ("groups", lambda rows: [str(g["id"]) for g in rows]),
    "spaces": ("spaces", lambda rows: [str(s["id"]) for s in rows]),
    "folders": ("folders", lambda rows: [str(f["id"]) for f in rows]),
    "lists": ("lists", lambda rows: [str(x["id"]) for x in rows]),
    "custom_fields": ("custom_fields", lambda rows: [str(f["id"]) for _, _, f in rows]),
    "tags": ("tags", lambda spaces: [tag_id(s, t["name"]) for s, tags in spaces.items() for t in tags]),
    "goals": ("goals", lambda rows: [str(g["id"]) for g in rows]),
    "key_results": ("key_results", lambda rows: [str(k["id"]) for k in rows]),
    "tasks": ("task_ids", lambda ids: [str(t) for t in ids]),
    "comments": ("all_comments", lambda rows: [str(c["id"]) for _, _, c in rows]),
    "time_entries": ("time_entries", lambda rows: [str(e["id"]) for e in rows]),
    "task_time_in_status": ("time_in_status", lambda found: [str(t) for t in found]),
}


def expected_ids(control: str, workspace_ids: list[str]) -> dict[str, collections.Counter]:
    """(workspace, id) of every record the simulator holds, per raw table."""
    expected: dict[str, collections.Counter] = {entity: collections.Counter() for entity in TRUTH}
    with requests.Session() as session:
        for ws in workspace_ids:
            for entity, ids in _truth_of(session, control, ws):
                expected[entity].update((ws, i) for i in ids)
    return expected


def _truth_of(session: requests.Session, control: str, ws: str) -> Iterator[tuple[str, list[str]]]:
    for entity, (accessor, ids) in TRUTH.items():
        answer = session.get(f"{control}/truth/{ws}/{accessor}", timeout=600)
        answer.raise_for_status()
        yield entity, ids(answer.json())


def stored_ids(url: str) -> dict[str, collections.Counter]:
    """(workspace, id) of every row of the raw tables TRUTH names, counted (duplicates show)."""
    stored = {}
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            for entity in TRUTH:
                cur.execute(f"select workspace_id, id from clickup_raw.{entity}")
                stored[entity] = collections.Counter(cur.fetchall())
    finally:
        conn.close()
    return stored


def completeness(expected: dict[str, collections.Counter], stored: dict[str, collections.Counter]) -> dict:
    """Per raw table: records the simulator holds, rows stored, missing, unexpected and duplicated."""
    tables = {}
    for entity, want in expected.items():
        have = stored.get(entity, collections.Counter())
        tables[entity] = {
            "expected": sum(want.values()),
            "stored": sum(have.values()),
            "missing": sum((want - have).values()),
            "unexpected": len(set(have) - set(want)),
            "duplicated": sum(n - 1 for n in have.values() if n > 1),
        }
    expected_total = sum(t["expected"] for t in tables.values())
    found = expected_total - sum(t["missing"] for t in tables.values())
    return {
        "complete_percent": round(100 * found / expected_total, 3) if expected_total else 100.0,
        "records_expected": expected_total,
        "missing": sum(t["missing"] for t in tables.values()),
        "unexpected": sum(t["unexpected"] for t in tables.values()),
        "duplicated": sum(t["duplicated"] for t in tables.values()),
        "by_table": tables,
    }
