"""Where ClickUp's official response schemas are wrong about live responses: the one list of relaxations
`clickup_spec` applies before validating, each with its reason, and the schema fragments they put in.
"""

from __future__ import annotations

from dataclasses import dataclass

USER = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "integer"},
        "username": {"type": ["string", "null"]},
        "email": {"type": "string"},
        "color": {"type": ["string", "null"]},
        "initials": {"type": "string"},
        "profilePicture": {"type": ["string", "null"]},
    },
}
TAG = {
    "type": "object",
    "required": ["name", "tag_fg", "tag_bg"],
    "properties": {
        "name": {"type": "string"},
        "tag_fg": {"type": "string"},
        "tag_bg": {"type": "string"},
        "creator": {"type": "integer"},
    },
}
DEPENDENCY_OR_LINK = {
    "type": "object",
    "required": ["task_id", "date_created", "userid", "workspace_id"],
    "properties": {
        "task_id": {"type": "string"},
        "depends_on": {"type": "string"},
        "link_id": {"type": "string"},
        "type": {"type": "integer"},
        "date_created": {"type": "string"},
        "userid": {"type": "string"},
        "workspace_id": {"type": "string"},
        "chain_id": {"type": ["string", "null"]},
    },
}
CHECKLIST_ITEM = {
    "type": "object",
    "required": ["id", "name", "orderindex", "resolved", "children"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "orderindex": {"type": "integer"},
        "assignee": {"anyOf": [USER, {"type": "null"}]},
        "resolved": {"type": "boolean"},
        "parent": {"type": ["string", "null"]},
        "date_created": {"type": "string"},
        "children": {"type": "array"},
    },
}
CHECKLIST = {
    "type": "object",
    "required": ["id", "task_id", "name", "orderindex", "resolved", "unresolved", "items"],
    "properties": {
        "id": {"type": "string"},
        "task_id": {"type": "string"},
        "name": {"type": "string"},
        "orderindex": {"type": "integer"},
        "creator": {"type": "integer"},
        "resolved": {"type": "integer"},
        "unresolved": {"type": "integer"},
        "items": {"type": "array", "items": CHECKLIST_ITEM},
    },
}
PRIORITY = {
    "anyOf": [
        {"type": "null"},
        {
            "type": "object",
            "required": ["id", "priority", "color", "orderindex"],
            "properties": {
                "id": {"type": "string"},
                "priority": {"type": "string"},
                "color": {"type": "string"},
                "orderindex": {"type": "string"},
            },
        },
    ]
}
LIST_ITEM = {
    "type": "object",
    "required": ["id", "name", "orderindex", "task_count", "space", "archived"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "orderindex": {"type": "integer"},
        "task_count": {"type": ["integer", "string"]},
        "archived": {"type": "boolean"},
        "space": {"type": "object"},
        "folder": {"type": "object"},
    },
}
KEY_RESULT = {
    "type": "object",
    "required": ["id", "goal_id", "name", "type", "creator", "date_created"],
    "properties": {
        "id": {"type": "string"},
        "goal_id": {"type": "string"},
        "name": {"type": "string"},
        "type": {"type": "string"},
        "creator": {"type": "integer"},
        "date_created": {"type": "string"},
        "owners": {"type": "array", "items": USER},
        "task_ids": {"type": "array", "items": {"type": "string"}},
        "subcategory_ids": {"type": "array", "items": {"type": "string"}},
    },
}
GOAL_MEMBER = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}

_READ_SPEC_NULLS = "live answers carry null here (docs/clickup-api.md §2.6)"
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
    Relaxation(
        "*",
        "<user objects>",
        "nullable-user-keys",
        "user objects carry null color, profilePicture and (invitees) username (docs/clickup-api.md §2.6)",
    ),
    Relaxation(
        "*",
        "<oneOf>",
        "any_of",
        "the spec's oneOf alternatives overlap ({type: [string, null]} next to an untyped one), so a "
        "null that every alternative accepts fails oneOf; anyOf is what the spec means",
    ),
    # -- workspace ---------------------------------------------------------------------------------
    Relaxation("GET /team", "teams.*.avatar", "nullable", _READ_SPEC_NULLS),
    Relaxation(
        "GET /team/{}/user/{}",
        "member.user.custom_role",
        "nullable",
        "members without a custom role carry null, as GET /team's live members do (docs/clickup-api.md §5)",
    ),
    # -- hierarchy ---------------------------------------------------------------------------------
    *[
        Relaxation(op, f"{base}{key}", "nullable", _READ_SPEC_NULLS)
        for op, base in (("GET /team/{}/space", "spaces.*."), ("GET /space/{}", ""))
        for key in ("color", "avatar", "admin_can_manage")
    ],
    *[
        Relaxation(
            op,
            f"{base}features",
            "no_required",
            "space features hold only the ClickApps configured; any key may be missing "
            "(docs/clickup-api.md §2.6)",
        )
        for op, base in (("GET /team/{}/space", "spaces.*."), ("GET /space/{}", ""))
    ],
    *[
        Relaxation(
            op,
            f"{base}features.time_tracking",
            "no_required",
            "time_tracking may come without `enabled` (docs/clickup-api.md §2.6)",
        )
        for op, base in (("GET /team/{}/space", "spaces.*."), ("GET /space/{}", ""))
    ],
    Relaxation(
        "GET /space/{}/folder",
        "folders",
        "replace",
        "the spec types `folders` as one object; the answer (and its own example) is an array of folders",
        {"type": "array", "items": {"$same-as-before": True}},
    ),
    *[
        Relaxation(
            op,
            path,
            "replace",
            "folders embed their lists as list objects, not strings (spec example: [])",
            {"type": "array", "items": LIST_ITEM},
        )
        for op, path in (("GET /space/{}/folder", "folders.*.lists"), ("GET /folder/{}", "lists"))
    ],
    *[
        Relaxation(
            op,
            "lists.*.task_count",
            "allow:integer",
            "task_count is an integer on lists (docs/clickup-api.md §2.6)",
        )
        for op in ("GET /folder/{}/list", "GET /space/{}/list")
    ],
    Relaxation(
        "GET /list/{}",
        "task_count",
        "allow:integer",
        "task_count is an integer on lists (docs/clickup-api.md §2.6)",
    ),
    Relaxation(
        "GET /team/{}/shared",
        "shared.lists.*.task_count",
        "allow:integer",
        "task_count is an integer on lists (docs/clickup-api.md §2.6)",
    ),
    *[
        Relaxation("GET /list/{}", key, "nullable", _READ_SPEC_NULLS)
        for key in ("status", "priority", "due_date")
    ],
    # -- tasks -------------------------------------------------------------------------------------
    *[
        Relaxation("GET /list/{}/task", f"tasks.*.{key}.*", "replace", _ONE_EXAMPLE, schema)
        for key, schema in (
            ("assignees", USER),
            ("watchers", USER),
            ("tags", TAG),
            ("checklists", CHECKLIST),
            ("dependencies", DEPENDENCY_OR_LINK),
            ("linked_tasks", DEPENDENCY_OR_LINK),
        )
    ],
    Relaxation(
        "GET /list/{}/task",
        "tasks.*.time_estimate",
        "replace",
        "time_estimate is a number of ms or null, as Get Task's schema says",
        {"type": ["number", "null"]},
    ),
    *[
        Relaxation(
            op,
            path,
            "replace",
            "priority is null or an object, never an integer (docs/clickup-api.md §2.6)",
            PRIORITY,
        )
        for op, path in (
            ("GET /list/{}/task", "tasks.*.priority"),
            ("GET /team/{}/task", "tasks.*.priority"),
            ("GET /task/{}", "priority"),
        )
    ],
    *[
        Relaxation("GET /team/{}/task", f"tasks.*.{key}", "nullable", _READ_SPEC_NULLS)
        for key in ("date_closed", "parent", "due_date", "start_date", "points", "time_estimate")
    ],
    *[
        Relaxation("GET /team/{}/task", f"tasks.*.{key}.*", "replace", _ONE_EXAMPLE, DEPENDENCY_OR_LINK)
        for key in ("dependencies", "linked_tasks")
    ],
    Relaxation(
        "GET /team/{}/task",
        "tasks.*.checklists.*.items.*",
        "replace",
        "checklist items carry a user object or null as assignee and nested items as children "
        "(the spec's items say string)",
        CHECKLIST_ITEM,
    ),
    Relaxation(
        "GET /task/bulk_time_in_status/task_ids",
        "",
        "replace",
        "the schema requires the two task ids of its example; the answer is keyed by the ids asked",
        {"type": "object", "additionalProperties": {"$time-in-status": True}},
    ),
    # -- comments ----------------------------------------------------------------------------------
    *[
        Relaxation(
            op, f"comments.*.{key}", "nullable", "unassigned comments carry null assignee and assigned_by"
        )
        for op in (
            "GET /task/{}/comment",
            "GET /list/{}/comment",
            "GET /comment/{}/reply",
            "GET /view/{}/comment",
        )
        for key in ("assignee", "assigned_by")
    ],
    # -- goals -------------------------------------------------------------------------------------
    Relaxation("GET /goal/{}", "goal.key_results.*", "replace", _ONE_EXAMPLE, KEY_RESULT),
    Relaxation("GET /goal/{}", "goal.members.*", "replace", _ONE_EXAMPLE, GOAL_MEMBER),
    Relaxation("GET /team/{}/goal", "goals.*.owners.*", "replace", _ONE_EXAMPLE, USER),
    Relaxation("GET /team/{}/goal", "folders.*.goals.*.owners.*", "replace", _ONE_EXAMPLE, USER),
    Relaxation("GET /team/{}/goal", "folders.*.goals.*.members.*", "replace", _ONE_EXAMPLE, GOAL_MEMBER),
    # -- time tracking -----------------------------------------------------------------------------
    Relaxation("GET /team/{}/time_entries", "data.*", "optional:end", "a running timer has no end yet"),
    Relaxation(
        "GET /team/{}/time_entries",
        "data.*",
        "optional:task_tags",
        "task_tags come only with include_task_tags=true (docs/clickup-api.md §5)",
    ),
    Relaxation(
        "GET /team/{}/time_entries", "data.*.tags.*", "replace", "time-entry tags are tag objects", TAG
    ),
    Relaxation(
        "GET /team/{}/time_entries",
        "data.*.task.custom_id",
        "nullable",
        "custom_id is null unless the Custom Task IDs ClickApp is on (docs/clickup-api.md §2.4)",
    ),
    *[
        Relaxation(
            "GET /team/{}/time_entries",
            f"data.*.{key}",
            "allow:integer",
            "the documented example sends start/end as numbers, the schema as strings "
            "(docs/clickup-api.md §2.4)",
        )
        for key in ("start", "end")
    ],
    Relaxation("GET /team/{}/time_entries/{}", "data", "optional:end", "a running timer has no end yet"),
    Relaxation(
        "GET /team/{}/time_entries/{}",
        "data",
        "optional:task_tags",
        "task_tags come only with include_task_tags=true (docs/clickup-api.md §5)",
    ),
    *[
        Relaxation(
            op,
            path,
            f"optional:{key}",
            "location names come only with include_location_names=true (docs/clickup-api.md §5)",
        )
        for op, path in (
            ("GET /team/{}/time_entries", "data.*.task_location"),
            ("GET /team/{}/time_entries/{}", "data.task_location"),
        )
        for key in ("list_name", "folder_name", "space_name")
    ],
    Relaxation(
        "GET /team/{}/time_entries/{}", "data.tags.*", "replace", "time-entry tags are tag objects", TAG
    ),
    Relaxation(
        "GET /team/{}/time_entries/{}",
        "data",
        "object_or_list",
        "the schema says one object, the documented example a one-element array",
    ),
    Relaxation(
        "GET /team/{}/time_entries/current",
        "data",
        "nullable",
        "data is null when the user has no timer running",
    ),
]
