"""Generated tasks rendered a page at a time: the same bytes as `TaskRenderer._task`, built column-wise.

Per-task Python work is what limits how many pages a second one process serves, so each part of the
task is computed for the whole page at once (numpy for hashes and draws, one `.tolist()` per column),
repeated combinations (people, tags) are memoised, and each task ends as one `join` of its list's
literal pieces and its values. Tasks a mutation touched, and tasks created at run time, take `_task` instead.
"""

from __future__ import annotations

import gc
import re
from operator import itemgetter

import numpy as np
import orjson

from clickup_simulator.generation import customfields
from clickup_simulator.generation.mix import mix2_grid
from clickup_simulator.rendering import checklists, jsonio
from clickup_simulator.rendering.parts import (
    EMPTY,
    FALSE,
    NAME_STRIDES,
    NAMES,
    NULL,
    PRIORITIES,
    TRUE,
    texts_table,
)

NO_RELATIONS = (EMPTY, EMPTY, EMPTY)
CACHED_TASK_BYTES = 1300  # what a cached (pieces, values) pair holds on its own, on average
ITEMS = {k: b"%d" % k for k in (0, 1, 1300)}
SPENT_NONE = b',"time_spent":0'
_U16, _U24, _U40 = np.uint64(16), np.uint64(24), np.uint64(40)


def _quoted(values: list) -> list:
    return [NULL if v < 0 else b'"%d"' % v for v in values]


def _number(values: list) -> list:
    return [NULL if v < 0 else b"%d" % v for v in values]


class FieldTable:
    """Every serialised custom field entry of generated tasks in one object array, so a page's entries
    are one fancy-indexing of it. A task-dependent field takes two template slots, (`whole`, b"") when
    unset and (its prefix, value + tail) when set: cached tasks then share every entry but those values."""

    def __init__(self, renderer):
        fields = renderer.state.world.fields
        flat, base, whole_at, counts, self.dynamic = [], [], [], [], {}
        for f in fields:
            whole = orjson.dumps(customfields.definition(f))
            prefix = whole[:-1] + b',"value":'
            count = customfields.variants(f, renderer)
            table = renderer.variant_table(f, prefix, whole, count)
            if table is None:
                self.dynamic[f.pos] = (
                    f,
                    len(fields) + len(self.dynamic),
                    whole,
                    b',"value_richtext":null}' if f.type == "text" else b"}",
                )
                table = [prefix]
            base.append(len(flat))
            flat += table
            whole_at.append(len(flat))
            flat.append(whole)
            counts.append(count)
        self.size = len(fields)
        self.keys = np.arange(len(fields), dtype=np.uint64)
        self.thresholds = np.array(
            [int(customfields.SET_RATE.get(f.type, 0.5) * 65536) for f in fields], dtype=np.uint64
        )
        self.counts = np.array(counts, dtype=np.uint64)
        self.flat = np.array(flat + [None], dtype=object)[:-1]
        self.base = np.array(base, dtype=np.int64)
        self.whole_at = np.array(whole_at, dtype=np.int64)
        self.finite = (np.array(counts, dtype=np.int64) > 0) & ~np.isin(
            self.keys.astype(np.int64), list(self.dynamic)
        )
        self.dynamic_pos = np.array(sorted(self.dynamic), dtype=np.int64)
        self.blank = (b"",) * len(self.dynamic)

    def spec(self, parts, item: int, markdown: bool):
        """(template, picker of the entries in the list's order, task-dependent fields) of a list's
        tasks of one custom item type."""
        hit = parts.page_specs.get((item, markdown))
        if hit is None or hit[0] is not self:
            fields = parts.fields
            entries = (fields.get(item) or fields[0])[0]
            positions, slots, dyn = [], [], []
            for f, *_ in entries:
                positions.append(f.pos)
                slots.append(b"%s")
                if f.pos in self.dynamic:
                    dyn.append(self.dynamic[f.pos])
                    positions.append(self.dynamic[f.pos][1])
                    slots[-1] = b"%s%s"
            template = parts.templates[markdown].replace(
                b'"custom_fields":[%s]', b'"custom_fields":[' + b",".join(slots) + b"]", 1
            )
            template = skeleton(template)
            pick = (
                itemgetter(*positions)
                if len(positions) > 1
                else (lambda row, p=positions[0]: (row[p],))
                if positions
                else (lambda row: ())
            )
            hit = parts.page_specs[(item, markdown)] = (self, template, pick, dyn)
        return hit[1:]


def skeleton(template: bytes) -> list:
    """The literal pieces of a `%` template with a None slot between each two: `join` fills the slots
    with bytes values (faster than `%`, which grows its output piece by piece)."""
    out, literal = [], b""
    for k, token in enumerate(re.split(rb"(%%|%s|%d)", template)):
        if k % 2 == 0 or token == b"%%":
            literal += token if k % 2 == 0 else b"%"
        else:
            out += [literal, None]
            literal = b""
    return out + [literal]


def fill(skeleton: list, values: tuple) -> bytes:
    filled = skeleton.copy()
    filled[1::2] = values
    return b"".join(filled)


def join_tasks(parts: list) -> bytes:
    """Tasks (bytes, or pieces and values) joined with commas in one `join`, no task copied on its own."""
    pieces = []
    for k, part in enumerate(parts):
        if k:
            pieces.append(b",")
        if type(part) is bytes:
            pieces.append(part)
        else:
            filled = part[0].copy()
            filled[1::2] = part[1]
            pieces += filled
    return b"".join(pieces)


def field_rows(table: FieldTable, hashes: np.ndarray) -> tuple[list, list]:
    """(per task: the entry of every field, then b"" for each task-dependent one; per task: the raw
    draws of the task-dependent fields, -1 where unset)."""
    thresholds, counts = table.thresholds, table.counts
    draws = mix2_grid(hashes, table.keys)
    raw = draws >> _U16
    picked = np.where(
        table.finite, table.base + (raw % np.maximum(counts, np.uint64(1))).astype(np.int64), table.base
    )
    chosen = (draws & np.uint64(0xFFFF)) < thresholds
    rows = table.flat[np.where(chosen, picked, table.whole_at)].tolist()
    dyn = None
    if len(table.dynamic_pos):
        dyn = np.where(chosen[:, table.dynamic_pos], raw[:, table.dynamic_pos].astype(np.int64), -1).tolist()
        blank = table.blank
        for row in rows:
            row += blank
    return rows, dyn


REF = (
    b'{"id":"%s","name":%s,"status":%s,"color":%s,"custom_type":%s,"team_id":%s,"deleted":false,'
    b'"url":"https://app.clickup.com/t/%s","access":true}'
)


def _task_ref(r, index: int) -> bytes | None:
    """`orjson.dumps(renderer.task_ref(index))` without the dict."""
    t = r.state.tasks
    if t.column("deleted")[index]:
        return None
    parts = r.parts(int(t.column("lst")[index]))
    status = parts.statuses[int(t.column("status")[index])]
    item = int(t.column("item")[index])
    task_id = r.state.task_id(index).encode()
    return REF % (
        task_id,
        r._name_json(index, int(t.column("rnd")[index])),
        orjson.dumps(status["status"]),
        orjson.dumps(status["color"]),
        NULL if item == 0 else b"%d" % item,
        orjson.dumps(parts.team_id),
        task_id,
    )


def dynamic_json(r, fld, draw: int, index: int, h: int, created: int) -> bytes | None:
    """`orjson.dumps(customfields.dynamic_value(...))`, None for None; the common types without
    building the value."""
    if fld.type == "date":
        return b'"%d"' % (created + (draw % 120) * 86_400_000)
    if fld.type in ("tasks", "list_relationship"):
        before = r.task_count_before(index)
        if before <= 0:
            return None
        refs = {}
        for k in range(1 + draw % 2):
            other = index - 1 - (draw >> (8 * k)) % before
            if other not in refs:
                refs[other] = _task_ref(r, other)
        found = [ref for ref in refs.values() if ref is not None]
        return b"[" + b",".join(found) + b"]" if found else None
    value = customfields.dynamic_value(fld, draw, index, h, created, r)
    return None if value is None else jsonio.dumps(value)


def render_quietly(r, wanted: np.ndarray, markdown: bool) -> list[tuple[bytes, tuple]]:
    """`render` with the cyclic garbage collector paused: a page allocates a few thousand short-lived
    lists and tuples, and collections in its middle would walk them all (over a tenth of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return render(r, wanted, markdown)
    finally:
        if enabled:
            gc.enable()


def render(r, wanted: np.ndarray, markdown: bool) -> list[tuple[bytes, tuple]]:
    """The tasks at `wanted` (generated, without overrides) as (template, values): `template % values`
    is the task's JSON."""
    state = r.state
    t = state.tasks
    world_users = state.world.users
    n = len(wanted)

    def col(name: str) -> np.ndarray:
        return t.column(name)[wanted]

    h = col("rnd")
    lst = col("lst").tolist()
    parts = {p: r.parts(p) for p in set(lst)}
    ids = state.task_ids.table
    own = ids[wanted].tolist()
    hl = h.tolist()
    created = col("created").tolist()
    created_b = [b"%d" % v for v in created]

    names = (
        h % np.uint64(NAME_STRIDES[0]) * np.uint64(NAME_STRIDES[1])
        + (h >> np.uint64(8)) % np.uint64(NAME_STRIDES[2]) * np.uint64(NAME_STRIDES[3])
        + (h >> _U16) % np.uint64(NAME_STRIDES[3])
    ).tolist()
    texts_all = texts_table()
    texts = [texts_all[k] for k in ((h >> _U24) & np.uint64(0xFFFF)).tolist()]
    order = [b"%d" % v for v in (h % np.uint64(900_000_000) + np.uint64(1000)).tolist()]

    parent = col("parent")
    top = col("top")
    parent_ids = [
        NULL if p < 0 else b'"%s"' % i
        for p, i in zip(parent.tolist(), ids[np.maximum(parent, 0)].tolist(), strict=True)
    ]
    top_ids = [
        NULL if p < 0 else b'"%s"' % i
        for p, i in zip(top.tolist(), ids[np.maximum(top, 0)].tolist(), strict=True)
    ]

    creator = col("creator").tolist()
    people = [
        r.people(key)
        for key in zip(
            creator,
            col("a0").tolist(),
            col("a1").tolist(),
            col("a2").tolist(),
            col("a3").tolist(),
            strict=True,
        )
    ]
    umin = r.users_min

    tags = [
        b"" if not bits else parts[p].tag_bytes(bits)
        for p, bits in zip(lst, col("tags").tolist(), strict=True)
    ]
    tracking = {p: x.time_tracking for p, x in parts.items()}
    spent = [
        (b',"time_spent":%d' % s if s else SPENT_NONE) if tracking[p] else b""
        for p, s in zip(lst, col("spent").tolist(), strict=True)
    ]
    statuses = [parts[p].status_bytes[s] for p, s in zip(lst, col("status").tolist(), strict=True)]

    # checklists: only about a fifth of the tasks have any
    lists_of = [EMPTY] * n
    has = np.flatnonzero((h >> _U40) % np.uint64(100) < np.uint64(20)).tolist()
    if has:
        for k, data in zip(
            has,
            checklists.render_many(
                h[has],
                [own[k] for k in has],
                [created[k] for k in has],
                [world_users[creator[k]].id for k in has],
                [people[k][2] for k in has],
                r.users_full,
            ),
            strict=True,
        ):
            lists_of[k] = data

    # relations are sparse
    rel = state.relations
    relations = [NO_RELATIONS] * n
    if rel.deps or rel.links or rel.locations:
        for k, index in enumerate(wanted.tolist()):
            if index in rel.deps or index in rel.links or index in rel.locations:
                relations[k] = r._relations(index, parts[lst[k]].team_id)

    # custom fields: the list's template has a slot for each
    table = r.field_table()
    rows, dyn_draws = field_rows(table, h)
    items = col("item").tolist()
    index_list = wanted.tolist()
    size = table.size
    templates, fields = [], []
    for k, (p, item, row) in enumerate(zip(lst, items, rows, strict=True)):
        template, pick, dyn = table.spec(parts[p], item, markdown)
        for fld, extra, whole, tail in dyn:
            draw = dyn_draws[k][extra - size]
            if draw >= 0:
                value = dynamic_json(r, fld, draw, index_list[k], hl[k], created[k])
                if value is None:
                    row[fld.pos] = whole
                else:
                    row[extra] = value + tail
        templates.append(template)
        fields.append(pick(row))

    out = []
    for (
        tpl,
        tid,
        item,
        name,
        (text, md),
        status,
        oi,
        cr,
        up,
        closed,
        done,
        arch,
        who,
        ppl,
        chk,
        tg,
        par,
        tp,
        prio,
        due,
        start,
        pts,
        est,
        sp,
        cf,
        (deps, links, locs),
    ) in zip(
        templates,
        own,
        items,
        names,
        texts,
        statuses,
        order,
        created_b,
        [b"%d" % v for v in col("updated").tolist()],
        _quoted(col("closed").tolist()),
        _quoted(col("done").tolist()),
        col("archived").tolist(),
        creator,
        people,
        lists_of,
        tags,
        parent_ids,
        top_ids,
        col("priority").tolist(),
        _quoted(col("due").tolist()),
        _quoted(col("start").tolist()),
        _number(col("points").tolist()),
        _number(col("estimate").tolist()),
        spent,
        fields,
        relations,
        strict=True,
    ):
        name = NAMES[name]
        item = ITEMS.get(item) or b"%d" % item
        head = (tid, item, name, text, text, md) if markdown else (tid, item, name, text, text)
        out.append(
            (
                tpl,
                (
                    *head,
                    status,
                    oi,
                    cr,
                    up,
                    closed,
                    done,
                    TRUE if arch else FALSE,
                    umin[who],
                    ppl[0],
                    ppl[1],
                    chk,
                    tg,
                    par,
                    tp,
                    PRIORITIES[prio],
                    due,
                    start,
                    pts,
                    est,
                    sp,
                    *cf,
                    deps,
                    links,
                    locs,
                    tid,
                ),
            )
        )
    return out
