"""Full syncs of many workspaces started the way a deployment's daemon starts them, for the scale
benchmark: one full sync per workspace (its workspace run, then its daily run: what the discovery
sensor asks for a new workspace), at most RUNS_AT_ONCE runs going at once and at most one per token
(so no step waits inside a worker for a token slot another run holds), each run's steps on the Celery
workers.

The daemon would start every run in a fresh process; here a pool of long-lived processes takes the
runs one after the other, so the figures hold the workers' work and not the cost of starting a run
process (in a deployment that cost lands on the run pods; `run_process_start` measures it). Each
process loads the definitions and opens the instance once, in `start_orchestrator`; Dagster runs are
orchestrated one per process (its logging is not safe across threads of one process).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import psutil

_orchestrator: dict = {}  # in each pool process: the definitions and the open instance


@dataclass
class Outcome:
    workspace: str
    runs: list[tuple[str, str, bool]] = field(default_factory=list)  # (job, run id, success)
    seconds: float = 0.0


def start_orchestrator(log: str) -> None:
    """Pool initializer: this process's output to `log`, then the environment, definitions, instance."""
    out = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    import dagster as dg

    from clickup_elt import settings, sync
    from clickup_elt.definitions import defs

    settings.prepare_environment()
    instance = dg.DagsterInstance.get()
    sync.keep_storage_connections(instance)
    _orchestrator.update(defs=defs(), instance=instance)


def full_sync(workspace: str, fingerprint: str) -> Outcome:
    """The workspace's full sync, run after run, in this pool process."""
    import dagster as dg

    from clickup_elt import sync, triggers
    from clickup_elt.defs.ingestion.partitions import first_day, last_day
    from clickup_elt.distributed import reconstructable_job

    outcome, clock = Outcome(workspace), time.perf_counter()
    for launch in triggers.full_sync(workspace, first_day(), last_day(), fingerprint):
        result = dg.execute_job(
            reconstructable_job(launch.job),
            _orchestrator["instance"],
            raise_on_error=False,
            tags=launch.tags,
            run_config=sync.with_console_logs(launch.run_config).to_config_dict(),
        )
        outcome.runs.append((launch.job, result.run_id, result.success))
    outcome.seconds = time.perf_counter() - clock
    return outcome


def discover(log: Path) -> list[tuple[str, str]]:
    """(workspace, token fingerprint) of every workspace the tokens reach, in discovery order, added
    as partitions: what the discovery sensor does before it asks for the full syncs."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_discover, str(log)).result()


def _discover(log: str) -> list[tuple[str, str]]:
    import dagster as dg

    from clickup_elt import settings, sync

    start_orchestrator(log)
    url = settings.prepare_environment()
    with dg.DagsterInstance.get() as instance:
        found = sync.discover_workspaces(instance, url)
    return [(ws.id, ws.fingerprint) for ws in found.workspaces]


def sync_all(
    workspaces: list[tuple[str, str]], at_once: int, log: Path, started: Callable[[list[int]], None]
) -> list[Outcome]:
    """Every workspace's full sync, `at_once` at a time and one per token at a time, in queue order
    (the first queued workspace whose token is free goes next, as the daemon's run queue does with a
    per-token limit). `started(pids)` is told the pool's processes once they run."""
    queue = list(workspaces)
    busy: dict[Future, str] = {}
    outcomes: list[Outcome] = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        at_once, mp_context=context, initializer=start_orchestrator, initargs=(str(log),)
    ) as pool:
        started(_warm(pool, at_once))
        while queue or busy:
            while len(busy) < at_once and (nxt := _next_free(queue, set(busy.values()))) is not None:
                ws, token = queue.pop(nxt)
                busy[pool.submit(full_sync, ws, token)] = token
            done, _ = wait(list(busy), return_when=FIRST_COMPLETED)
            for future in done:
                busy.pop(future)
                outcomes.append(_outcome(future))
    return outcomes


def _outcome(future: Future) -> Outcome:
    """The full sync's outcome; one that broke its orchestrating process is a failed run, named."""
    try:
        return future.result()
    except Exception as exc:  # reported with the figures, the other workspaces go on
        return Outcome("?", [("orchestration", f"{type(exc).__name__}: {exc}"[:2000], False)])


def _next_free(queue: list[tuple[str, str]], busy_tokens: set[str]) -> int | None:
    return next((i for i, (_, token) in enumerate(queue) if token not in busy_tokens), None)


def _warm(pool: ProcessPoolExecutor, count: int) -> list[int]:
    """Start every pool process (and load its definitions) before the clock starts; their pids."""
    for future in [pool.submit(time.sleep, 0.5) for _ in range(count)]:
        future.result()
    return [
        child.pid
        for child in psutil.Process().children()
        if "spawn_main" in " ".join(child.cmdline()) and "resource_tracker" not in " ".join(child.cmdline())
    ]


def run_process_start(env: dict[str, str]) -> dict:
    """What starting one run process costs (the daemon starts one per run): wall and CPU seconds and
    peak RSS of a process that loads the definitions and opens the instance, as a run process does."""
    code = (
        "import resource, time; t = time.perf_counter()\n"
        "import dagster as dg\n"
        "from clickup_elt import settings\n"
        "from clickup_elt.definitions import defs\n"
        "settings.prepare_environment(); defs(); dg.DagsterInstance.get()\n"
        "r = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(time.perf_counter() - t, r.ru_utime + r.ru_stime, r.ru_maxrss / 1024)\n"
    )
    with contextlib.suppress(subprocess.CalledProcessError):
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=300
        ).stdout.split()
        seconds, cpu_s, rss_mb = (float(x) for x in out)
        return {"seconds": round(seconds, 1), "cpu_s": round(cpu_s, 1), "peak_rss_mb": round(rss_mb)}
    return {}
