"""The embedded PostgreSQL: data flushed to disk, a password on every connection, and a data directory
its server user can reach wherever the project's state directory is."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg2
import pytest

from clickup_elt.warehouse.embedded import (
    NO_PASSFILE,
    OUTSIDE_FOLDER,
    USER,
    EmbeddedPostgres,
    EmbeddedPostgresError,
    _bin_dir,
    _runuser,
)
from pg import query

ROOT = os.geteuid() == 0


def _as_server_user(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    if ROOT:
        cmd = [_runuser(), "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, cwd="/", capture_output=True, text=True, check=True, **kwargs)


def _discard(embedded: EmbeddedPostgres) -> None:
    """Stop the server and remove its data, wherever it lives, and its state directory."""
    data = embedded.data_dir()
    embedded.stop()
    if data.parent != embedded.root:  # under the server user's home
        shutil.rmtree(data.parent, ignore_errors=True)
        with contextlib.suppress(OSError):
            data.parent.parent.rmdir()  # the shared folder, when no other state directory uses it
    shutil.rmtree(embedded.root.parent, ignore_errors=True)


def _refused(url: str) -> bool:
    try:
        psycopg2.connect(url, connect_timeout=5, passfile=NO_PASSFILE).close()
    except psycopg2.OperationalError:
        return True
    return False


@pytest.fixture(scope="module")
def private_server(run_cli):
    """`clickup-elt db start` from a state directory only its owner may enter (mode 0700), without
    CLICKUP_ELT_EMBEDDED_FSYNC: what `make demo` does in a checkout under /root."""
    state = Path(tempfile.mkdtemp(prefix="clickup-elt-private-"))
    assert state.stat().st_mode & 0o777 == 0o700
    embedded = EmbeddedPostgres(state)
    env = {"CLICKUP_ELT_STATE_DIR": str(state)}
    try:
        started = run_cli("db", "start", home=state, env=env, cwd=state)
        yield state, embedded, started, env
    finally:
        _discard(embedded)


def test_db_start_names_the_password_file_and_the_data_directory(private_server):
    state, embedded, started, _ = private_server
    assert started.returncode == 0, started.stderr
    password = embedded.password_file.read_text().strip()
    data = Path(json.loads(embedded.meta.read_text())["data"])
    assert "***" in started.stdout and str(embedded.password_file) in started.stdout
    assert str(data) in started.stdout
    assert password not in started.stdout + started.stderr
    mode = embedded.password_file.stat()
    assert mode.st_mode & 0o777 == 0o600 and mode.st_uid == os.geteuid()
    assert embedded.password_file.parent == state / "postgres"
    if ROOT:  # `postgres` cannot enter the state directory: its data lives in a folder of its own
        home = Path(pwd.getpwnam("postgres").pw_dir)
        assert data.is_relative_to(home / OUTSIDE_FOLDER)
        assert data.stat().st_uid == pwd.getpwnam("postgres").pw_uid


def test_connections_need_the_password_and_writes_are_flushed(private_server):
    state, embedded, started, env = private_server
    port = json.loads(embedded.meta.read_text())["port"]
    password = embedded.password_file.read_text().strip()
    url = f"postgresql://{USER}:{password}@127.0.0.1:{port}"
    assert query(f"{url}/clickup", "show fsync") == [("on",)]
    assert {"clickup", "dagster"} <= {
        name for (name,) in query(f"{url}/postgres", "select datname from pg_database")
    }
    assert _refused(f"postgresql://{USER}@127.0.0.1:{port}/clickup")
    assert _refused(f"postgresql://{USER}:not-{password}@127.0.0.1:{port}/clickup")


def test_db_start_again_reuses_the_running_server(private_server, run_cli):
    state, embedded, started, env = private_server
    again = run_cli("db", "start", home=state, env=env, cwd=state)
    assert again.returncode == 0, again.stderr
    assert again.stdout == started.stdout


def test_a_wrong_password_in_database_url_is_one_line(private_server, run_cli, tmp_path):
    state, embedded, started, env = private_server
    port = json.loads(embedded.meta.read_text())["port"]
    wrong = "Wr0ngPassw0rd"
    result = run_cli(
        "status", home=tmp_path, env={"DATABASE_URL": f"postgresql://{USER}:{wrong}@127.0.0.1:{port}/clickup"}
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "DATABASE_URL" in lines[0]
    assert f"port {port}" in lines[0] and "password" in lines[0]
    assert wrong not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _trust_cluster(root: Path) -> Path:
    """A data directory as earlier versions made it: trust auth, `root` owned by the server user, a
    server.json with the port only, and a table with a row that must survive."""
    data = root / "data"
    data.mkdir(parents=True)
    if ROOT:
        owner = pwd.getpwnam("postgres")
        for path in (root, data):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    _as_server_user(
        [str(_bin_dir() / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale"]
    )
    _as_server_user(
        [str(_bin_dir() / "postgres"), "--single", "-D", str(data), "postgres"],
        input="create table kept (x int);\ninsert into kept values (42);\n",
    )
    (root / "server.json").write_text(json.dumps({"port": _free_port()}))
    return data


def test_a_trust_auth_cluster_moves_to_passwords_and_keeps_its_data(monkeypatch):
    monkeypatch.setenv("CLICKUP_ELT_EMBEDDED_FSYNC", "off")
    state = Path(tempfile.mkdtemp(prefix="clickup-elt-trust-"))
    state.chmod(0o755)  # earlier versions needed a state directory the server user could enter
    embedded = EmbeddedPostgres(state)
    try:
        data = _trust_cluster(embedded.root)
        server = embedded.ensure_running()
        assert embedded.data_dir() == data
        assert server.password and server.password == embedded.password_file.read_text().strip()
        assert server.password not in repr(server) and server.password not in server.masked_url()
        assert embedded.password_file.stat().st_mode & 0o777 == 0o600
        assert query(server.url("postgres"), "select x from kept") == [(42,)]
        assert query(server.url(), "show fsync") == [("off",)]
        assert "trust" not in (data / "pg_hba.conf").read_text()
        assert _refused(f"postgresql://{USER}@127.0.0.1:{server.port}/postgres")

        embedded.password_file.unlink()  # a lost password is named, not guessed
        with pytest.raises(EmbeddedPostgresError, match="password file .* is missing") as raised:
            embedded.ensure_running()
        assert server.password not in str(raised.value)
    finally:
        _discard(embedded)
