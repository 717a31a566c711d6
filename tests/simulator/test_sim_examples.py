"""ClickUp's documented example answers, checked against the same relaxed schemas the simulator satisfies
(the pipeline's own extraction and load code reads them in tests/test_documented_examples.py).

Where an example contradicts live behaviour it is listed in ERRATA with the exact errors it produces;
the test fails if an example breaks in any other way, or stops breaking in the listed way.
"""

from __future__ import annotations

import orjson
import pytest

from clickup_spec import EXAMPLES_DIR, errors

OPERATIONS = {
    "get_authorized_teams": "GET /team",
    "get_authorized_user": "GET /user",
    "get_bulk_tasks_time_in_status": "GET /task/bulk_time_in_status/task_ids",
    "get_chat_view_comments": "GET /view/{}/comment",
    "get_custom_roles": "GET /team/{}/customroles",
    "get_custom_task_types": "GET /team/{}/custom_item",
    "get_filtered_team_tasks": "GET /team/{}/task",
    "get_folder": "GET /folder/{}",
    "get_folder_views": "GET /folder/{}/view",
    "get_folders": "GET /space/{}/folder",
    "get_goal": "GET /goal/{}",
    "get_goals": "GET /team/{}/goal",
    "get_list": "GET /list/{}",
    "get_list_comments": "GET /list/{}/comment",
    "get_list_members": "GET /list/{}/member",
    "get_list_views": "GET /list/{}/view",
    "get_running_time_entry": "GET /team/{}/time_entries/current",
    "get_shared_hierarchy": "GET /team/{}/shared",
    "get_space": "GET /space/{}",
    "get_space_tags": "GET /space/{}/tag",
    "get_space_views": "GET /space/{}/view",
    "get_spaces": "GET /team/{}/space",
    "get_task_comments": "GET /task/{}/comment",
    "get_task_members": "GET /task/{}/member",
    "get_task_templates": "GET /team/{}/taskTemplate",
    "get_task_time_in_status": "GET /task/{}/time_in_status",
    "get_task_tracked_time_legacy": "GET /task/{}/time",
    "get_team_views": "GET /team/{}/view",
    "get_threaded_comments": "GET /comment/{}/reply",
    "get_time_entries": "GET /team/{}/time_entries",
    "get_time_entry": "GET /team/{}/time_entries/{}",
    "get_time_entry_tags": "GET /team/{}/time_entries/tags",
    "get_user": "GET /team/{}/user/{}",
    "get_user_groups": "GET /group",
    "get_view": "GET /view/{}",
    "get_view_tasks": "GET /view/{}/task",
    "get_webhooks": "GET /team/{}/webhook",
    "get_workspace_plan": "GET /team/{}/plan",
    "get_workspace_seats": "GET /team/{}/seats",
}
# fragments of the answers' own JSON, checked against the matching part of a task answer
FRAGMENTS = {"task_custom_field_values": "custom_fields", "task_subtask_item": "subtasks"}
ERRATA = {  # example -> (error prefixes it is known to produce, why the example and not the schema is wrong)
    "get_filtered_team_tasks": (
        ["tasks/0/priority"],
        "priority is an integer here; live tasks carry an object or null (docs/clickup-api.md §2.6)",
    ),
    "get_spaces": (["spaces/0/members/0/user/id"], "the user id is the string '12312312,' (a stray comma)"),
    "get_time_entry": (["data"], "the example drops `tags`, which every time entry carries"),
    "get_view": (["<root>"], "the example is a one-element array instead of the documented object"),
    "get_view_tasks": (
        ["tasks/0/time_spent", "tasks/1/priority", "tasks/1/time_spent"],
        "time_spent null against a string schema, priority null against an object schema",
    ),
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
    whole = {
        **task,
        "priority": None,
        "custom_fields": example("task_custom_field_values"),
        "subtasks": [example("task_subtask_item")],
    }
    assert errors("GET /task/{}", whole) == []


def test_webhook_examples_decode_as_objects():
    # deliveries are compared with them key by key in test_sim_webhooks_events.py
    for path in EXAMPLES_DIR.glob("webhook_*.docs.json"):
        body = orjson.loads(path.read_bytes())
        assert isinstance(body, dict) and "event" in body and "webhook_id" in body, path.name
