"""Pre-serialised pieces of task JSON: per-list templates and tables of generated texts.

A task is one `bytes % values` over its list's template: everything its list shares (field definitions,
statuses, list/folder/space references, tags, sharing) is baked in or pre-serialised once per data
version, so rendering a task costs a few dozen small operations, not a walk over a 5 KB object.
"""

from __future__ import annotations

import numpy as np
import orjson

from clickup_simulator.generation import customfields, words
from clickup_simulator.generation.hierarchy import PRIORITY_COLORS, PRIORITY_NAMES
from clickup_simulator.generation.world import STATUS_TYPES
from clickup_simulator.rendering import jsonio

EMPTY, NULL, TRUE, FALSE = b"[]", b"null", b"true", b"false"  # JSON literals, shared (compared by identity)
SHARING = orjson.dumps(
    {
        "public": False,
        "public_share_expires_on": None,
        "public_fields": [
            "assignees",
            "priority",
            "due_date",
            "content",
            "comments",
            "attachments",
            "customFields",
            "subtasks",
            "tags",
            "checklists",
            "coverimage",
        ],
        "token": None,
        "seo_optimized": False,
    }
)
PRIORITIES = [b"null"] + [
    orjson.dumps({"color": c, "id": str(k + 1), "orderindex": str(k + 1), "priority": p})
    for k, (p, c) in enumerate(zip(PRIORITY_NAMES, PRIORITY_COLORS, strict=True))
]
ORDER_TAIL = b".00000000000000000000000000000000"
MEMO_LIMIT = 200_000


def compact(data: bytes) -> bytes:
    """A copy without the spare room orjson leaves at the end of small answers (a few KB each)."""
    return data if data is EMPTY else bytes(memoryview(data))


def _template(markdown: bool, tail_head: bytes, tail_rest: bytes) -> bytes:
    md = b',"markdown_description":%s' if markdown else b""
    return (
        b'{"id":"%s","custom_id":null,"custom_item_id":%d,"name":%s,"text_content":%s,"description":%s'
        + md
        + b',"status":%s,"orderindex":"%d'
        + ORDER_TAIL
        + b'","date_created":"%d","date_updated":"%d",'
        b'"date_closed":%s,"date_done":%s,"archived":%s,"creator":%s,"assignees":[%s],"group_assignees":[],'
        b'"watchers":[%s],"checklists":%s,"tags":[%s],"parent":%s,"top_level_parent":%s,"priority":%s,'
        b'"due_date":%s,"start_date":%s,"points":%s,"time_estimate":%s%s,"custom_fields":[%s],'
        b'"dependencies":%s,"linked_tasks":%s,"locations":%s,'
        + tail_head.replace(b"%", b"%%")
        + b"%s"
        + tail_rest.replace(b"%", b"%%")
        + b"}"
    )


class ListParts:
    """What every task of one list shares, pre-serialised."""

    def __init__(self, renderer, list_pos: int):
        world = renderer.state.world
        lst = world.lists[list_pos]
        space = world.spaces[lst.space]
        if lst.folder is None:
            folder = {"id": space.hidden_folder_id, "name": "hidden", "hidden": True, "access": True}
        else:
            f = world.folders[lst.folder]
            folder = {"id": f.id, "name": f.name, "hidden": False, "access": True}
        self.team_id = world.workspaces[lst.ws].id
        # tasks carry `time_spent` (0 when nothing is tracked) where the space has time tracking on; a
        # `time_tracking` feature without `enabled` (as some live spaces show it) counts as off
        self.time_tracking = bool((space.features.get("time_tracking") or {}).get("enabled"))
        folder_json = jsonio.dumps(folder)
        self.statuses = [
            {
                "id": s.id,
                "status": s.status,
                "color": s.color,
                "orderindex": s.orderindex,
                "type": STATUS_TYPES[s.type],
            }
            for s in lst.statuses
        ]
        self.status_bytes = [orjson.dumps(s) for s in self.statuses]
        self.tags = [
            jsonio.dumps({"name": t.name, "tag_fg": t.fg, "tag_bg": t.bg, "creator": t.creator})
            for t in space.tags
        ]
        self._tag_sets: dict[int, bytes] = {}
        self.page_specs: dict = {}  # (custom item, markdown) -> what `page` fills in
        tail_head = b'"team_id":"' + self.team_id.encode() + b'","url":"https://app.clickup.com/t/'
        tail_rest = (
            b'","sharing":'
            + SHARING
            + b',"permission_level":"create","list":'
            + jsonio.dumps({"id": lst.id, "name": lst.name, "access": True})
            + b',"project":'
            + folder_json
            + b',"folder":'
            + folder_json
            + b',"space":'
            + orjson.dumps({"id": space.id})
        )
        self.templates = {md: _template(md, tail_head, tail_rest) for md in (False, True)}
        fields = world.fields_for_list(lst)
        self.fields = {}  # custom item id -> (entries, fast path entries, task-dependent entries)
        for item in (0, 1, 1300):
            chosen, fast, dynamic = [], [], []
            for f in fields:
                if f.item not in (None, item):
                    continue
                whole = orjson.dumps(customfields.definition(f))
                prefix = whole[:-1] + b',"value":'
                count = customfields.variants(f, renderer)
                table = renderer.variant_table(f, prefix, whole, count)
                if table is None:
                    dynamic.append((len(fast), f, prefix, whole))
                chosen.append((f, whole, prefix, count, table))
                fast.append((f.pos, whole, table))
            self.fields[item] = (chosen, fast, dynamic)

    def tag_bytes(self, bits: int) -> bytes:
        """The entries of `tags` for a task's tag bits (memoised: tasks share few combinations)."""
        hit = self._tag_sets.get(bits)
        if hit is None:
            hit = self._tag_sets[bits] = b",".join([t for k, t in enumerate(self.tags) if bits >> k & 1])
        return hit


class People:
    """(assignees, watchers, watcher positions) of a task's (creator, a0, a1, a2, a3), memoised: tasks
    share few combinations."""

    def __init__(self, users_full: list[bytes]):
        self.users_full = users_full
        self._memo: dict[tuple, tuple] = {}

    def __call__(self, key: tuple) -> tuple[bytes, bytes, list[int]]:
        hit = self._memo.get(key)
        if hit is None:
            creator, *rest = key
            assignees = [a for a in rest if a >= 0]
            watchers = [creator] + [a for a in assignees if a != creator]
            hit = (
                b",".join([self.users_full[a] for a in assignees]),
                b",".join([self.users_full[w] for w in watchers]),
                watchers,
            )
            if len(self._memo) < MEMO_LIMIT:
                self._memo[key] = hit
        return hit


def _json(text: str) -> bytes:
    return orjson.dumps(text)


NAMES = [_json(f"{v} {n}{q}") for v in words.VERBS for n in words.NOUNS for q in words.QUALIFIERS]
_N_Q = len(words.QUALIFIERS)
_N_NQ = len(words.NOUNS) * _N_Q
NAME_STRIDES = (len(words.VERBS), _N_NQ, len(words.NOUNS), _N_Q)  # NAMES index = Σ digit(h) * stride


def name_json(h: int) -> bytes:
    """JSON of `words.task_name(h)`, from a table."""
    return NAMES[(h % len(words.VERBS)) * _N_NQ + ((h >> 8) % len(words.NOUNS)) * _N_Q + (h >> 16) % _N_Q]


_TEXTS: list[tuple[bytes, bytes]] = []


def texts_table() -> list[tuple[bytes, bytes]]:
    """JSON of (`words.description(h)`, its markdown) for every value of the hash bits they depend on
    (bits 24-39): 65,536 references to the 1,111 distinct texts, built once."""
    if not _TEXTS:
        keys = np.arange(1 << 16, dtype=np.int64)
        count = keys & 3  # `words.description`: sentence k is nibble k + 1, modulo the sentences
        code = count.copy()
        for k in range(3):
            pick = ((keys >> (4 + 4 * k)) & 0xF) % len(words.SENTENCES)
            code = code * 16 + np.where(count > k, pick, 0)
        distinct, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        texts = []
        for key in first.tolist():
            text = words.description(key << 24)
            texts.append((_json(text), _json(words.markdown(text, key << 24))))
        _TEXTS[:] = [texts[k] for k in inverse.tolist()]
    return _TEXTS


def texts_json(h: int) -> tuple[bytes, bytes]:
    return texts_table()[(h >> 24) & 0xFFFF]
