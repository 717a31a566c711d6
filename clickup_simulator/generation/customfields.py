"""Custom field definitions of every type (docs/clickup-api.md §2.5) and their values as tasks carry them.

A value is derived from (task hash, field position) unless a mutation set it: the draw
`mix2(hash, field position)` leaves the field unset when its low 16 bits reach `SET_RATE` (of 65,536),
else its upper bits pick the value (see `TaskRenderer._field_choices`). Unset fields omit the
`value` key entirely, as ClickUp does; drop-down values are the chosen option's `orderindex`, numbers
are numeric strings, checkboxes "true"/"false", dates ms strings.
"""

from __future__ import annotations

from clickup_simulator.generation import words
from clickup_simulator.generation.ids import uuid_from
from clickup_simulator.generation.mix import mix

FIELD_TYPES = [
    "short_text",
    "text",
    "url",
    "email",
    "phone",
    "number",
    "currency",
    "drop_down",
    "labels",
    "users",
    "date",
    "checkbox",
    "emoji",
    "location",
    "automatic_progress",
    "manual_progress",
    "tasks",
    "list_relationship",
    "attachment",
    "formula",
    "votes",
]
# where each type is created (a type whose level has no object falls back to the workspace)
WORKSPACE_TYPES = ["number", "drop_down", "date", "checkbox"]
SPACE_TYPES = ["short_text", "users", "labels", "currency", "emoji", "url", "email", "text"]
FOLDER_TYPES = ["location", "manual_progress", "automatic_progress", "phone"]
LIST_TYPES = ["tasks", "list_relationship", "attachment", "formula", "votes"]
FIELD_NAMES = {
    "short_text": "Sprint goal",
    "text": "Notes",
    "url": "Spec link",
    "email": "Client email",
    "phone": "Contact phone",
    "number": "Story points (custom)",
    "currency": "Budget",
    "drop_down": "Marketing requirements",
    "labels": "Teams",
    "users": "Reviewers",
    "date": "Launch date",
    "checkbox": "Approved",
    "emoji": "Rating",
    "location": "Office",
    "automatic_progress": "Progress",
    "manual_progress": "Completion",
    "tasks": "Related tasks",
    "list_relationship": "Linked requests",
    "attachment": "Files",
    "formula": "Score",
    "votes": "Votes",
}
SET_RATE = {"checkbox": 0.7, "votes": 0.3, "attachment": 0.25}
DROP_DOWN = [
    "No marketing needed",
    "Internal announcement",
    "Release notes only",
    "Social media post",
    "Blog post",
    "Campaign with press",
]
LABELS = ["Frontend", "Backend", "Data", "Design", "Mobile"]
PLACES = [
    (
        {"lat": 47.306988, "lng": -122.5263212},
        "ChIJs79efm1TkFQRJjrP-xr8u0M",
        "5400 N Pearl St, Tacoma, WA 98407, USA",
    ),
    ({"lat": 52.520008, "lng": 13.404954}, "ChIJAVkDPzdOqEcRcDteW0YgIQQ", "Berlin, Germany"),
    ({"lat": 48.856613, "lng": 2.352222}, "ChIJD7fiBh9u5kcRYJSMaMOCCwQ", "Paris, France"),
]


def type_config(ftype: str, seed: int, pos: int, list_ids: list[str]) -> dict:
    if ftype == "drop_down":
        return {
            "sorting": "manual",
            "default": None,
            "placeholder": None,
            "new_drop_down": True,
            "options": [
                {
                    "id": uuid_from(seed, pos, 100 + k),
                    "name": name,
                    "color": words.COLORS[k % len(words.COLORS)],
                    "orderindex": k,
                }
                for k, name in enumerate(DROP_DOWN)
            ],
        }
    if ftype == "labels":
        return {
            "sorting": "manual",
            "options": [
                {
                    "id": uuid_from(seed, pos, 200 + k),
                    "label": label,
                    "color": words.COLORS[(k + 3) % 16],
                    "orderindex": k,
                }
                for k, label in enumerate(LABELS)
            ],
        }
    if ftype == "currency":
        return {"precision": 2, "currency_type": "EUR", "default": None}
    if ftype == "emoji":
        return {"code_point": "2b50", "count": 5}
    if ftype == "users":
        return {"include_guests": True, "include_team_members": True, "single_user": False}
    if ftype == "automatic_progress":
        return {
            "method": "automatic",
            "tracking": {"subtasks": True, "checklists": True, "assigned_comments": False},
            "complete_on": 3,
        }
    if ftype == "manual_progress":
        return {"method": "manual", "start": 0, "end": 100}
    if ftype == "formula":
        return {
            "version": "1.6",
            "is_dynamic": False,
            "return_types": ["number"],
            "calculation_state": "ready",
        }
    if ftype == "list_relationship" and list_ids:
        return {
            "fields": [],
            "subcategory_id": list_ids[mix(seed, pos) % len(list_ids)],
            "linked_subcategory_access": True,
            "subcategory_inverted_name": "Requests",
        }
    return {}


def definition(fld, applied_objects: bool = False) -> dict:
    """The field as the field endpoints and (without `value`) tasks render it."""
    out = {
        "id": fld.id,
        "name": fld.name,
        "type": fld.type,
        "type_config": fld.type_config,
        "date_created": str(fld.date_created),
        "hide_from_guests": fld.hide_from_guests,
        "required": fld.required,
    }
    if applied_objects and fld.item is not None:
        out["applied_objects"] = [{"object_type": 19, "object_id": fld.item}]
    return out


class ValueContext:
    """What values refer to: workspace users and other tasks (supplied by the renderer)."""

    def user(self, user_pos: int) -> dict: ...
    def user_choices(self, ws: int) -> list[int]: ...
    def task_ref(self, index: int) -> dict | None: ...
    def task_count_before(self, index: int) -> int: ...


DYNAMIC = {"date", "tasks", "list_relationship", "attachment"}
# Larger finite domains (people fields of big workspaces: 2 × members² values) are rendered per task
# rather than tabulated, so memory does not grow with members² × fields.
MAX_VARIANT_TABLE = 20_000


def variants(fld, ctx: ValueContext) -> int:
    """How many distinct generated values a finite-domain field has (0 = depends on the task)."""
    t = fld.type
    if t in DYNAMIC:
        return 0
    people = len(ctx.user_choices(fld.ws))
    return {
        "short_text": 97,
        "text": len(words.SENTENCES),
        "url": 1000,
        "email": 900,
        "phone": 1000,
        "number": 440,
        "currency": 5000,
        "drop_down": len(DROP_DOWN),
        "labels": 40,
        "checkbox": 2,
        "emoji": 6,
        "location": len(PLACES),
        "automatic_progress": 101,
        "manual_progress": 101,
        "formula": 1000,
        "users": 2 * people * people,
        "votes": 2 * people * people,
    }[t]


def variant_value(fld, r: int, ctx: ValueContext):
    """The value of a finite-domain field for draw `r` (already reduced modulo `variants`)."""
    t = fld.type
    if t == "short_text":
        return f"Batch {r}"
    if t == "text":
        return words.SENTENCES[r]
    if t == "url":
        return f"https://docs.example.com/specs/{r}"
    if t == "email":
        return f"{words.FIRST[r % 30].lower()}.{words.LAST[r // 30].lower()}@example.com"
    if t == "phone":
        return f"+49 30 {r * 7919 % 10_000_000:07d}"
    if t == "number":
        return str(r) if r < 40 else f"{(r - 40) / 4:g}"
    if t == "currency":
        return round(r * 9.99, 2)
    if t in ("drop_down", "emoji", "checkbox"):
        return r if t != "checkbox" else ("true" if r else "false")
    if t == "labels":
        options = fld.type_config["options"]
        first = r % len(options)
        chosen = [options[first]["id"]]
        if (r // 5) % 2:
            chosen.append(options[(first + 1 + (r // 10) % (len(options) - 1)) % len(options)]["id"])
        return chosen
    if t == "location":
        loc, place, address = PLACES[r]
        return {"location": dict(loc), "place_id": place, "formatted_address": address}
    if t in ("automatic_progress", "manual_progress"):
        return {"current": str(r), "percent_completed": r / 100}
    if t == "formula":
        return r / 10
    if t in ("users", "votes"):
        choices = ctx.user_choices(fld.ws)
        m = len(choices)
        picked = [choices[r % m]]
        if (r // (m * m)) % 2 and choices[(r // m) % m] != picked[0]:
            picked.append(choices[(r // m) % m])
        users = [ctx.user(p) for p in picked]
        return users if t == "users" else [u["id"] for u in users]
    return None


def dynamic_value(fld, r: int, task_index: int, h: int, created: int, ctx: ValueContext):
    """The value of a field whose generated value depends on the task itself."""
    t = fld.type
    if t == "date":
        return str(created + (r % 120) * 86_400_000)
    if t in ("tasks", "list_relationship"):
        before = ctx.task_count_before(task_index)
        if before <= 0:
            return None
        refs = [ctx.task_ref(task_index - 1 - (r >> (8 * k)) % before) for k in range(1 + r % 2)]
        unique = list({ref["id"]: ref for ref in refs if ref is not None}.values())
        return unique or None
    if t == "attachment":
        att = uuid_from(h, fld.pos)
        return [
            {
                "id": f"{att}.pdf",
                "date": created,
                "title": f"brief-{r % 100}.pdf",
                "type": 1,
                "source": 1,
                "version": 0,
                "extension": "pdf",
                "thumbnail_small": None,
                "thumbnail_medium": None,
                "thumbnail_large": None,
                "is_folder": None,
                "mimetype": "application/pdf",
                "hidden": False,
                "parent_id": fld.id,
                "size": 10_000 + r % 900_000,
                "total_comments": 0,
                "resolved_comments": 0,
                "deleted": False,
                "url": f"https://t9012.p.clickup-attachments.com/t9012/{att}/brief.pdf",
            }
        ]
    if t not in DYNAMIC:  # a finite domain too large to tabulate: the same value, drawn per task
        return variant_value(fld, r % variants(fld, ctx), ctx)
    return None
