"""A project-local PostgreSQL server, used when DATABASE_URL is not set.

Its bookkeeping lives in the project's state directory, under ``postgres/``: ``server.json`` (port and
data directory), ``password`` (the superuser's password, readable by its owner only) and the lock. The
server is reused by the next run, listens on 127.0.0.1 only and asks every client for the password
(scram-sha-256). When we run as root, ``initdb``/``pg_ctl`` run as the ``postgres`` user, which owns the
data directory; when that user cannot enter the state directory (a checkout under /root, a private
temporary folder), the data directory goes under its home instead, in
``clickup-elt/<hash of the state directory's path>/``. Writes are flushed to disk (fsync) unless
CLICKUP_ELT_EMBEDDED_FSYNC=off, which trades crash safety for speed.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clickup_elt.paths import state_dir

if TYPE_CHECKING:  # psycopg2 is imported where a connection is made
    from psycopg2.extensions import connection as Connection

USER = "clickup"
WAREHOUSE_DB = "clickup"
DAGSTER_DB = "dagster"
FSYNC_VARIABLE = "CLICKUP_ELT_EMBEDDED_FSYNC"
OUTSIDE_FOLDER = "clickup-elt"  # under the server user's home, for state directories it cannot enter
MASK = "***"
NO_PASSFILE = "/dev/null/none"  # a path that cannot exist: ~/.pgpass stays out of checks

# Every connection proves the password; the server listens on TCP only (no Unix socket).
HBA = """\
# clickup-elt's embedded server: every client proves the password (scram-sha-256).
local   all             all                                     scram-sha-256
host    all             all             127.0.0.1/32            scram-sha-256
host    all             all             ::1/128                 scram-sha-256
local   replication     all                                     scram-sha-256
host    replication     all             127.0.0.1/32            scram-sha-256
host    replication     all             ::1/128                 scram-sha-256
"""


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be set up; the message says what to install or fix."""


@dataclass(frozen=True)
class EmbeddedServer:
    port: int
    password: str = field(default="", repr=False)
    host: str = "127.0.0.1"

    def url(self, database: str = WAREHOUSE_DB) -> str:
        """The URL clients use; the password is URL-safe (secrets.token_urlsafe), so it needs no escaping."""
        return self._url(self.password, database)

    def masked_url(self, database: str = WAREHOUSE_DB) -> str:
        """The URL to show a person: the password stays in its file."""
        return self._url(MASK, database)

    def _url(self, password: str, database: str) -> str:
        credentials = f"{USER}:{password}" if password else USER
        return f"postgresql://{credentials}@{self.host}:{self.port}/{database}"


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


def _pg(cmd: list[str], user: str | None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a server tool, as `user` when given, from `/` (the caller's folder may be closed to it)."""
    if user:
        cmd = [_runuser(), "-u", user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, cwd="/", **kwargs)


def _runuser() -> str:
    """`runuser` lives in sbin, which a root shell's PATH (sudo, su) may leave out."""
    found = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if not found:
        raise EmbeddedPostgresError(
            "Running as root needs `runuser` (util-linux) to start the embedded PostgreSQL as the "
            "`postgres` user: install util-linux, or set DATABASE_URL to an existing server"
        )
    return found


def _reaches(user: str, path: Path) -> bool:
    """Whether `user` may enter `path` (which needs every folder above it to let them through)."""
    return _pg(["test", "-x", str(path)], user).returncode == 0


def _outside_folder(user: str, root: Path) -> Path:
    """The folder under `user`'s home that holds the cluster of a state directory it cannot enter."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]
    return Path(pwd.getpwnam(user).pw_dir) / OUTSIDE_FOLDER / digest


def _fsync() -> str:
    """`on` unless CLICKUP_ELT_EMBEDDED_FSYNC=off: without fsync a power loss can corrupt the cluster."""
    value = (os.environ.get(FSYNC_VARIABLE) or "on").strip().lower()
    if value not in ("on", "off"):
        raise EmbeddedPostgresError(f"{FSYNC_VARIABLE} must be 'on' or 'off', not {value!r}")
    return value


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_free(port: int) -> bool:
    """Whether the server could listen on `port` again. Like PostgreSQL, the probe sets SO_REUSEADDR:
    connections that were open when the server stopped linger in TIME_WAIT on its port, and counting
    them as taken would move a restarted server to another port, away from every client's URL."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _secret_file(folder: Path, secret: str, user: str | None = None) -> Path:
    """A new file in `folder` that only its owner may read: `user`, else the invoking user."""
    fd, name = tempfile.mkstemp(prefix=".secret-", dir=folder)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret + "\n")
    if user:
        owner = pwd.getpwnam(user)
        os.chown(name, owner.pw_uid, owner.pw_gid)
    return Path(name)


@contextlib.contextmanager
def _readable_copy(secret: str, folder: Path, user: str | None) -> Iterator[Path]:
    """A temporary copy of `secret` for initdb, which runs as `user` and cannot read our file."""
    copy = _secret_file(folder, secret, user)
    try:
        yield copy
    finally:
        copy.unlink(missing_ok=True)


def _uses_trust(hba: Path) -> bool:
    """Whether pg_hba.conf lets anyone in without a password (clusters made before passwords)."""
    rules = (line.split("#", 1)[0].split() for line in hba.read_text().splitlines())
    return any("trust" in rule for rule in rules)


def _replace_owned(path: Path, text: str) -> None:
    """Rewrite a file of the cluster atomically, keeping its owner and mode."""
    st = path.stat()
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text)
    os.chown(tmp, st.st_uid, st.st_gid)
    os.chmod(tmp, st.st_mode & 0o777)
    os.replace(tmp, path)


class EmbeddedPostgres:
    """Start, reuse and stop the project's own server."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or state_dir()) / "postgres"
        self.meta = self.root / "server.json"
        self.password_file = self.root / "password"

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_meta(self) -> dict:
        try:
            meta = json.loads(self.meta.read_text())
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) else {}

    def _save_meta(self, **changes: object) -> None:
        self.meta.write_text(json.dumps({**self._read_meta(), **changes}))

    def _saved_port(self) -> int | None:
        try:
            return int(self._read_meta()["port"])
        except (KeyError, TypeError, ValueError):
            return None

    def data_dir(self) -> Path:
        """As remembered in server.json; else `data/` here when the server's user can enter this folder,
        else a folder of that user's own (see the module's docstring)."""
        remembered = self._read_meta().get("data")
        if remembered:
            return Path(remembered)
        local = self.root / "data"
        user = _run_as()
        if user is None or (local / "PG_VERSION").exists():
            return local
        if self.root.is_dir() and _reaches(user, self.root):
            return local
        return _outside_folder(user, self.root) / "data"

    def _password(self) -> str | None:
        try:
            return self.password_file.read_text().strip() or None
        except FileNotFoundError:
            return None

    def _password_or_new(self) -> str:
        """The saved password, else a new one saved first (a password set but not saved is lost)."""
        password = self._password()
        if password is None:
            password = secrets.token_urlsafe(24)
            os.replace(_secret_file(self.root, password), self.password_file)
        return password

    def is_running(self) -> bool:
        return self._running(self.data_dir(), _run_as())

    def _running(self, data: Path, user: str | None) -> bool:
        if not (data / "PG_VERSION").exists():
            return False
        return _pg([str(_bin_dir() / "pg_ctl"), "status", "-D", str(data)], user).returncode == 0

    def ensure_running(self) -> EmbeddedServer:
        """Initialise on first use, start if stopped, require passwords, and create both databases."""
        with self._lock():
            user = _run_as()
            bindir = _bin_dir()
            data = self.data_dir()
            if not (data / "PG_VERSION").exists():
                self._initdb(bindir, user, data)
            trusting = _uses_trust(data / "pg_hba.conf")
            password = self._password_or_new() if trusting else self._password()
            if password is None:
                raise EmbeddedPostgresError(self._lost_password(data))
            port = self._saved_port()
            if not self._running(data, user):
                if port is None or not _port_free(port):
                    port = _free_port()
                self._start(bindir, user, data, port)
            assert port is not None
            server = EmbeddedServer(port=port, password=password)
            if trusting:
                self._require_password(server, data)
            _create_databases(server, self.password_file)
            return server

    def _lost_password(self, data: Path) -> str:
        return (
            f"the embedded PostgreSQL's password file {self.password_file} is missing: restore it, "
            f"or run `clickup-elt db stop` and remove {data} to start afresh (its data is lost)"
        )

    def _prepare_data_dir(self, data: Path, user: str | None) -> None:
        """An empty data directory, owned by the server's user, with every folder it owns between."""
        if data.exists():
            shutil.rmtree(data)
        data.mkdir(parents=True)
        if not user:
            return
        owner = pwd.getpwnam(user)
        owned = [data] if data.parent == self.root else [data.parent.parent, data.parent, data]
        for path in owned:
            os.chown(path, owner.pw_uid, owner.pw_gid)
            os.chmod(path, 0o700)

    def _initdb(self, bindir: Path, user: str | None, data: Path) -> None:
        self._prepare_data_dir(data, user)
        with _readable_copy(self._password_or_new(), data.parent, user) as pwfile:
            result = _pg(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    USER,
                    "--auth=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ],
                user,
            )
        if result.returncode != 0:
            raise EmbeddedPostgresError(
                f"initdb failed for the embedded PostgreSQL's data directory {data} (the "
                f"{user or 'current'} user must be able to write there): {_last_line(result.stderr)}"
            )
        self._save_meta(data=str(data))

    def _start(self, bindir: Path, user: str | None, data: Path, port: int) -> None:
        log = data.parent / "server.log"
        if user:
            owner = pwd.getpwnam(user)
            log.touch()
            os.chown(log, owner.pw_uid, owner.pw_gid)
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync={_fsync()}"
        result = _pg(
            [
                str(bindir / "pg_ctl"),
                "start",
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
            ],
            user,
        )
        if result.returncode != 0:
            logged = log.read_text() if log.exists() else ""
            raise EmbeddedPostgresError(
                f"the embedded PostgreSQL (data directory {data}) did not start: "
                f"{_last_line(logged or result.stderr)} (its log: {log})"
            )
        self._save_meta(port=port, data=str(data))

    def _require_password(self, server: EmbeddedServer, data: Path) -> None:
        """Move a cluster made with trust auth to passwords, keeping its data: set the password (as a
        SCRAM verifier, so no statement carries it), allow only scram-sha-256, reload."""
        import psycopg2.extensions

        conn = _connect(server, "postgres", self.password_file)
        try:
            conn.autocommit = True
            verifier = psycopg2.extensions.encrypt_password(
                server.password, USER, scope=conn, algorithm="scram-sha-256"
            )
            with conn.cursor() as cur:
                cur.execute(f'alter role "{USER}" password %s', (verifier,))
                _replace_owned(data / "pg_hba.conf", HBA)
                cur.execute("select pg_reload_conf()")
        finally:
            conn.close()
        _await_password_check(server)

    def stop(self) -> bool:
        """Stop the server if it runs; returns whether it was running."""
        with self._lock():
            data, user = self.data_dir(), _run_as()
            if not self._running(data, user):
                return False
            _pg([str(_bin_dir() / "pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w"], user)
            return True


def _connect(server: EmbeddedServer, database: str, password_file: Path, wait: float = 30) -> Connection:
    """A connection as the superuser, waiting for a server that is still starting."""
    import psycopg2

    deadline = time.monotonic() + wait
    while True:
        try:
            return psycopg2.connect(server.url(database), connect_timeout=5)
        except psycopg2.OperationalError as exc:
            if "password authentication failed" in str(exc):
                raise EmbeddedPostgresError(
                    f"the embedded PostgreSQL on port {server.port} refused the password in "
                    f"{password_file}: restore the file that belongs to this server"
                ) from None
            if time.monotonic() > deadline:
                raise EmbeddedPostgresError(
                    f"the embedded PostgreSQL on port {server.port} does not answer: {_last_line(str(exc))}"
                ) from None
            time.sleep(0.2)


def _await_password_check(server: EmbeddedServer, wait: float = 10) -> None:
    """Wait until the server has reloaded pg_hba.conf and turns away clients without the password."""
    import psycopg2

    anonymous = EmbeddedServer(port=server.port, host=server.host).url("postgres")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            psycopg2.connect(anonymous, connect_timeout=5, passfile=NO_PASSFILE).close()
        except psycopg2.OperationalError:
            return
        time.sleep(0.1)
    raise EmbeddedPostgresError(
        f"the embedded PostgreSQL on port {server.port} still accepts clients without a password "
        f"after its pg_hba.conf was rewritten: run `clickup-elt db stop` and start it again"
    )


def _create_databases(server: EmbeddedServer, password_file: Path) -> None:
    conn = _connect(server, "postgres", password_file)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for name in (WAREHOUSE_DB, DAGSTER_DB):
                cur.execute("select 1 from pg_database where datname = %s", (name,))
                if cur.fetchone() is None:
                    cur.execute(f'create database "{name}"')
    finally:
        conn.close()
