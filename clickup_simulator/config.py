"""What a simulator holds and how it behaves: sizes, tokens, rate limits, clock anchor and faults.

Sizing fields left as `None` are filled in by `__post_init__`: first from the preset (if any), then from
defaults that scale with `tasks`, so `SimulatorConfig(tasks=400)` and `--preset reference` both end up
with every count set. All counts are per workspace.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace

DEFAULT_TOKEN = "pk_simulator_primary_token"

PRESETS: dict[str, dict] = {
    # the shape the extraction benchmark runs against
    "reference": dict(
        spaces=10,
        folders=40,
        lists=200,
        archived_lists=5,
        archived_folders=0,
        archived_spaces=0,
        subfolders=0,
        tasks=20_000,
        archived_tasks=500,
        subtasks=2_000,
        closed_tasks=3_000,
        members=50,
    ),
}


@dataclass
class FaultConfig:
    """Faults injected into `/api/v2` answers; every decision is drawn from (seed, request number)."""

    error_rate: float = 0.0  # fraction of answers replaced by a 500/502/503/504
    latency_ms: float = 0.0  # added before every answer
    latency_jitter_ms: float = 0.0  # plus a uniform 0..jitter
    drop_rate: float = 0.0  # connection closed without an answer
    truncate_rate: float = 0.0  # body cut short of its Content-Length, then the connection closes
    malformed_rate: float = 0.0  # complete 200 answers whose JSON is broken
    storm_every: int = 0  # every N-th request starts a 429 storm...
    storm_length: int = 0  # ...of this many consecutive 429 answers
    storm_headers: bool = True  # False: the storm's 429s carry no X-RateLimit-* headers at all
    missing_key_rate: float = 0.0  # 200 JSON answers without their main key (`{}`, a task without `id`)
    html_rate: float = 0.0  # 200 text/html pages (a proxy's or captive portal's) instead of JSON
    burst_every: int = 0  # every N-th request starts a burst of 5xx answers...
    burst_length: int = 0  # ...this many in a row (JSON 500s and HTML 502/503/504s, as `error_rate`)
    slow_rate: float = 0.0  # answers held back `slow_ms` before they are sent...
    slow_ms: float = 130_000.0  # ...by default longer than a client's 120 s read timeout
    endpoints: tuple[str, ...] = ()  # only these endpoint templates ("GET /team/{team_id}/task"); () = all
    seed: int | None = None  # None: the simulator's seed

    def active(self) -> bool:
        return bool(
            self.error_rate
            or self.latency_ms
            or self.latency_jitter_ms
            or self.drop_rate
            or self.truncate_rate
            or self.malformed_rate
            or (self.storm_every and self.storm_length)
            or self.missing_key_rate
            or self.html_rate
            or (self.burst_every and self.burst_length)
            or self.slow_rate
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        data["endpoints"] = list(self.endpoints)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> FaultConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        values = dict(data)
        if "endpoints" in values:
            values["endpoints"] = tuple(values["endpoints"] or ())
        return cls(**values)


@dataclass
class SimulatorConfig:
    seed: int = 0
    preset: str | None = None
    workspaces: int = 1
    spaces: int | None = None
    folders: int | None = None  # including subfolders
    subfolders: int | None = None
    lists: int | None = None  # including folderless lists
    tasks: int | None = None  # including subtasks
    subtasks: int | None = None
    archived_tasks: int | None = None
    closed_tasks: int | None = None
    archived_spaces: int | None = None
    archived_folders: int | None = None
    archived_lists: int | None = None
    members: int | None = None  # including the owner, guests and one invited-but-never-joined user
    groups: int = 3
    goals: int = 4
    time_entries: int | None = None
    workspace_tasks: tuple[int, ...] = ()  # tasks of each workspace in order (mixed sizes); () = `tasks`
    shared_tokens: int = 0  # owner's tokens, token k reaching workspaces k, k + n, k + 2n, ...
    history_days: int = 730  # generated activity spreads over this many days before the clock's start
    token: str = DEFAULT_TOKEN
    rate_limit: int = 100  # requests per window and token; 0 = unlimited (nominal headers: 10,000 left)
    rate_window_s: float = 60.0
    time_in_status_enabled: bool | tuple = True  # or the workspace ids / positions that have the ClickApp
    comments_touch_task: bool = True  # a new or deleted comment stamps its task's date_updated
    now_ms: int | None = None  # pins (and freezes) the clock: same seed + now_ms = identical answers
    faults: FaultConfig = field(default_factory=FaultConfig)

    def __post_init__(self) -> None:
        if self.preset is not None:
            if self.preset not in PRESETS:
                raise ValueError(f"unknown preset {self.preset!r}; known: {sorted(PRESETS)}")
            for name, value in PRESETS[self.preset].items():
                if getattr(self, name) is None:
                    setattr(self, name, value)
        if isinstance(self.faults, dict):
            self.faults = FaultConfig.from_dict(self.faults)
        self.workspace_tasks = tuple(int(n) for n in self.workspace_tasks)
        self._fill_defaults()
        self._check()

    def _fill_defaults(self) -> None:
        n = self.tasks if self.tasks is not None else 1000
        self.tasks = n
        defaults = dict(
            spaces=4,
            folders=8,
            lists=24,
            members=12,
            subtasks=n // 10,
            archived_tasks=max(1, n // 40) if n >= 40 else 0,
            closed_tasks=(n * 3) // 20,
            time_entries=min(max(n // 2, 50), 200_000),
        )
        for name, value in defaults.items():
            if getattr(self, name) is None:
                setattr(self, name, value)
        if self.archived_spaces is None:
            self.archived_spaces = 1 if self.spaces >= 3 else 0
        if self.subfolders is None:
            self.subfolders = min(2, self.folders // 4)
        if self.archived_folders is None:
            self.archived_folders = 1 if self.folders >= 4 else 0
        if self.archived_lists is None:
            self.archived_lists = max(1, self.lists // 20) if self.lists >= 4 else 0

    def _check(self) -> None:
        if self.workspaces < 1 or self.spaces < 1 or self.lists < 1 or self.members < 1:
            raise ValueError("every workspace needs at least one space, one list and one member")
        if self.archived_spaces >= self.spaces:
            raise ValueError("at least one space must stay active")
        if self.archived_lists >= self.lists:
            raise ValueError("at least one list must stay active")
        if self.subfolders > self.folders or self.archived_folders > self.folders:
            raise ValueError("subfolders and archived folders are counted within --folders")
        if self.subtasks + self.archived_tasks > self.tasks or self.closed_tasks > self.tasks:
            raise ValueError("subtasks, archived and closed tasks are counted within --tasks")
        if self.rate_limit < 0 or self.rate_window_s <= 0:
            raise ValueError("rate_limit must be >= 0 and rate_window_s > 0")
        if self.workspace_tasks and len(self.workspace_tasks) != self.workspaces:
            raise ValueError("workspace_tasks needs one count per workspace")
        if any(n < 1 for n in self.workspace_tasks):
            raise ValueError("every workspace of workspace_tasks needs at least one task")
        if self.shared_tokens < 0:
            raise ValueError("shared_tokens must be >= 0")

    def for_workspace(self, position: int) -> SimulatorConfig:
        """The sizes of one workspace. With `workspace_tasks`, the counts that follow from the task
        count (subtasks, archived, closed, time entries) are derived from that workspace's own size,
        so a 500-task and a 20,000-task workspace are each shaped like a workspace of their size."""
        if not self.workspace_tasks:
            return self
        return replace(
            self,
            preset=None,
            tasks=self.workspace_tasks[position],
            subtasks=None,
            archived_tasks=None,
            closed_tasks=None,
            time_entries=None,
            workspace_tasks=(),
        )

    def total_tasks(self) -> int:
        return sum(self.workspace_tasks) if self.workspace_tasks else self.tasks * self.workspaces

    def tis_enabled_for(self, position: int, workspace_id: str) -> bool:
        setting = self.time_in_status_enabled
        if isinstance(setting, bool):
            return setting
        return position in setting or workspace_id in {str(x) for x in setting}
