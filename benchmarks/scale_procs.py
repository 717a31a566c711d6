"""The processes of the scale benchmark: the simulator, `clickup-elt worker`s, the sync that sends
them its steps, a Redis database of the run's own, and the peak memory and CPU of each process."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import redis

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("clickup-elt")


def start_simulator(options: list[str], log: Path) -> tuple[subprocess.Popen, str]:
    """`clickup-elt simulator --port 0 OPTIONS` in its own process; returns it and its base URL."""
    process = subprocess.Popen(
        [str(CLI), "simulator", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    assert process.stdout is not None
    seen = []
    while line := process.stdout.readline():
        seen.append(line)
        found = re.search(r"(http://127\.0\.0\.1:\d+)/api/v2", line)
        if found:
            log.write_text("".join(seen))
            threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
            return process, found.group(1)
    raise RuntimeError("the simulator exited before serving:\n" + "".join(seen)[-2000:])


def _drain(stream) -> None:
    for _ in stream:
        pass


@contextlib.contextmanager
def redis_database(host: str = "127.0.0.1", port: int = 6379) -> Iterator[str]:
    """A Redis database of this run's own (Celery's queue name is fixed): claimed by a key in
    database 0 the way the tests claim theirs, emptied before and after."""
    claims = redis.Redis(host=host, port=port)
    for number in range(15, 0, -1):
        if claims.set(f"clickup-elt-tests/db/{number}", os.getpid(), nx=True, ex=6 * 3600):
            break
    else:
        raise RuntimeError("every Redis database 1..15 is claimed")
    db = redis.Redis(host=host, port=port, db=number)
    db.flushdb()
    try:
        yield f"redis://{host}:{port}/{number}"
    finally:
        db.flushdb()
        claims.delete(f"clickup-elt-tests/db/{number}")


def start_worker(name: str, env: dict[str, str], folder: Path) -> subprocess.Popen:
    """`clickup-elt worker --concurrency 1 --name NAME` in a process group of its own."""
    with open(folder / f"{name}.log", "w") as out:
        return subprocess.Popen(
            [str(CLI), "worker", "--concurrency", "1", "--name", name],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_ready(workers: dict[str, subprocess.Popen], folder: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    for name, proc in workers.items():
        while "ready." not in (folder / f"{name}.log").read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (folder / f"{name}.log").read_text(errors="replace")
                raise RuntimeError(f"worker {name} did not start:\n{log[-3000:]}")
            time.sleep(0.3)


def steps_run(log: Path) -> dict:
    """Steps a worker ran and the seconds it spent in them (Celery logs each task's duration)."""
    done = re.findall(r"Task execute_plan\[[^\]]+\] succeeded in ([0-9.]+)s", log.read_text())
    seconds = [float(s) for s in done]
    return {"steps": len(seconds), "busy_s": round(sum(seconds), 1)}


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group (a Celery worker's warm shutdown), SIGKILL if it lingers."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Sampler:
    """Peak RSS of process trees (a worker's main process and the pool process it forks, an
    orchestrating process), sampled every `every` seconds, the most connections each tree held open
    to Postgres at `postgres_port` at once, and the CPU seconds they spent while watched. Trees can
    be added while it runs (`watch`)."""

    def __init__(self, roots: dict[str, int], every: float = 0.5, postgres_port: int = 5432):
        self.every = every
        self.postgres_port = postgres_port
        self.roots: dict[str, int] = {}
        self.peak: dict[str, dict[int, float]] = {}  # tree -> pid -> peak MB
        self.peak_tree_mb: dict[str, float] = {}
        self.peak_connections: dict[str, int] = {}
        self._cpu: dict[str, dict[int, float]] = {}
        self._cpu_start: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        for name, pid in roots.items():
            self.watch(name, pid)

    def watch(self, name: str, pid: int) -> None:
        with self._lock:
            self.roots[name] = pid
            self.peak[name], self.peak_tree_mb[name], self._cpu[name] = {}, 0.0, {}
            self.peak_connections[name] = 0
            self._cpu_start[name] = self._tree_cpu(name)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_s(self) -> dict[str, float]:
        with self._lock:
            return {name: round(self._tree_cpu(name) - self._cpu_start[name], 1) for name in self.roots}

    def figures(self, name: str) -> dict[str, float]:
        """Peak RSS (MB) of the tree's root process, of its largest child, and of the whole tree."""
        root = self.roots[name]
        children = [mb for pid, mb in self.peak[name].items() if pid != root]
        return {
            "main": self.peak[name].get(root, 0.0),
            "largest_child": max(children, default=0.0),
            "tree": self.peak_tree_mb[name],
        }

    def _tree(self, name: str) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.roots[name])
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def _tree_cpu(self, name: str) -> float:
        for proc in self._tree(name):
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                self._cpu[name][proc.pid] = times.user + times.system
        return sum(self._cpu[name].values())

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            with self._lock:
                for name in self.roots:
                    self._sample(name)

    def _sample(self, name: str) -> None:
        tree_mb, connections = 0.0, 0
        for proc in self._tree(name):
            with contextlib.suppress(psutil.Error):
                mb = round(proc.memory_info().rss / 2**20, 1)
                self.peak[name][proc.pid] = max(self.peak[name].get(proc.pid, 0.0), mb)
                tree_mb += mb
                connections += sum(
                    1
                    for c in proc.net_connections(kind="tcp")
                    if c.raddr and c.raddr.port == self.postgres_port
                )
        self._tree_cpu(name)
        self.peak_tree_mb[name] = max(self.peak_tree_mb[name], round(tree_mb, 1))
        self.peak_connections[name] = max(self.peak_connections[name], connections)
