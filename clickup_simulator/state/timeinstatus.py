"""Time in status: each task's status transitions, and the totals ClickUp reports from them.

Generated tasks walk from their list's first status towards the current one (skipping some), entering
the current status when they were done or some time before their last update. Status changes made at
run time are appended to the task's own transition list (kept in its overrides).
"""

from __future__ import annotations

from clickup_simulator.generation.mix import mix
from clickup_simulator.generation.world import STATUS_TYPES

MINUTE_MS = 60_000


def generated_transitions(state, index: int) -> list[tuple[dict, int]]:
    t = state.tasks
    lst = state.world.lists[int(t.column("lst")[index])]
    statuses = lst.statuses
    current = int(t.column("status")[index])
    created, updated = int(t.column("created")[index]), int(t.column("updated")[index])
    done = int(t.column("done")[index])
    h = mix(state.seed, index, 77)
    path = [0] + [k for k in range(1, current) if h >> k & 1] + ([current] if current else [])
    final = done if done >= 0 else created + (updated - created) * (5 + h % 5) // 10
    steps = len(path) - 1
    out = []
    for k, pos in enumerate(path):
        at = created if k == 0 else created + (final - created) * k // max(1, steps)
        out.append((_status(statuses[pos]), at))
    return out


def _status(status) -> dict:
    return {
        "status": status.status,
        "color": status.color,
        "type": STATUS_TYPES[status.type],
        "orderindex": status.orderindex,
    }


def transitions(state, index: int) -> list[tuple[dict, int]]:
    over = state.overrides.get(index) or {}
    if "transitions" in over:
        return over["transitions"]
    if index < state.generated:
        return generated_transitions(state, index)
    return []


def record_transition(state, index: int, status, when: int) -> None:
    history = list(transitions(state, index))
    history.append((_status(status), when))
    state.overrides.setdefault(index, {})["transitions"] = history


def render(state, index: int, now_ms: int) -> dict:
    history = transitions(state, index)
    totals: dict[str, dict] = {}
    for k, (status, at) in enumerate(history):
        end = history[k + 1][1] if k + 1 < len(history) else now_ms
        entry = totals.setdefault(status["status"], {"status": status, "since": at, "ms": 0})
        entry["ms"] += max(0, end - at)
    current = history[-1][0]
    current_total = totals[current["status"]]
    return {
        "current_status": {
            "status": current["status"],
            "color": current["color"],
            "total_time": {"by_minute": current_total["ms"] // MINUTE_MS, "since": str(history[-1][1])},
        },
        "status_history": [
            {
                "status": e["status"]["status"],
                "color": e["status"]["color"],
                "type": e["status"]["type"],
                "total_time": {"by_minute": e["ms"] // MINUTE_MS, "since": str(e["since"])},
                "orderindex": e["status"]["orderindex"],
            }
            for e in sorted(totals.values(), key=lambda e: (e["status"]["orderindex"], e["since"]))
        ],
    }
