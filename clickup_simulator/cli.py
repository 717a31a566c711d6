"""The simulator's command: serve a generated ClickUp workspace at http://HOST:PORT/api/v2 until stopped.

The pipeline's CLI offers it as `clickup-elt simulator`; `python -m clickup_simulator` runs it on its own.
"""

from __future__ import annotations

import gc
import signal
import sys

import click

from clickup_simulator.config import DEFAULT_TOKEN, PRESETS, FaultConfig, SimulatorConfig

SIZES = [
    "workspaces",
    "spaces",
    "folders",
    "subfolders",
    "lists",
    "tasks",
    "subtasks",
    "archived_tasks",
    "closed_tasks",
    "archived_spaces",
    "archived_folders",
    "archived_lists",
    "members",
    "groups",
    "goals",
    "time_entries",
    "history_days",
]


def _size_options(fn):
    for name in reversed(SIZES):
        label = name.replace("_", " ").capitalize()
        fn = click.option(
            f"--{name.replace('_', '-')}",
            name,
            type=int,
            default=None,
            help=label if name in ("workspaces", "history_days") else f"{label} per workspace.",
        )(fn)
    return fn


FAULT_FLAGS = [  # FaultConfig field, type, help
    ("error_rate", float, "Fraction of answers that are 5xx."),
    ("latency_ms", float, "Added latency per answer."),
    ("latency_jitter_ms", float, "Plus up to this much, at random."),
    ("drop_rate", float, "Fraction of connections dropped unanswered."),
    ("truncate_rate", float, "Fraction of bodies cut short."),
    ("malformed_rate", float, "Fraction of 200s with broken JSON."),
    ("missing_key_rate", float, "Fraction of 200s without the key their endpoint must have."),
    ("html_rate", float, "Fraction of answers that are a 200 text/html page (a proxy's)."),
    ("slow_rate", float, "Fraction of answers held back --slow-ms."),
    ("slow_ms", float, "How long a slow answer waits (default 130000: past a 120 s read timeout)."),
    ("storm_every", int, "Every N-th request starts a 429 storm…"),
    ("storm_length", int, "…of this many 429 answers."),
    ("burst_every", int, "Every N-th request starts a burst of 5xx answers…"),
    ("burst_length", int, "…this many in a row."),
]


def _fault_options(fn):
    fn = click.option(
        "--fault-endpoint",
        "fault_endpoints",
        multiple=True,
        help='Only inject faults here, e.g. "GET /team/{team_id}/task" (repeatable).',
    )(fn)
    fn = click.option(
        "--fault-seed", type=int, default=None, help="Seed of the fault draws (default: --seed)."
    )(fn)
    fn = click.option("--no-storm-headers", is_flag=True, help="Storm 429s carry no X-RateLimit-* headers.")(
        fn
    )
    defaults = FaultConfig()
    for name, kind, text in reversed(FAULT_FLAGS):
        fn = click.option(
            f"--{name.replace('_', '-')}", name, type=kind, default=getattr(defaults, name), help=text
        )(fn)
    return fn


def fault_config(options: dict) -> FaultConfig:
    """The FaultConfig of the command's fault flags (taken out of `options`)."""
    return FaultConfig(
        **{name: options.pop(name) for name, *_ in FAULT_FLAGS},
        storm_headers=not options.pop("no_storm_headers"),
        seed=options.pop("fault_seed"),
        endpoints=tuple(options.pop("fault_endpoints")),
    )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int, help="0 picks a free port.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESETS)),
    default=None,
    help="A named shape; explicit size flags override it.",
)
@_size_options
@click.option(
    "--rate-limit",
    default=100,
    show_default=True,
    type=int,
    help="Requests per window and token; 0 = unlimited.",
)
@click.option(
    "--rate-window",
    "rate_window_s",
    default=60.0,
    show_default=True,
    type=float,
    help="Seconds of a rate-limit window.",
)
@click.option(
    "--token", default=DEFAULT_TOKEN, show_default=False, help="The primary token (owner of every workspace)."
)
@click.option(
    "--workspace-tasks",
    default="",
    help="Tasks of each workspace, comma-separated (mixed sizes; one count per workspace).",
)
@click.option(
    "--shared-tokens",
    type=int,
    default=0,
    help="The owner's tokens that split the workspaces (token k of N reaches k, k+N, …).",
)
@click.option("--now-ms", type=int, default=None, help="Pin (and freeze) the clock for identical answers.")
@click.option(
    "--no-time-in-status", is_flag=True, help="Workspaces without the Total time in Status ClickApp."
)
@_fault_options
def simulator(
    host,
    port,
    seed,
    preset,
    rate_limit,
    rate_window_s,
    token,
    workspace_tasks,
    shared_tokens,
    now_ms,
    no_time_in_status,
    **options,
):
    """Serve a generated ClickUp workspace (API v2) with rate limits, faults and a /_sim/ control API."""
    from clickup_simulator import Simulator
    from clickup_simulator.access.tokens import token_fingerprint

    faults = fault_config(options)
    given = {k: v for k, v in options.items() if v is not None}
    if workspace_tasks:
        given.setdefault("workspaces", len(workspace_tasks.split(",")))
    try:
        config = SimulatorConfig(
            workspace_tasks=tuple(int(n) for n in workspace_tasks.split(",") if n.strip()),
            shared_tokens=shared_tokens,
            seed=seed,
            preset=preset,
            rate_limit=rate_limit,
            rate_window_s=rate_window_s,
            token=token,
            now_ms=now_ms,
            time_in_status_enabled=not no_time_in_status,
            faults=faults,
            **given,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    sim = Simulator(config)
    gc.freeze()  # the generated world lives as long as the process: keep the collector off it
    server = sim.serve(host, port)
    click.echo(
        f"ClickUp simulator: {sim.state.tasks.n} tasks in {config.workspaces} workspace(s), "
        f"started in {sim.startup_s:.1f}s"
    )
    click.echo(f"  API      {server.url}  (primary token {token_fingerprint(config.token)})")
    click.echo(f"  control  {server.control_url}/  (tokens: GET /_sim/tokens)")
    click.echo(f"  rate limit {'unlimited' if rate_limit == 0 else f'{rate_limit} per {rate_window_s:g}s'}")
    sys.stdout.flush()

    def stop(*_):
        server.stop()

    signal.signal(signal.SIGTERM, stop)
    try:
        server.wait()
    except KeyboardInterrupt:
        server.stop()
