"""Identifiers shaped like ClickUp's.

Workspace/space/folder/list ids are numeric strings, task ids short base-36 strings (`86` + 7 chars,
increasing with creation like ClickUp's), user ids integers, comment and time-entry ids long numeric
strings, and custom fields, checklists, goals, key results and user groups UUIDs. Task, comment and
time-entry ids are computed from an index and decoded back without any lookup table.
"""

from __future__ import annotations

import numpy as np

from clickup_simulator.generation.mix import mix

B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
TASK_PREFIX = "86"
TASK_WIDTH = 7
TASK_STRIDE = 7
COMMENT_BASE = 90_110_000_000_000  # generated comments: base + task * 256 + k
REPLY_BASE = 90_150_000_000_000_000  # generated replies: base + (task * 256 + k) * 16 + j
CREATED_COMMENT_BASE = 90_190_000_000_000_000_000  # comments created at run time, in order
TIME_ENTRY_BASE = 4_100_000_000_000_000_000  # 19 digits, + entry index * 17


TRIPLES = [a + b + c for a in B36 for b in B36 for c in B36]  # 46,656 three-digit chunks
_DIGITS = np.frombuffer(B36.encode(), dtype=np.uint8)


class TaskIds:
    """Task ids from indices and back; the ids of existing tasks are also kept as a 9-byte table."""

    def __init__(self, seed: int):
        self.offset = 36**6 + mix(seed, 0x7A5C) % (36**6)
        self.table = np.zeros(0, dtype="S9")

    def encode(self, index: int) -> str:
        high, low = divmod(self.offset + index * TASK_STRIDE, 46_656)
        first, mid = divmod(high, 46_656)
        return f"{TASK_PREFIX}{B36[first]}{TRIPLES[mid]}{TRIPLES[low]}"

    def grow(self, count: int) -> None:
        """Make `table` hold the ids of tasks 0..count-1 (vectorised base 36)."""
        start = len(self.table)
        if count <= start:
            return
        numbers = self.offset + np.arange(start, count, dtype=np.int64) * TASK_STRIDE
        chars = np.empty((count - start, 9), dtype=np.uint8)
        chars[:, 0], chars[:, 1] = ord("8"), ord("6")
        for position in range(8, 1, -1):
            numbers, digit = np.divmod(numbers, 36)
            chars[:, position] = _DIGITS[digit]
        grown = np.empty(count, dtype="S9")
        grown[:start] = self.table
        grown[start:] = chars.view("S9").ravel()
        self.table = grown

    def decode(self, task_id: str) -> int | None:
        if not task_id.startswith(TASK_PREFIX) or len(task_id) != len(TASK_PREFIX) + TASK_WIDTH:
            return None
        try:
            n = int(task_id[len(TASK_PREFIX) :], 36) - self.offset
        except ValueError:
            return None
        if n < 0 or n % TASK_STRIDE:
            return None
        return n // TASK_STRIDE


def uuid_from(*parts: int) -> str:
    """A deterministic version-4-looking UUID."""
    a, b = mix(*parts, 1), mix(*parts, 2)
    h = f"{a:016x}{b:016x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def comment_id(task: int, k: int) -> str:
    return str(COMMENT_BASE + task * 256 + k)


def reply_id(task: int, k: int, j: int) -> str:
    return str(REPLY_BASE + (task * 256 + k) * 16 + j)


def decode_comment(comment_id_: str) -> tuple[str, int, int, int] | None:
    """('comment', task, k, -1) | ('reply', task, k, j) | ('created', n, -1, -1) | None."""
    if not comment_id_.isdigit():
        return None
    n = int(comment_id_)
    if n >= CREATED_COMMENT_BASE:
        return "created", n - CREATED_COMMENT_BASE, -1, -1
    if n >= REPLY_BASE:
        rest, j = divmod(n - REPLY_BASE, 16)
        task, k = divmod(rest, 256)
        return "reply", task, k, j
    if n >= COMMENT_BASE:
        task, k = divmod(n - COMMENT_BASE, 256)
        return "comment", task, k, -1
    return None


def time_entry_id(index: int) -> str:
    return str(TIME_ENTRY_BASE + index * 17)


def decode_time_entry(entry_id: str) -> int | None:
    if not entry_id.isdigit():
        return None
    n = int(entry_id) - TIME_ENTRY_BASE
    if n < 0 or n % 17:
        return None
    return n // 17
