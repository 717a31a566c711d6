"""The simulator's mutations with their webhook events (`observe_tasks`, `observe_hierarchy`): the
observers run each mutation unchanged, then queue what ClickUp would send for it."""

from __future__ import annotations

from clickup_simulator.mutations.tasks import Mutations
from clickup_simulator.webhooks.observe_hierarchy import HierarchyObservers
from clickup_simulator.webhooks.observe_tasks import TaskObservers


class ObservedMutations(TaskObservers, HierarchyObservers, Mutations):
    """Needs `webhook_emitter` and `webhook_history` (set by `Simulator`)."""
