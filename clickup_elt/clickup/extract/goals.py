"""Goals and their key results (targets).

`GET /team/{id}/goal` lists goals without key results (goals inside a goal folder only under
`folders[].goals`); `GET /goal/{id}` adds them, one call per goal. A goal that vanishes between the
two keeps its listed record and its stored key results (noted in `findings`).
"""

from __future__ import annotations

from collections.abc import Iterator

from clickup_elt.clickup import vanished
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.records import Findings, RawRow


def goals_with_key_results(client: ClickUpClient, workspace_id: str, findings: Findings) -> list[dict]:
    payload = client.get(
        f"team/{workspace_id}/goal",
        {"include_completed": "true"},
        endpoint="GET /team/{team_id}/goal",
        key="goals",
    )
    listed = {str(goal["id"]): goal for goal in payload["goals"] or []}
    for folder in payload.get("folders") or []:
        listed.update((str(goal["id"]), goal) for goal in folder.get("goals") or [])
    detailed = []
    for goal_id, goal in listed.items():
        full = vanished.read(
            client, findings, "goal", goal_id, f"goal/{goal_id}", endpoint="GET /goal/{goal_id}", key="goal"
        )
        detailed.append((full or {}).get("goal") or goal)
    return detailed


def goal_rows(goals: list[dict], workspace_id: str) -> Iterator[RawRow]:
    for goal in goals:
        yield RawRow(id=str(goal["id"]), data=goal, parent_type="workspace", parent_id=workspace_id)


def key_result_rows(goals: list[dict]) -> Iterator[RawRow]:
    for goal in goals:
        for key_result in goal.get("key_results") or []:
            yield RawRow(
                id=str(key_result["id"]), data=key_result, parent_type="goal", parent_id=str(goal["id"])
            )
