"""A project-local PostgreSQL server, used when DATABASE_URL is not set.

The data directory lives under the project's state directory (gitignored) and the server is reused by
the next run. It listens on 127.0.0.1 only, on a free port remembered in ``server.json``. When we run as
root, ``initdb``/``pg_ctl`` run as the ``postgres`` user, which owns the data directory.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from clickup_elt.paths import state_dir

USER = "clickup"
WAREHOUSE_DB = "clickup"
DAGSTER_DB = "dagster"


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be set up; the message says what to install or fix."""


@dataclass(frozen=True)
class EmbeddedServer:
    port: int
    host: str = "127.0.0.1"

    def url(self, database: str = WAREHOUSE_DB) -> str:
        return f"postgresql://{USER}@{self.host}:{self.port}/{database}"


def _bin_dir() -> Path:
    """Debian's server binaries (newest major first), else whatever `pg_ctl` is on PATH."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major, reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    if found and Path(found).with_name("initdb").exists():
        return Path(found).parent
    try:  # the pgserver wheel ships PostgreSQL's binaries
        import pgserver  # type: ignore[import-not-found]

        wheel_bin = Path(pgserver.__file__).parent / "pginstall" / "bin"
        if (wheel_bin / "initdb").exists():
            return wheel_bin
    except ImportError:
        pass
    raise EmbeddedPostgresError(
        "No PostgreSQL server binaries found (initdb, pg_ctl). Install Debian's `postgresql` package "
        "(apt-get install postgresql), or `pip install pgserver` into the project's venv, or set "
        "DATABASE_URL to an existing PostgreSQL server."
    )


def _major(path: str) -> int:
    try:
        return int(Path(path).parent.name)
    except ValueError:
        return 0


def _run_as() -> str | None:
    """initdb refuses root: run the server as `postgres` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise EmbeddedPostgresError(
            "Running as root needs a `postgres` system user to own the embedded server "
            "(Debian's postgresql package creates it)."
        ) from exc
    return "postgres"


def _pg(cmd: list[str], user: str | None, **kwargs) -> subprocess.CompletedProcess:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class EmbeddedPostgres:
    """Start, reuse and stop the project's own server."""

    def __init__(self, root: Path | None = None):
        self.root = (root or state_dir()) / "postgres"
        self.data = self.root / "data"
        self.meta = self.root / "server.json"
        self.log = self.root / "server.log"

    @contextlib.contextmanager
    def _lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _saved_port(self) -> int | None:
        try:
            return int(json.loads(self.meta.read_text())["port"])
        except (OSError, ValueError, KeyError):
            return None

    def is_running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        result = _pg([str(_bin_dir() / "pg_ctl"), "status", "-D", str(self.data)], _run_as())
        return result.returncode == 0

    def ensure_running(self) -> EmbeddedServer:
        """Initialise on first use, start if stopped, and make sure both databases exist."""
        with self._lock():
            user = _run_as()
            bindir = _bin_dir()
            if not (self.data / "PG_VERSION").exists():
                self._initdb(bindir, user)
            port = self._saved_port()
            if not self.is_running():
                if port is None or not _port_free(port):
                    port = _free_port()
                self._start(bindir, user, port)
            assert port is not None
            server = EmbeddedServer(port=port)
            _create_databases(server)
            return server

    def _initdb(self, bindir: Path, user: str | None) -> None:
        if self.data.exists():
            shutil.rmtree(self.data)
        self.data.mkdir(parents=True)
        if user:
            owner = pwd.getpwnam(user)
            for path in (self.root, self.data):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        result = _pg(
            [str(bindir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust",
             "-E", "UTF8", "--no-locale"],
            user,
        )
        if result.returncode != 0:
            raise EmbeddedPostgresError(
                f"initdb failed for {self.data} (the {user or 'current'} user must be able to write "
                f"there):\n{result.stderr.strip()}"
            )

    def _start(self, bindir: Path, user: str | None, port: int) -> None:
        if user:
            owner = pwd.getpwnam(user)
            self.log.touch()
            os.chown(self.log, owner.pw_uid, owner.pw_gid)
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
        result = _pg(
            [str(bindir / "pg_ctl"), "start", "-D", str(self.data), "-l", str(self.log),
             "-o", options, "-w", "-t", "60"],
            user,
        )
        if result.returncode != 0:
            tail = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise EmbeddedPostgresError(f"the embedded PostgreSQL did not start:\n{result.stderr}\n{tail}")
        self.meta.write_text(json.dumps({"port": port}))

    def stop(self) -> bool:
        """Stop the server if it runs; returns whether it was running."""
        with self._lock():
            if not self.is_running():
                return False
            _pg([str(_bin_dir() / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast", "-w"], _run_as())
            return True


def _create_databases(server: EmbeddedServer) -> None:
    import psycopg2

    deadline = time.monotonic() + 30
    while True:
        try:
            conn = psycopg2.connect(server.url("postgres"))
            break
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    conn.autocommit = True
    with conn.cursor() as cur:
        for name in (WAREHOUSE_DB, DAGSTER_DB):
            cur.execute("select 1 from pg_database where datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(f'create database "{name}"')
    conn.close()
