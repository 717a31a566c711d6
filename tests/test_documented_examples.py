"""ClickUp's documented example answers fed through the pipeline's own extraction and load code (decoded
with orjson, as the client decodes answers). The examples, and the schema checks that list where they
contradict live behaviour, live with the simulator's tests (tests/simulator/examples)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson

from clickup_elt.clickup.extract import (
    comments,
    goals,
    hierarchy,
    tasks,
    time_entries,
    time_in_status,
    workspace,
)
from clickup_elt.clickup.pagination import iter_pages
from clickup_elt.clickup.windows import DayRange
from clickup_elt.records import Findings
from clickup_elt.warehouse.load import _CopySource

EXAMPLES_DIR = Path(__file__).parent / "simulator" / "examples"
DAYS = DayRange(dt.date(2017, 1, 1), dt.date(2030, 1, 1), dt.date(2017, 1, 1), dt.date(2030, 1, 1))


def example(name: str):
    return orjson.loads((EXAMPLES_DIR / f"{name}.docs.json").read_bytes())


class ExampleClient:
    """Answers every `get` with a documented example (pure parsing: nothing here is served over HTTP)."""

    def __init__(self, answers: dict):
        self.answers = answers
        self.calls = []

    def get(self, path, params=None, *, endpoint=None, key=None):
        self.calls.append((endpoint or path, params))
        answer = self.answers[endpoint]
        return answer(params) if callable(answer) else answer


def loadable(rows) -> list:
    """The rows, after the loader encoded each as a COPY line (what `replace_rows` streams)."""
    rows = list(rows)
    source = _CopySource("1234", rows, ("run", dt.datetime.now(dt.timezone.utc)))
    while source.read(1 << 16):
        pass
    assert source.count == len(rows)
    return rows


def test_examples_go_through_extraction_and_load():
    teams = example("get_authorized_teams")
    client = ExampleClient(
        {
            "GET /team": teams,
            "GET /group": example("get_user_groups"),
            "GET /team/{team_id}/space": lambda p: (
                example("get_spaces") if p["archived"] == "false" else {"spaces": []}
            ),
            "GET /space/{space_id}/folder": lambda p: (
                example("get_folders") if p["archived"] == "false" else {"folders": []}
            ),
            "GET /space/{space_id}/list": {"lists": []},
            "GET /folder/{folder_id}/list": lambda p: {
                "lists": [example("get_list")] if p["archived"] == "false" else []
            },
            "GET /space/{space_id}/tag": example("get_space_tags"),
            "GET /team/{team_id}/field": {"fields": example("task_custom_field_values")},
            "GET /list/{list_id}/field": {"fields": example("task_custom_field_values")},
            "GET /team/{team_id}/task": lambda p: (
                example("get_filtered_team_tasks") if p["archived"] == "false" else {"tasks": []}
            ),
            "GET /task/{task_id}/comment": example("get_task_comments"),
            "GET /comment/{comment_id}/reply": example("get_threaded_comments"),
            "GET /team/{team_id}/time_entries": example("get_time_entries"),
            "GET /task/bulk_time_in_status/task_ids": example("get_bulk_tasks_time_in_status"),
            "GET /team/{team_id}/goal": example("get_goals"),
            "GET /goal/{goal_id}": example("get_goal"),
        }
    )
    entry = workspace.team(client, "1234")
    assert [r.id for r in loadable(workspace.member_rows(entry, "1234"))] == ["123"]
    assert len(loadable(workspace.user_groups(client, "1234"))) == 2
    assert [r.id for r in loadable(hierarchy.spaces(client, "1234"))] == ["790", "791"]
    folders = loadable(hierarchy.folders(client, ["790"], Findings()))
    assert [(r.id, r.parent_type, r.parent_id) for r in folders] == [
        ("457", "space", "790"),
        ("458", "folder", "457"),
    ]
    assert [r.id for r in loadable(hierarchy.lists(client, [], ["457"], Findings()))] == ["124"]
    assert [r.id for r in loadable(workspace.tags(client, ["790"], Findings()))] == ["790:Tag name"]
    fields = loadable(workspace.custom_fields(client, "1234", [], [], ["124"], Findings()))
    assert {r.parent_type for r in fields} == {"workspace"} and len(fields) == 6
    task_rows = loadable(tasks.tasks(client, "1234", DAYS))
    assert [(r.id, r.parent_id, r.partition_date) for r in task_rows] == [("av1", "1", dt.date(2017, 10, 18))]
    comment_rows = loadable(comments.comments(client, [("av1", dt.date(2017, 10, 18))], Findings()))
    assert [(r.id, r.parent_type) for r in comment_rows] == [("458", "task"), ("458", "comment")]
    entries = loadable(time_entries.time_entries(client, "1234", ["1"], DAYS, 1_600_000_000_000, Findings()))
    assert [(r.id, r.parent_id) for r in entries] == [("1963465985517105840", "1vwwavv")]
    in_status = loadable(
        time_in_status.time_in_status(client, [("27075wz", None), ("20bbn28", None)], Findings())
    )
    assert sorted(r.id for r in in_status) == ["20bbn28", "27075wz"]
    detailed = goals.goals_with_key_results(client, "1234", Findings())
    assert len(loadable(goals.goal_rows(detailed, "1234"))) == 1


def test_example_task_pages_stop_like_the_pipeline_expects():
    page = example("get_filtered_team_tasks")
    pages = list(iter_pages(lambda path, params, endpoint=None: page, "team/1/task", {}))
    assert [len(p) for p in pages] == [1]  # one short page and no `last_page`: the walk stops on its own
