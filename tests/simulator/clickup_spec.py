"""ClickUp's official response schemas (openapi-v2.json, a byte-for-byte copy beside this file), and the
one list of places where they are wrong about live responses.

Every 200 answer of the simulator and every documented example is validated against the schema of its
operation after these relaxations, never around them. Each relaxation says why; most are the live
behaviour recorded in API_NOTES §2.6 (nulls the spec does not allow, integer task counts, sparse space
features), the rest are schemas generated from a single example (arrays of "string" where the example
array was empty, a required key per example task id) or `oneOf`s whose alternatives overlap.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from jsonschema import Draft202012Validator

SPEC_PATH = Path(__file__).with_name("openapi-v2.json")
EXAMPLES_DIR = Path(__file__).with_name("examples")

USER = {"type": "object", "required": ["id"], "properties": {
    "id": {"type": "integer"}, "username": {"type": ["string", "null"]}, "email": {"type": "string"},
    "color": {"type": ["string", "null"]}, "initials": {"type": "string"},
    "profilePicture": {"type": ["string", "null"]}}}
TAG = {"type": "object", "required": ["name", "tag_fg", "tag_bg"], "properties": {
    "name": {"type": "string"}, "tag_fg": {"type": "string"}, "tag_bg": {"type": "string"},
    "creator": {"type": "integer"}}}
DEPENDENCY_OR_LINK = {"type": "object", "required": ["task_id", "date_created", "userid", "workspace_id"],
                      "properties": {"task_id": {"type": "string"}, "depends_on": {"type": "string"},
                                     "link_id": {"type": "string"}, "type": {"type": "integer"},
                                     "date_created": {"type": "string"}, "userid": {"type": "string"},
                                     "workspace_id": {"type": "string"}, "chain_id": {"type": ["string", "null"]}}}
CHECKLIST_ITEM = {"type": "object", "required": ["id", "name", "orderindex", "resolved", "children"],
                  "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                 "orderindex": {"type": "integer"}, "assignee": {"anyOf": [USER, {"type": "null"}]},
                                 "resolved": {"type": "boolean"}, "parent": {"type": ["string", "null"]},
                                 "date_created": {"type": "string"}, "children": {"type": "array"}}}
CHECKLIST = {"type": "object", "required": ["id", "task_id", "name", "orderindex", "resolved", "unresolved", "items"],
             "properties": {"id": {"type": "string"}, "task_id": {"type": "string"}, "name": {"type": "string"},
                            "orderindex": {"type": "integer"}, "creator": {"type": "integer"},
                            "resolved": {"type": "integer"}, "unresolved": {"type": "integer"},
                            "items": {"type": "array", "items": CHECKLIST_ITEM}}}
PRIORITY = {"anyOf": [{"type": "null"}, {"type": "object", "required": ["id", "priority", "color", "orderindex"],
                                         "properties": {"id": {"type": "string"}, "priority": {"type": "string"},
                                                        "color": {"type": "string"},
                                                        "orderindex": {"type": "string"}}}]}
LIST_ITEM = {"type": "object", "required": ["id", "name", "orderindex", "task_count", "space", "archived"],
             "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "orderindex": {"type": "integer"},
                            "task_count": {"type": ["integer", "string"]}, "archived": {"type": "boolean"},
                            "space": {"type": "object"}, "folder": {"type": "object"}}}
KEY_RESULT = {"type": "object", "required": ["id", "goal_id", "name", "type", "creator", "date_created"],
              "properties": {"id": {"type": "string"}, "goal_id": {"type": "string"}, "name": {"type": "string"},
                             "type": {"type": "string"}, "creator": {"type": "integer"},
                             "date_created": {"type": "string"}, "owners": {"type": "array", "items": USER},
                             "task_ids": {"type": "array", "items": {"type": "string"}},
                             "subcategory_ids": {"type": "array", "items": {"type": "string"}}}}
GOAL_MEMBER = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}

_READ_SPEC_NULLS = "live answers carry null here (API_NOTES §2.6)"
_ONE_EXAMPLE = "the schema was generated from one example whose array was empty or held another shape"


@dataclass(frozen=True)
class Relaxation:
    operation: str  # "GET /team/{}/task" (parameters written {}) or "*" for every operation
    where: str  # dotted path into the 200 schema; "*" steps into array items, "" is the root
    change: str  # nullable | optional:<key> | allow:<type> | replace | no_required | any_of | object_or_list
    why: str
    schema: dict | None = None


RELAXATIONS: list[Relaxation] = [
    # -- every operation ---------------------------------------------------------------------------
    Relaxation("*", "<user objects>", "nullable-user-keys",
               "user objects carry null color, profilePicture and (invitees) username (API_NOTES §2.6)"),
    Relaxation("*", "<oneOf>", "any_of",
               "the spec's oneOf alternatives overlap ({type: [string, null]} next to an untyped one), so a "
               "null that every alternative accepts fails oneOf; anyOf is what the spec means"),
    # -- workspace ---------------------------------------------------------------------------------
    Relaxation("GET /team", "teams.*.avatar", "nullable", _READ_SPEC_NULLS),
    Relaxation("GET /team/{}/user/{}", "member.user.custom_role", "nullable",
               "members without a custom role carry null, as GET /team's live members do (API_NOTES §5)"),
    # -- hierarchy ---------------------------------------------------------------------------------
    *[Relaxation(op, f"{base}{key}", "nullable", _READ_SPEC_NULLS)
      for op, base in (("GET /team/{}/space", "spaces.*."), ("GET /space/{}", ""))
      for key in ("color", "avatar", "admin_can_manage")],
    *[Relaxation(op, f"{base}features", "no_required",
                 "space features hold only the ClickApps configured; any key may be missing (API_NOTES §2.6)")
      for op, base in (("GET /team/{}/space", "spaces.*."), ("GET /space/{}", ""))],
    *[Relaxation(op, f"{base}features.time_tracking", "no_required",
                 "time_tracking may come without `enabled` (API_NOTES §2.6)")
      for op, base in (("GET /team/{}/space", "spaces.*."), ("GET /space/{}", ""))],
    Relaxation("GET /space/{}/folder", "folders", "replace",
               "the spec types `folders` as one object; the answer (and its own example) is an array of folders",
               {"type": "array", "items": {"$same-as-before": True}}),
    *[Relaxation(op, path, "replace", "folders embed their lists as list objects, not strings (spec example: [])",
                 {"type": "array", "items": LIST_ITEM})
      for op, path in (("GET /space/{}/folder", "folders.*.lists"), ("GET /folder/{}", "lists"))],
    *[Relaxation(op, "lists.*.task_count", "allow:integer", "task_count is an integer on lists (API_NOTES §2.6)")
      for op in ("GET /folder/{}/list", "GET /space/{}/list")],
    Relaxation("GET /list/{}", "task_count", "allow:integer", "task_count is an integer on lists (API_NOTES §2.6)"),
    Relaxation("GET /team/{}/shared", "shared.lists.*.task_count", "allow:integer",
               "task_count is an integer on lists (API_NOTES §2.6)"),
    *[Relaxation("GET /list/{}", key, "nullable", _READ_SPEC_NULLS) for key in ("status", "priority", "due_date")],
    # -- tasks -------------------------------------------------------------------------------------
    *[Relaxation("GET /list/{}/task", f"tasks.*.{key}.*", "replace", _ONE_EXAMPLE, schema)
      for key, schema in (("assignees", USER), ("watchers", USER), ("tags", TAG), ("checklists", CHECKLIST),
                          ("dependencies", DEPENDENCY_OR_LINK), ("linked_tasks", DEPENDENCY_OR_LINK))],
    Relaxation("GET /list/{}/task", "tasks.*.time_estimate", "replace",
               "time_estimate is a number of ms or null, as Get Task's schema says", {"type": ["number", "null"]}),
    *[Relaxation(op, path, "replace", "priority is null or an object, never an integer (API_NOTES §2.6)", PRIORITY)
      for op, path in (("GET /list/{}/task", "tasks.*.priority"), ("GET /team/{}/task", "tasks.*.priority"),
                       ("GET /task/{}", "priority"))],
    *[Relaxation("GET /team/{}/task", f"tasks.*.{key}", "nullable", _READ_SPEC_NULLS)
      for key in ("date_closed", "parent", "due_date", "start_date", "points", "time_estimate")],
    *[Relaxation("GET /team/{}/task", f"tasks.*.{key}.*", "replace", _ONE_EXAMPLE, DEPENDENCY_OR_LINK)
      for key in ("dependencies", "linked_tasks")],
    Relaxation("GET /team/{}/task", "tasks.*.checklists.*.items.*", "replace",
               "checklist items carry a user object or null as assignee and nested items as children "
               "(the spec's items say string)", CHECKLIST_ITEM),
    Relaxation("GET /task/bulk_time_in_status/task_ids", "", "replace",
               "the schema requires the two task ids of its example; the answer is keyed by the ids asked",
               {"type": "object", "additionalProperties": {"$time-in-status": True}}),
    # -- comments ----------------------------------------------------------------------------------
    *[Relaxation(op, f"comments.*.{key}", "nullable", "unassigned comments carry null assignee and assigned_by")
      for op in ("GET /task/{}/comment", "GET /list/{}/comment", "GET /comment/{}/reply", "GET /view/{}/comment")
      for key in ("assignee", "assigned_by")],
    # -- goals -------------------------------------------------------------------------------------
    Relaxation("GET /goal/{}", "goal.key_results.*", "replace", _ONE_EXAMPLE, KEY_RESULT),
    Relaxation("GET /goal/{}", "goal.members.*", "replace", _ONE_EXAMPLE, GOAL_MEMBER),
    Relaxation("GET /team/{}/goal", "goals.*.owners.*", "replace", _ONE_EXAMPLE, USER),
    Relaxation("GET /team/{}/goal", "folders.*.goals.*.owners.*", "replace", _ONE_EXAMPLE, USER),
    Relaxation("GET /team/{}/goal", "folders.*.goals.*.members.*", "replace", _ONE_EXAMPLE, GOAL_MEMBER),
    # -- time tracking -----------------------------------------------------------------------------
    Relaxation("GET /team/{}/time_entries", "data.*", "optional:end", "a running timer has no end yet"),
    Relaxation("GET /team/{}/time_entries", "data.*", "optional:task_tags",
               "task_tags come only with include_task_tags=true (API_NOTES §5)"),
    Relaxation("GET /team/{}/time_entries", "data.*.tags.*", "replace", "time-entry tags are tag objects", TAG),
    Relaxation("GET /team/{}/time_entries", "data.*.task.custom_id", "nullable",
               "custom_id is null unless the Custom Task IDs ClickApp is on (API_NOTES §2.4)"),
    *[Relaxation("GET /team/{}/time_entries", f"data.*.{key}", "allow:integer",
                 "the documented example sends start/end as numbers, the schema as strings (API_NOTES §2.4)")
      for key in ("start", "end")],
    Relaxation("GET /team/{}/time_entries/{}", "data", "optional:end", "a running timer has no end yet"),
    Relaxation("GET /team/{}/time_entries/{}", "data", "optional:task_tags",
               "task_tags come only with include_task_tags=true (API_NOTES §5)"),
    *[Relaxation(op, path, f"optional:{key}", "location names come only with include_location_names=true "
                 "(API_NOTES §5)")
      for op, path in (("GET /team/{}/time_entries", "data.*.task_location"),
                       ("GET /team/{}/time_entries/{}", "data.task_location"))
      for key in ("list_name", "folder_name", "space_name")],
    Relaxation("GET /team/{}/time_entries/{}", "data.tags.*", "replace", "time-entry tags are tag objects", TAG),
    Relaxation("GET /team/{}/time_entries/{}", "data", "object_or_list",
               "the schema says one object, the documented example a one-element array"),
    Relaxation("GET /team/{}/time_entries/current", "data", "nullable",
               "data is null when the user has no timer running"),
]


def normalize(template: str) -> str:
    """"GET /team/{team_id}/task" → "GET /team/{}/task" (the spec names parameters differently)."""
    return re.sub(r"\{[^}]+\}", "{}", template)


@cache
def _spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


def _pointer(document, ref: str):
    for part in ref.lstrip("#/").split("/"):
        key = unquote(part).replace("~1", "/").replace("~0", "~")
        document = document[int(key)] if isinstance(document, list) else document[key]
    return document


def _resolve(node, depth: int = 0):
    """Inline the spec's `#/paths/...` references (its schemas point into each other)."""
    if isinstance(node, dict):
        if "$ref" in node and depth < 30:
            return _resolve(_pointer(_spec(), node["$ref"]), depth + 1)
        return {k: _resolve(v, depth) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, depth) for v in node]
    return node


@cache
def _raw_schemas() -> dict[str, dict]:
    out = {}
    for path, operations in _spec()["paths"].items():
        get = operations.get("get") or {}
        content = get.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        if "schema" in content:
            out["GET " + normalize(path[len("/v2"):])] = content["schema"]
    return out


def has_schema(operation: str) -> bool:
    return normalize(operation) in _raw_schemas()


def _walk(holder: dict, where: str) -> list[tuple[dict, str]]:
    """(parent schema, key) pairs addressed by a dotted path; "*" steps into array items, "" is the root
    (`holder[""]`)."""
    if where == "":
        return [(holder, "")]
    schema = holder[""]
    parts = where.split(".")
    nodes = [schema]
    for part in parts[:-1]:
        nodes = [n["items"] if part == "*" else n.get("properties", {}).get(part) for n in nodes]
        nodes = [n for n in nodes if n is not None]
    last = parts[-1]
    if last == "*":
        return [(n, "items") for n in nodes]
    return [(n["properties"], last) for n in nodes if last in n.get("properties", {})]


def _nullable(node: dict) -> dict:
    kind = node.get("type")
    if isinstance(kind, str):
        return {**node, "type": [kind, "null"]}
    if isinstance(kind, list):
        return {**node, "type": sorted(set(kind) | {"null"})}
    return {"anyOf": [node, {"type": "null"}]}


def _everywhere(node, fn):
    if isinstance(node, dict):
        node = fn(node)
        return {k: _everywhere(v, fn) for k, v in node.items()}
    if isinstance(node, list):
        return [_everywhere(v, fn) for v in node]
    return node


def _user_keys(node: dict) -> dict:
    props = node.get("properties")
    if isinstance(props, dict) and "profilePicture" in props:
        props = dict(props)
        for key in ("profilePicture", "color", "username"):
            if key in props and isinstance(props[key], dict):
                props[key] = _nullable(props[key])
        node = {**node, "properties": props}
    return node


def _one_of_as_any_of(node: dict) -> dict:
    if "oneOf" not in node:
        return node
    return {**{k: v for k, v in node.items() if k != "oneOf"}, "anyOf": node["oneOf"]}


def relaxed_schema(operation: str) -> dict:
    operation = normalize(operation)
    schema = copy.deepcopy(_resolve(_raw_schemas()[operation]))
    for r in RELAXATIONS:
        if r.operation not in ("*", operation):
            continue
        if r.change == "nullable-user-keys":
            schema = _everywhere(schema, _user_keys)
            continue
        if r.change == "any_of":
            schema = _everywhere(schema, _one_of_as_any_of)
            continue
        holder = {"": schema}
        for parent, key in _walk(holder, r.where):
            node = parent[key]
            if r.change == "nullable":
                parent[key] = _nullable(node)
            elif r.change.startswith("allow:"):
                kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
                parent[key] = {**node, "type": sorted(set(kinds) | {r.change.split(":")[1]})}
            elif r.change.startswith("optional:"):
                parent[key] = {**node, "required": [k for k in node.get("required", [])
                                                    if k != r.change.split(":")[1]]}
            elif r.change == "no_required":
                parent[key] = {k: v for k, v in node.items() if k != "required"}
            elif r.change == "object_or_list":
                parent[key] = {"anyOf": [node, {"type": "array", "items": node, "maxItems": 1}]}
            elif r.change == "replace":
                parent[key] = _placeholders(copy.deepcopy(r.schema), node)
        schema = holder[""]
    return schema


def _placeholders(replacement: dict, previous: dict) -> dict:
    """`$same-as-before`: the schema being replaced (the spec's folder object, as array items);
    `$time-in-status`: the single-task time-in-status schema."""
    for key in ("items", "additionalProperties"):
        marker = replacement.get(key)
        if isinstance(marker, dict) and marker.get("$same-as-before"):
            replacement[key] = previous
        elif isinstance(marker, dict) and marker.get("$time-in-status"):
            replacement[key] = relaxed_schema("GET /task/{}/time_in_status")
    return replacement


@cache
def validator(operation: str) -> Draft202012Validator:
    return Draft202012Validator(relaxed_schema(operation))


def errors(operation: str, payload) -> list[str]:
    """Every way `payload` fails the relaxed schema of `operation` (empty when it conforms)."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:200]}"
            for e in validator(normalize(operation)).iter_errors(payload)]
