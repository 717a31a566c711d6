"""Generating one workspace's tasks as column blocks (vectorised, so 1M tasks take seconds).

Index order within a workspace is creation order, which is why task ids (increasing with the index)
sort like ClickUp's. Exactly `subtasks`, `archived_tasks` and `closed_tasks` tasks get those traits;
subtasks hang under an earlier task of the same list, sometimes under another subtask (nesting).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clickup_simulator.generation.tasktable import NONE, TaskTable
from clickup_simulator.generation.world import CLOSED, CUSTOM, DONE, OPEN, World

DAY_MS = 86_400_000
HOUR_MS = 3_600_000


@dataclass
class Relations:
    """Sparse task relations, keyed by task index on both sides."""

    deps: dict[int, list[tuple]] = field(default_factory=dict)  # (waiting, depends_on, created, user_pos)
    links: dict[int, list[tuple]] = field(default_factory=dict)  # (task, other, created, user_pos)
    locations: dict[int, list[int]] = field(default_factory=dict)  # task -> extra list positions
    timl: dict[int, set[int]] = field(default_factory=dict)  # list position -> tasks added to it

    def add_location(self, task: int, list_pos: int) -> None:
        extra = self.locations.setdefault(task, [])
        if list_pos not in extra:
            extra.append(list_pos)
        self.timl.setdefault(list_pos, set()).add(task)

    def remove_location(self, task: int, list_pos: int) -> None:
        if list_pos in self.locations.get(task, []):
            self.locations[task].remove(list_pos)
            self.timl.get(list_pos, set()).discard(task)


def _status_table(world: World, list_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions[list, type, k], counts[list, type]) for the lists of one workspace."""
    table = np.zeros((len(list_pos), 4, 4), dtype=np.int8)
    counts = np.zeros((len(list_pos), 4), dtype=np.int8)
    for row, pos in enumerate(list_pos):
        for status in world.lists[pos].statuses:
            t = status.type
            table[row, t, counts[row, t]] = status.orderindex
            counts[row, t] += 1
    return table, counts


def generate_tasks(
    world: World, ws: int, cfg, table: TaskTable, relations: Relations, anchor_ms: int
) -> range:
    rng = np.random.default_rng([cfg.seed, 23, ws])
    n = cfg.tasks
    lists = np.array([lst.pos for lst in world.lists if lst.ws == ws], dtype=np.int32)
    weights = rng.dirichlet(np.full(len(lists), 1.5))
    row = rng.choice(len(lists), size=n, p=weights).astype(np.int32)
    span = cfg.history_days * DAY_MS
    created = np.sort(anchor_ms - HOUR_MS - (span * (1 - np.sqrt(rng.random(n)))).astype(np.int64))
    parent = _subtasks(rng, row, cfg.subtasks)
    top = _top_parents(parent)

    stype = rng.choice(np.array([OPEN, CUSTOM, DONE], dtype=np.int8), size=n, p=[0.35, 0.45, 0.20])
    stype[rng.choice(n, size=cfg.closed_tasks, replace=False)] = CLOSED
    archived = np.zeros(n, dtype=np.bool_)
    not_sub = np.flatnonzero(parent < 0)
    archived[rng.choice(not_sub, size=min(cfg.archived_tasks, len(not_sub)), replace=False)] = True
    positions, counts = _status_table(world, lists)
    status = positions[row, stype, rng.integers(0, 1 << 30, size=n) % counts[row, stype]]

    life = anchor_ms - created
    updated = created + (life * rng.random(n) ** 2).astype(np.int64)
    finished = created + ((updated - created) * rng.random(n)).astype(np.int64)
    done = np.where(stype >= DONE, finished, NONE)
    closed = np.where(stype == CLOSED, finished, NONE)
    due = np.where(rng.random(n) < 0.55, created + rng.integers(1, 60, size=n) * DAY_MS, NONE)
    start = np.where(
        (rng.random(n) < 0.25) & (due >= 0), created + rng.integers(0, 12, size=n) * HOUR_MS, NONE
    )

    members = world.workspaces[ws].members
    staff = np.array([m.user.pos for m in members if m.joined and m.role != 4], dtype=np.int32)
    people = np.array([m.user.pos for m in members if m.joined], dtype=np.int32)
    how_many = rng.choice(4, size=n, p=[0.25, 0.55, 0.15, 0.05])
    a = [np.where(how_many > k, people[rng.integers(0, len(people), size=n)], NONE) for k in range(3)]
    a[1] = np.where(a[1] == a[0], NONE, a[1])
    a[2] = np.where((a[2] == a[0]) | (a[2] == a[1]), NONE, a[2])

    space_of = np.array([world.lists[p].space for p in lists], dtype=np.int32)[row]
    tag_count = np.array([len(s.tags) for s in world.spaces], dtype=np.int64)[space_of]
    bit1 = np.uint64(1) << (rng.integers(0, 1 << 30, size=n) % tag_count).astype(np.uint64)
    bit2 = np.uint64(1) << (rng.integers(0, 1 << 30, size=n) % tag_count).astype(np.uint64)
    tag_draw = rng.random(n)
    tags = np.where(tag_draw < 0.5, np.uint64(0), np.where(tag_draw < 0.85, bit1, bit1 | bit2))

    comment_kind = rng.random(n)
    ncomments = np.select(
        [comment_kind < 0.55, comment_kind < 0.95, comment_kind < 0.99],
        [0, rng.integers(1, 7, size=n), rng.integers(7, 25, size=n)],
        rng.integers(26, 61, size=n),
    )
    block = table.extend(
        {
            "ws": np.full(n, ws),
            "lst": lists[row],
            "parent": parent,
            "top": top,
            "status": status,
            "stype": stype,
            "archived": archived,
            "created": created,
            "updated": updated,
            "closed": closed,
            "done": done,
            "due": due,
            "start": start,
            "priority": rng.choice(5, size=n, p=[0.4, 0.05, 0.15, 0.3, 0.1]),
            "points": np.where(
                rng.random(n) < 0.35, np.array([1, 2, 3, 5, 8, 13])[rng.integers(0, 6, n)], NONE
            ),
            "estimate": np.where(rng.random(n) < 0.4, rng.integers(1, 64, size=n) * 15 * 60_000, NONE),
            "creator": staff[rng.integers(0, len(staff), size=n)],
            "a0": a[0],
            "a1": a[1],
            "a2": a[2],
            "item": rng.choice(np.array([0, 1, 1300]), size=n, p=[0.88, 0.04, 0.08]),
            "tags": tags,
            "ncomments": ncomments,
            "rnd": rng.integers(0, 1 << 63, size=n, dtype=np.int64).astype(np.uint64),
        }
    )
    base = block.start
    for name in ("parent", "top"):
        col = table.column(name)[block.start : block.stop]
        col[col >= 0] += base
    _relations(rng, world, ws, lists, table, block, relations, staff)
    return block


def _subtasks(rng, row: np.ndarray, count: int) -> np.ndarray:
    """Parent (block-relative index or -1) of each task: `count` subtasks under earlier tasks of their
    list."""
    n = len(row)
    order = np.lexsort((np.arange(n), row))
    sorted_rows = row[order]
    starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, n]))
    position = np.arange(n) - group_start  # position of order[k] inside its list
    candidates = np.flatnonzero(position > 0)
    chosen = rng.choice(candidates, size=min(count, len(candidates)), replace=False)
    parent = np.full(n, NONE, dtype=np.int32)
    parent_pos = (rng.random(len(chosen)) * position[chosen]).astype(np.int64)
    parent[order[chosen]] = order[group_start[chosen] + parent_pos]
    return parent


def _top_parents(parent: np.ndarray) -> np.ndarray:
    top = parent.copy()
    while True:
        has = top >= 0
        up = np.where(has, parent[np.where(has, top, 0)], NONE)
        moved = has & (up >= 0)
        if not moved.any():
            return top
        top = np.where(moved, up, top)


def _relations(rng, world, ws, lists, table, block, relations: Relations, staff) -> None:
    n = len(block)
    if n < 2:
        return
    created = table.created
    live_lists = [p for p in lists if not world.list_hidden(world.lists[p])]
    for kind, rate in (("dep", 0.03), ("link", 0.02)):
        chosen = np.flatnonzero(rng.random(n) < rate)
        chosen = chosen[chosen > 0]
        others = (rng.random(len(chosen)) * chosen).astype(np.int64)
        users = staff[rng.integers(0, len(staff), size=len(chosen))]
        for i, j, u in zip(chosen.tolist(), others.tolist(), users.tolist(), strict=True):
            a, b = block.start + i, block.start + j
            record = (a, b, int(max(created[a], created[b])) + 60_000, u)
            target = relations.deps if kind == "dep" else relations.links
            target.setdefault(a, []).append(record)
            target.setdefault(b, []).append(record)
    if len(live_lists) > 1:
        chosen = np.flatnonzero(rng.random(n) < 0.02)
        picks = rng.integers(0, len(live_lists), size=len(chosen))
        home = table.lst
        for i, p in zip(chosen.tolist(), picks.tolist(), strict=True):
            task = block.start + i
            extra = live_lists[p]
            if extra != home[task]:
                relations.add_location(task, int(extra))
