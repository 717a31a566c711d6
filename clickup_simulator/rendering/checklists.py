"""Generated checklists of tasks (about a fifth of them have one or two).

Everything is drawn from the task hash: `mix2(h, 500 + c)` seeds checklist c's UUID family (ids
sharing their first 24 hex digits), `mix2(h, 100 + c)` its item count, `mix2(h, 200 + 8c + k)` item k.
The draws of many tasks are computed at once with numpy.
"""

from __future__ import annotations

import numpy as np

from clickup_simulator.generation.mix import mix2_grid
from clickup_simulator.rendering.parts import EMPTY, FALSE, NULL, TRUE

KEYS = np.array([500, 501, 100, 101, 200, 201, 202, 203, 208, 209, 210, 211], dtype=np.uint64)
SEVEN = np.array([7], dtype=np.uint64)
TAIL_MASK = np.uint64(0xFFFFFFFF0000)
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
VARIANT = np.frombuffer(b"89ab", dtype=np.uint8)
ID_OFFSETS = np.array([0, 1, 2, 3, 4, 20, 21, 22, 23], dtype=np.uint64)  # the list, its items, their children


def has_checklists(h: int) -> bool:
    return (h >> 40) % 100 < 20


def _hex(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded lower-case hex digits of each value, as a (len, width) array of characters."""
    shifts = np.arange(4 * (width - 1), -1, -4, dtype=np.uint64)
    return HEX[((values[:, None] >> shifts) & np.uint64(0xF)).astype(np.intp)]


def _ids(seeds: np.ndarray, tails: np.ndarray) -> list[list[bytes]]:
    """Per checklist: the ids of its family that are used (offsets `ID_OFFSETS` from its tail): UUIDs
    `%08x-%04x-4%03x-V%03x-` of the seed (V one of 89ab from its top bits), then `%012x` of tail + k."""
    count = len(seeds)
    digits = _hex(seeds, 16)
    head = np.full((count, 24), ord("-"), dtype=np.uint8)
    head[:, 0:8], head[:, 9:13], head[:, 14] = digits[:, 0:8], digits[:, 8:12], ord("4")
    head[:, 15:18], head[:, 20:23] = digits[:, 13:16], digits[:, 12:15]
    head[:, 19] = VARIANT[(seeds >> np.uint64(62)).astype(np.intp)]
    full = np.empty((count, len(ID_OFFSETS), 36), dtype=np.uint8)
    full[:, :, :24] = head[:, None, :]
    full[:, :, 24:] = _hex((tails[:, None] + ID_OFFSETS).ravel(), 12).reshape(count, len(ID_OFFSETS), 12)
    return full.view("S36").reshape(count, len(ID_OFFSETS)).tolist()


def render_many(
    hashes: np.ndarray, task_ids: list, created: list, creator_ids: list, people: list, users_full: list
) -> list[bytes]:
    """The `checklists` JSON of tasks that have checklists (`has_checklists`)."""
    draws = mix2_grid(hashes, KEYS)
    seeds = draws[:, :2].ravel()
    ids = _ids(seeds, mix2_grid(seeds, SEVEN).ravel() & TAIL_MASK)
    out = []
    for t, (h, d, task_id, when, creator_id, ppl) in enumerate(
        zip(hashes.tolist(), draws.tolist(), task_ids, created, creator_ids, people, strict=True)
    ):
        lists = []
        for c in range(1 + ((h >> 47) % 4 == 0)):
            family = ids[2 * t + c]
            items, resolved_count = [], 0
            for k in range(d[2 + c] % 4 + 1):
                v = d[4 + 4 * c + k]
                item_id = family[1 + k]
                children = EMPTY
                if v % 7 == 0:
                    children = (
                        b'[{"id":"%s","name":"Double-check","orderindex":0,"assignee":null,'
                        b'"group_assignee":null,"resolved":%s,"parent":"%s","date_created":"%d",'
                        b'"children":[]}]'
                        % (family[5 + k], TRUE if v & 2 else FALSE, item_id, when + 120_000 + k)
                    )
                resolved = v & 1
                resolved_count += resolved
                assignee = users_full[ppl[v % len(ppl)]] if v % 3 == 0 else NULL
                items.append(
                    b'{"id":"%s","name":"Step %d","orderindex":%d,"assignee":%s,"group_assignee":null,'
                    b'"resolved":%s,"parent":null,"date_created":"%d","children":%s}'
                    % (item_id, k + 1, k, assignee, TRUE if resolved else FALSE, when + 60_000 + k, children)
                )
            lists.append(
                b'{"id":"%s","task_id":"%s","name":"%s","date_created":"%d","orderindex":%d,'
                b'"creator":%d,"resolved":%d,"unresolved":%d,"items":[%s]}'
                % (
                    family[0],
                    task_id,
                    b"Checklist" if c == 0 else b"Release steps",
                    when + 30_000,
                    c,
                    creator_id,
                    resolved_count,
                    len(items) - resolved_count,
                    b",".join(items),
                )
            )
        out.append(b"[" + b",".join(lists) + b"]")
    return out
