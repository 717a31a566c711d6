"""Dirty text in real workspaces: a NUL pasted into a description, half of an emoji left by a cut.

Before, one such string stopped a workspace's sync on every run (COPY refused the NUL; the cut emoji
made the page undecodable, retried as malformed until the load failed). Now the text is kept as far
as Postgres allows and nothing else changes."""

import pytest

from clickup_elt.sync import run_sync
from ground_truth import assert_complete, postgres_text
from pg import query

pytestmark = pytest.mark.e2e

NUL, CUT = "\u0000", "\ud83d"
DIRTY = f"Plan{NUL} for Q3 {CUT}rocket"


def one(url, sql, params):
    rows = query(url, sql, params)
    assert len(rows) == 1, rows
    return rows[0][0]


def test_nul_bytes_and_cut_emoji_anywhere_are_loaded_as_postgres_allows(sim_env, database_url):
    sim = sim_env(seed=31, tasks=120)
    (ws,) = sim.truth.workspace_ids()
    tasks = sim.truth.tasks(ws)
    named, described, commented, timed = (t["id"] for t in tasks[:4])
    field_task = next(
        t for t in tasks[4:] if any(f["type"] in ("text", "short_text") for f in t["custom_fields"])
    )
    field = next(f for f in field_task["custom_fields"] if f["type"] in ("text", "short_text"))
    sim.update_task(named, name=DIRTY)
    sim.update_task(described, description=DIRTY)
    sim.update_task(field_task["id"], custom_fields={field["id"]: DIRTY})
    comment = sim.create_comment(commented, DIRTY)
    entry = sim.create_time_entry(timed, description=DIRTY)
    space = sim.truth.spaces(ws)[0]["id"]
    lst = sim.create_list(space, DIRTY)

    result = run_sync(full=True)
    assert result.success, result.failures

    clean = postgres_text(DIRTY)
    assert clean == "Plan for Q3 \ufffdrocket"
    assert one(database_url, "select data->>'name' from clickup_raw.tasks where id = %s", (named,)) == clean
    assert (
        one(database_url, "select data->>'description' from clickup_raw.tasks where id = %s", (described,))
        == clean
    )
    values = one(
        database_url, "select data->'custom_fields' from clickup_raw.tasks where id = %s", (field_task["id"],)
    )
    assert {f["id"]: f.get("value") for f in values}[field["id"]] == clean
    assert (
        one(
            database_url,
            "select data->>'comment_text' from clickup_raw.comments where id = %s",
            (comment["id"],),
        )
        == clean
    )
    assert (
        one(
            database_url,
            "select data->>'description' from clickup_raw.time_entries where id = %s",
            (str(entry["id"]),),
        )
        == clean
    )
    assert (
        one(database_url, "select data->>'name' from clickup_raw.lists where id = %s", (lst["id"],)) == clean
    )
    # the marts read it like any other text
    assert one(database_url, "select name from clickup.tasks where task_id = %s", (named,)) == clean
    assert one(database_url, "select list_name from clickup.lists where list_id = %s", (lst["id"],)) == clean
    assert_complete(database_url, sim, ws)
