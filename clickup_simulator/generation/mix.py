"""Cheap deterministic hashing (splitmix64) for content derived from (seed, index, …) at render time.

Task names, checklists, custom field values, comments and the like are never stored: they are
recomputed from these hashes whenever a task is rendered, which is what keeps a million tasks small.
"""

from __future__ import annotations

import numpy as np

MASK = (1 << 64) - 1


def _split(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def mix(*parts: int) -> int:
    h = 0x51ED270B
    for p in parts:
        h = _split(h ^ (p & MASK))
    return h


def unit(*parts: int) -> float:
    """A float in [0, 1)."""
    return (mix(*parts) >> 11) / float(1 << 53)


def mix2(h: int, k: int) -> int:
    """One round mixing a task hash with a small key (field position…): cheap, per rendered value."""
    x = ((h ^ ((k + 1) * 0x9E3779B97F4A7C15)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 29)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 32)


_M1, _M2, _M3 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def mix2_grid(hashes: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """`mix2(h, k)` for every pair of `hashes` (rows) and `keys` (columns), vectorised."""
    with np.errstate(over="ignore"):
        salted = (keys.astype(np.uint64) + np.uint64(1)) * _M1
        x = (hashes.astype(np.uint64)[:, None] ^ salted[None, :]) * _M2
        x = (x ^ (x >> np.uint64(29))) * _M3
        return x ^ (x >> np.uint64(32))
