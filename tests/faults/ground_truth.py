"""What every fault test checks at the end: the warehouse against the simulator's ground truth."""

from __future__ import annotations

import collections
import re

from pg import query

SURROGATE = re.compile("[\ud800-\udfff]")


def postgres_text(text: str) -> str:
    """`text` as far as Postgres can keep it: NUL removed, a lone surrogate replaced by U+FFFD."""
    return SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def stored(url: str, table: str, ws: str) -> collections.Counter:
    return collections.Counter(
        r[0] for r in query(url, f"select id from clickup_raw.{table} where workspace_id = %s", (ws,))
    )


def truth_rows(sim, ws: str) -> dict[str, collections.Counter]:
    """Ids of the tasks, comments (replies included) and time entries the token can reach."""
    return {
        "tasks": collections.Counter(sim.truth.task_ids(ws)),
        "comments": collections.Counter(c["id"] for _, _, c in sim.truth.all_comments(ws)),
        "time_entries": collections.Counter(e["id"] for e in sim.truth.time_entries(ws)),
    }


def differences(url: str, sim, ws: str) -> dict[str, dict]:
    """Per table: ids ClickUp serves that are missing, and ids stored more than once."""
    out = {}
    for table, expected in truth_rows(sim, ws).items():
        got = stored(url, table, ws)
        missing = sorted(set(expected) - set(got))
        twice = sorted(i for i, n in got.items() if n > 1)
        if missing or twice:
            out[table] = {"missing": missing[:10], "missing_count": len(missing), "duplicated": twice[:10]}
    return out


def assert_complete(url: str, sim, ws: str) -> None:
    """Every reachable task, comment and time entry is stored exactly once."""
    assert differences(url, sim, ws) == {}
