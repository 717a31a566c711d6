"""The distributed profile under test: a Redis broker (the machine's, or one of the test's own) and
`clickup-elt worker` processes that run the steps of the syncs the tests start."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

CLI = Path(sys.executable).with_name("clickup-elt")
SHARED_REDIS = ("127.0.0.1", 6379)


def _reachable(host: str, port: int) -> bool:
    try:
        return bool(redis.Redis(host=host, port=port, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """(host, port) of a Redis: the machine's at 6379, else a `redis-server` of the session's own."""
    if _reachable(*SHARED_REDIS):
        yield SHARED_REDIS
        return
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(binary):
        pytest.fail("no Redis at 127.0.0.1:6379 and no redis-server to start (apt-get install redis-server)")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not _reachable("127.0.0.1", port):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("redis-server did not start")
        time.sleep(0.1)
    yield ("127.0.0.1", port)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def broker(redis_server):
    """A Redis database of the test's own (Celery's queue name is fixed, so tests running at once
    must not share a database): claimed by a key in database 0, emptied before and after."""
    host, port = redis_server
    claims = redis.Redis(host=host, port=port)
    for number in range(1, 16):
        if claims.set(f"clickup-elt-tests/db/{number}", os.getpid(), nx=True, ex=1800):
            break
    else:
        pytest.fail("every Redis database 1..15 is claimed by another test")
    db = redis.Redis(host=host, port=port, db=number)
    db.flushdb()
    yield f"redis://{host}:{port}/{number}"
    db.flushdb()
    claims.delete(f"clickup-elt-tests/db/{number}")


@dataclass
class Workers:
    env: dict[str, str]
    folder: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str) -> subprocess.Popen:
        """`clickup-elt worker --name NAME` in a process group of its own, output to NAME.log."""
        with open(self.folder / f"{name}.log", "w") as out:
            proc = subprocess.Popen(
                [str(CLI), "worker", "--concurrency", "1", "--name", name],
                cwd=self.folder,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs[name] = proc
        return proc

    def wait_ready(self, timeout: float = 90) -> None:
        """Until every worker says it is ready to take tasks."""
        deadline = time.monotonic() + timeout
        for name, proc in self.procs.items():
            while "ready." not in self.log(name):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"worker {name} did not start:\n{self.log(name)[-3000:]}")
                time.sleep(0.3)

    def kill(self, name: str) -> None:
        """SIGKILL the worker and its pool processes at once (a machine lost), no cleanup."""
        proc = self.procs[name]
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")


@pytest.fixture
def celery_workers(tmp_path):
    """Returns a function that starts named workers with an environment; all are killed afterwards."""
    started: list[Workers] = []

    def start(env: dict[str, str], *names: str) -> Workers:
        workers = Workers(env, tmp_path)
        for name in names:
            workers.start(name)
        workers.wait_ready()
        started.append(workers)
        return workers

    yield start
    for workers in started:
        for name in workers.procs:
            workers.kill(name)
