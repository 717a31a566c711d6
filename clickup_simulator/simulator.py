"""The simulator: generated workspaces, their state over time, and the HTTP server that serves them."""

from __future__ import annotations

import time

from clickup_simulator.access.tokens import Tokens
from clickup_simulator.access.visibility import Access
from clickup_simulator.api.queries import TaskQueries
from clickup_simulator.api.ratelimit import RateLimiter
from clickup_simulator.api.stats import Stats
from clickup_simulator.config import SimulatorConfig
from clickup_simulator.faults.injection import Faults
from clickup_simulator.generation.hierarchy import generate_world
from clickup_simulator.generation.tasks import generate_tasks
from clickup_simulator.mutations.triggers import Triggers
from clickup_simulator.rendering.task import TaskRenderer
from clickup_simulator.state.clock import SimClock
from clickup_simulator.state.comments import Comments
from clickup_simulator.state.state import State
from clickup_simulator.state.timeentries import TimeEntries
from clickup_simulator.state.truth import Truth
from clickup_simulator.webhooks.mutations import ObservedMutations
from clickup_simulator.webhooks.service import Webhooks


class Simulator(ObservedMutations):
    """A deterministic ClickUp API v2. See the package docstring for the whole interface."""

    def __init__(self, config: SimulatorConfig | None = None, *, render_cache_mb: int = 512, **options):
        if config is None:
            config = SimulatorConfig(**options)
        elif options:
            raise TypeError("give either a SimulatorConfig or keyword options, not both")
        started = time.perf_counter()
        self.config = config
        self.clock = SimClock(config.now_ms)
        world = generate_world(config, self.clock.anchor_ms)
        self.state = state = State(config, world, self.clock)
        self.entries = TimeEntries()
        for ws in range(config.workspaces):
            sizes = config.for_workspace(ws)
            block = generate_tasks(world, ws, sizes, state.tasks, state.relations, self.clock.anchor_ms)
            state.ws_block.append(block)
            self.entries.generate(
                world, ws, sizes.time_entries, state.tasks, block, self.clock.anchor_ms, config.seed
            )
        state.generated = state.tasks.n
        self.refresh_time_spent()
        self.renderer = TaskRenderer(state, cache_bytes=render_cache_mb << 20)
        self.access = Access(state)
        self.queries = TaskQueries(state, self.access)
        self.comments = Comments(state)
        self.limiter = RateLimiter(config.rate_limit, config.rate_window_s, self.clock)
        self.faults = Faults(config.faults, config.seed)
        self.stats = Stats()
        self.tokens = Tokens(self)
        self.truth = Truth(self)
        self.triggers = Triggers(self)
        self.webhooks = Webhooks(self)
        self.webhook_faults = self.webhooks.faults
        self.webhook_emitter = self.webhooks.emitter
        self.webhook_history = self.webhooks.history
        self.startup_s = time.perf_counter() - started

    # -- time ---------------------------------------------------------------------------------------
    def now_ms(self) -> int:
        return self.clock.now_ms()

    def advance(self, seconds: float) -> int:
        """Move the simulated clock forward; returns the new now (ms)."""
        with self.state.lock:
            now = self.clock.advance(seconds)
            self.state.touch()
            return now

    # -- switches -----------------------------------------------------------------------------------
    def set_time_in_status(self, workspace_id: str, enabled: bool) -> None:
        """Turn the "Total time in Status" ClickApp of a workspace on or off."""
        with self.state.lock:
            self.workspace(workspace_id).tis_enabled = bool(enabled)

    def set_rate_limit(self, limit: int | None = None, window_s: float | None = None) -> None:
        """Change the limit (0 = unlimited) and/or window; every token starts a fresh window."""
        self.limiter.configure(limit, window_s)

    def reset_rate_limits(self) -> None:
        self.limiter.reset()

    def after(self, endpoint: str, count: int, action: str, object_id=None, **args) -> dict:
        """Run `action(object_id, **args)` (e.g. "delete_task") once `count` more answers of `endpoint`
        (a template: "GET /team/{team_id}/task") have been computed, before the last one is sent."""
        return self.triggers.add(endpoint, count, action, object_id, **args)

    # -- serving ------------------------------------------------------------------------------------
    def serve(self, host: str = "127.0.0.1", port: int = 0):
        """Serve in a background thread; the returned server has `.url` and `.stop()` and is a context
        manager."""
        from clickup_simulator.server import serve

        return serve(self, host, port)

    # -- helpers shared by the API, the control API and the mutations --------------------------------
    def workspace(self, workspace_id: str):
        ws = self.state.ws_by_id.get(str(workspace_id))
        if ws is None:
            raise LookupError(f"no workspace {workspace_id}")
        return ws

    def refresh_time_spent(self, tasks: list[int] | None = None) -> None:
        spent, counts = self.entries.task_totals(self.state.tasks.n)
        self.state.tasks.column("spent")[:] = spent
        self.state.tasks.column("nentries")[:] = counts
