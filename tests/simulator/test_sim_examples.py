"""ClickUp's documented example answers: decoded with the pipeline's JSON library, checked against the same
relaxed schemas the simulator satisfies, and fed through the pipeline's own extraction and load code.

Where an example contradicts live behaviour it is listed in ERRATA with the exact errors it produces;
the test fails if an example breaks in any other way, or stops breaking in the listed way.
"""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from clickup_elt.clickup.extract import comments, goals, hierarchy, tasks, time_entries, time_in_status, workspace
from clickup_elt.clickup.pagination import iter_pages
from clickup_elt.records import Findings
from clickup_elt.clickup.windows import DayRange
from clickup_elt.warehouse.load import _CopySource
from clickup_spec import EXAMPLES_DIR, errors

OPERATIONS = {
    "get_authorized_teams": "GET /team", "get_authorized_user": "GET /user",
    "get_bulk_tasks_time_in_status": "GET /task/bulk_time_in_status/task_ids",
    "get_chat_view_comments": "GET /view/{}/comment", "get_custom_roles": "GET /team/{}/customroles",
    "get_custom_task_types": "GET /team/{}/custom_item", "get_filtered_team_tasks": "GET /team/{}/task",
    "get_folder": "GET /folder/{}", "get_folder_views": "GET /folder/{}/view", "get_folders": "GET /space/{}/folder",
    "get_goal": "GET /goal/{}", "get_goals": "GET /team/{}/goal", "get_list": "GET /list/{}",
    "get_list_comments": "GET /list/{}/comment", "get_list_members": "GET /list/{}/member",
    "get_list_views": "GET /list/{}/view", "get_running_time_entry": "GET /team/{}/time_entries/current",
    "get_shared_hierarchy": "GET /team/{}/shared", "get_space": "GET /space/{}", "get_space_tags": "GET /space/{}/tag",
    "get_space_views": "GET /space/{}/view", "get_spaces": "GET /team/{}/space",
    "get_task_comments": "GET /task/{}/comment", "get_task_members": "GET /task/{}/member",
    "get_task_templates": "GET /team/{}/taskTemplate", "get_task_time_in_status": "GET /task/{}/time_in_status",
    "get_task_tracked_time_legacy": "GET /task/{}/time", "get_team_views": "GET /team/{}/view",
    "get_threaded_comments": "GET /comment/{}/reply", "get_time_entries": "GET /team/{}/time_entries",
    "get_time_entry": "GET /team/{}/time_entries/{}", "get_time_entry_tags": "GET /team/{}/time_entries/tags",
    "get_user": "GET /team/{}/user/{}", "get_user_groups": "GET /group", "get_view": "GET /view/{}",
    "get_view_tasks": "GET /view/{}/task", "get_webhooks": "GET /team/{}/webhook",
    "get_workspace_plan": "GET /team/{}/plan", "get_workspace_seats": "GET /team/{}/seats",
}
# fragments of the answers' own JSON, checked against the matching part of a task answer
FRAGMENTS = {"task_custom_field_values": "custom_fields", "task_subtask_item": "subtasks"}
ERRATA = {  # example -> (error prefixes it is known to produce, why the example and not the schema is wrong)
    "get_filtered_team_tasks": (["tasks/0/priority"],
                                "priority is an integer here; live tasks carry an object or null (API_NOTES §2.6)"),
    "get_spaces": (["spaces/0/members/0/user/id"], "the user id is the string '12312312,' (a stray comma)"),
    "get_time_entry": (["data"], "the example drops `tags`, which every time entry carries"),
    "get_view": (["<root>"], "the example is a one-element array instead of the documented object"),
    "get_view_tasks": (["tasks/0/time_spent", "tasks/1/priority", "tasks/1/time_spent"],
                       "time_spent null against a string schema, priority null against an object schema"),
}


def example(name: str):
    return orjson.loads((EXAMPLES_DIR / f"{name}.docs.json").read_bytes())


def test_every_example_is_mapped():
    names = {p.name.removesuffix(".docs.json") for p in EXAMPLES_DIR.glob("*.docs.json")}
    webhooks = {n for n in names if n.startswith("webhook_") or n == "create_webhook"}
    assert names - webhooks == set(OPERATIONS) | set(FRAGMENTS)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_example_matches_the_relaxed_schema(name):
    problems = errors(OPERATIONS[name], example(name))
    expected, _ = ERRATA.get(name, ([], ""))
    assert sorted({p.split(":")[0] for p in problems}) == sorted(expected), problems


def test_fragment_examples_match_the_task_schema():
    task = example("get_filtered_team_tasks")["tasks"][0]
    whole = {**task, "priority": None, "custom_fields": example("task_custom_field_values"),
             "subtasks": [example("task_subtask_item")]}
    assert errors("GET /task/{}", whole) == []


def test_webhook_examples_decode_as_objects():
    # the pipeline does not consume webhooks; their payloads must at least be JSON objects naming the event
    for path in EXAMPLES_DIR.glob("webhook_*.docs.json"):
        body = orjson.loads(path.read_bytes())
        assert isinstance(body, dict) and "event" in body and "webhook_id" in body, path.name


class ExampleClient:
    """Answers every `get` with a documented example (pure parsing: nothing here is served over HTTP)."""

    def __init__(self, answers: dict):
        self.answers = answers
        self.calls = []

    def get(self, path, params=None, *, endpoint=None, key=None):
        self.calls.append((endpoint or path, params))
        answer = self.answers[endpoint]
        return answer(params) if callable(answer) else answer


DAYS = DayRange(dt.date(2017, 1, 1), dt.date(2030, 1, 1), dt.date(2017, 1, 1), dt.date(2030, 1, 1))


def loadable(rows) -> list:
    """The rows, after the loader encoded each as a COPY line (what `replace_rows` streams)."""
    rows = list(rows)
    source = _CopySource("1234", rows, "run")
    while source.read(1 << 16):
        pass
    assert source.count == len(rows)
    return rows


def test_examples_go_through_the_pipelines_extraction_and_load():
    teams = example("get_authorized_teams")
    client = ExampleClient({
        "GET /team": teams, "GET /group": example("get_user_groups"),
        "GET /team/{team_id}/space": lambda p: example("get_spaces") if p["archived"] == "false" else {"spaces": []},
        "GET /space/{space_id}/folder": lambda p: example("get_folders") if p["archived"] == "false" else {"folders": []},
        "GET /space/{space_id}/list": {"lists": []},
        "GET /folder/{folder_id}/list": lambda p: {"lists": [example("get_list")] if p["archived"] == "false" else []},
        "GET /space/{space_id}/tag": example("get_space_tags"),
        "GET /team/{team_id}/field": {"fields": example("task_custom_field_values")},
        "GET /list/{list_id}/field": {"fields": example("task_custom_field_values")},
        "GET /team/{team_id}/task": lambda p: example("get_filtered_team_tasks") if p["archived"] == "false"
        else {"tasks": []},
        "GET /task/{task_id}/comment": example("get_task_comments"),
        "GET /comment/{comment_id}/reply": example("get_threaded_comments"),
        "GET /team/{team_id}/time_entries": example("get_time_entries"),
        "GET /task/bulk_time_in_status/task_ids": example("get_bulk_tasks_time_in_status"),
        "GET /team/{team_id}/goal": example("get_goals"), "GET /goal/{goal_id}": example("get_goal"),
    })
    entry = workspace.team(client, "1234")
    assert [r.id for r in loadable(workspace.member_rows(entry, "1234"))] == ["123"]
    assert len(loadable(workspace.user_groups(client, "1234"))) == 2
    assert [r.id for r in loadable(hierarchy.spaces(client, "1234"))] == ["790", "791"]
    folders = loadable(hierarchy.folders(client, ["790"], Findings()))
    assert [(r.id, r.parent_type, r.parent_id) for r in folders] == [("457", "space", "790"), ("458", "folder", "457")]
    assert [r.id for r in loadable(hierarchy.lists(client, [], ["457"], Findings()))] == ["124"]
    assert [r.id for r in loadable(workspace.tags(client, ["790"], Findings()))] == ["790:Tag name"]
    fields = loadable(workspace.custom_fields(client, "1234", [], [], ["124"], Findings()))
    assert {r.parent_type for r in fields} == {"workspace"} and len(fields) == 6
    task_rows = loadable(tasks.tasks(client, "1234", DAYS))
    assert [(r.id, r.parent_id, r.partition_date) for r in task_rows] == [("av1", "1", dt.date(2017, 10, 18))]
    comment_rows = loadable(comments.comments(client, [("av1", dt.date(2017, 10, 18))], Findings()))
    assert [(r.id, r.parent_type) for r in comment_rows] == [("458", "task"), ("458", "comment")]
    entries = loadable(time_entries.time_entries(client, "1234", ["1"], DAYS, 1_600_000_000_000,
                                                  Findings()))
    assert [(r.id, r.parent_id) for r in entries] == [("1963465985517105840", "1vwwavv")]
    in_status = loadable(time_in_status.time_in_status(client, [("27075wz", None), ("20bbn28", None)],
                                                       Findings()))
    assert sorted(r.id for r in in_status) == ["20bbn28", "27075wz"]
    detailed = goals.goals_with_key_results(client, "1234", Findings())
    assert len(loadable(goals.goal_rows(detailed, "1234"))) == 1


def test_example_task_pages_stop_like_the_pipeline_expects():
    page = example("get_filtered_team_tasks")
    pages = list(iter_pages(lambda path, params, endpoint=None: page, "team/1/task", {}))
    assert [len(p) for p in pages] == [1]  # one short page and no `last_page`: the walk stops on its own
