"""The sync service's HTTP API over real Postgres: keys, signed webhook deliveries (stored once,
answered fast under a burst), health, status, and what it refuses."""

import concurrent.futures
import datetime as dt
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import uvicorn

from clickup_elt.service.app import create_app
from clickup_elt.warehouse import db, synclog
from clickup_elt.webhooks import signatures, store
from pg import query

KEY = "k3y-for-tests-0123456789"
HOOK = store.Webhook(
    "9001", "hook-1", "https://sync.example.com/webhooks/clickup", "s3cret", "tok_0123456789", "active"
)
CLI = Path(sys.executable).with_name("clickup-elt")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def service(database_url, monkeypatch, tmp_path):
    """The API on a free port (key required), over a scratch warehouse with one webhook."""
    import dagster as dg

    monkeypatch.setenv("CLICKUP_ELT_API_KEY", KEY)
    monkeypatch.setenv("CLICKUP_ELT_DAGSTER_URL", f"http://127.0.0.1:{free_port()}")  # nothing there
    db.ensure_raw_schema(database_url)
    with db.connection(database_url) as conn:
        store.save_webhook(conn, HOOK)
    port = free_port()
    with dg.instance_for_test() as instance:
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(database_url, instance), host="127.0.0.1", port=port, log_level="warning"
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.05)
        try:
            yield base
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def keyed(**headers):
    return {"Authorization": f"Bearer {KEY}", **headers}


def deliver(base, payload, secret="s3cret", signature=None):
    body = json.dumps(payload, separators=(",", ":")).encode()
    signature = signatures.sign(secret, body) if signature is None else signature
    return requests.post(
        f"{base}/webhooks/clickup",
        data=body,
        timeout=10,
        headers={"Content-Type": "application/json", "X-Signature": signature},
    )


def stored(url):
    return query(url, "select event_key, deliveries from clickup_raw.webhook_events order by 1")


def task_updated(item="h1", task="t1"):
    return {
        "event": "taskUpdated",
        "task_id": task,
        "webhook_id": "hook-1",
        "history_items": [{"id": item, "date": "1764547200000", "field": "name"}],
    }


def test_signed_deliveries_are_stored_once_and_bad_ones_not_at_all(service, database_url):
    assert deliver(service, task_updated()).json() == {"stored": 1, "events": 1}
    assert deliver(service, task_updated()).status_code == 200  # a replay
    assert stored(database_url) == [("hook-1:h1", 2)]
    for bad in (
        deliver(service, task_updated("h2"), signature=""),
        deliver(service, task_updated("h3"), secret="wrong"),
        deliver(service, {**task_updated("h4"), "webhook_id": "unknown"}),
    ):
        assert bad.status_code == 401 and "error" in bad.json()
    body = json.dumps(task_updated("h5")).encode()
    tampered = requests.post(
        f"{service}/webhooks/clickup",
        data=body + b" ",
        timeout=10,
        headers={"X-Signature": signatures.sign("s3cret", body)},
    )
    assert tampered.status_code == 401
    assert stored(database_url) == [("hook-1:h1", 2)]


def test_a_burst_of_deliveries_is_answered_within_seven_seconds(service, database_url):
    def one(n):
        started = time.monotonic()
        answer = deliver(service, task_updated(f"burst-{n}", task=f"t{n % 17}"))
        return answer.status_code, time.monotonic() - started

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(one, range(300)))
    assert {status for status, _ in answers} == {200}
    assert max(seconds for _, seconds in answers) < 7
    assert query(database_url, "select count(*) from clickup_raw.webhook_events")[0][0] == 300


def test_the_api_wants_its_key_and_says_how(service):
    for path in ("/health_check", "/sync_status?workspace_id=9001"):
        refused = requests.get(service + path, timeout=10)
        assert refused.status_code == 401
        assert "CLICKUP_ELT_API_KEY" in refused.json()["error"]
        wrong = requests.get(service + path, headers={"Authorization": "Bearer nope"}, timeout=10)
        assert wrong.status_code == 401
    refused = requests.post(f"{service}/trigger_sync", json={"workspace_id": "9001"}, timeout=10)
    assert refused.status_code == 401
    assert requests.get(f"{service}/docs", timeout=10).status_code == 200
    assert "/trigger_board_sync" in requests.get(f"{service}/openapi.json", timeout=10).json()["paths"]


def test_health_and_status_say_what_is_wrong(service, database_url):
    unhealthy = requests.get(f"{service}/health_check", headers=keyed(), timeout=10)
    assert unhealthy.status_code == 200  # nothing synced yet, nothing overdue
    with db.connection(database_url) as conn:
        old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)
        synclog.append(conn, synclog.SyncRecord("9001", "tasks", None, None, "run-1", old, old, 12, 3))
        synclog.append(
            conn,
            synclog.SyncRecord(
                "9001",
                "comments",
                None,
                None,
                "run-2",
                old,
                old,
                outcome="failure",
                error="ClickUp kept failing",
            ),
        )
    unhealthy = requests.get(f"{service}/health_check", headers=keyed(), timeout=10)
    assert unhealthy.status_code == 503
    body = unhealthy.json()
    assert body["warehouse"] == "ok" and body["dagster"] == "ok" and body["status"] == "unhealthy"
    assert any("workspace 9001: tasks last synced" in r for r in body["reasons"])
    assert body["workspaces"]["9001"]["healthy"] is False

    status = requests.get(f"{service}/sync_status?org_id=9001", headers=keyed(), timeout=10).json()
    assert status["entities"]["tasks"]["lag_seconds"] >= 3 * 86400 - 60
    assert status["entities"]["comments"]["last_error"] == "ClickUp kept failing"
    assert status["runs_in_flight"] == []
    missing = requests.get(f"{service}/sync_status?workspace_id=404", headers=keyed(), timeout=10)
    assert missing.status_code == 404 and "clickup-elt sync --full --workspace 404" in missing.json()["error"]
    nothing = requests.get(f"{service}/sync_status", headers=keyed(), timeout=10)
    assert nothing.status_code == 400 and "workspace_id" in nothing.json()["error"]


def test_triggers_name_the_webserver_they_need(service, database_url):
    now = dt.datetime.now(dt.timezone.utc)
    with db.connection(database_url) as conn:
        synclog.append(conn, synclog.SyncRecord("9001", "tasks", None, None, "run-1", now, now))
    answer = requests.post(f"{service}/trigger_sync", json={"org_id": "9001"}, headers=keyed(), timeout=30)
    assert answer.status_code == 503 and "CLICKUP_ELT_DAGSTER_URL" in answer.json()["error"]
    malformed = requests.post(
        f"{service}/trigger_board_sync", json={"workspace_id": "9001"}, headers=keyed(), timeout=10
    )
    assert malformed.status_code == 422 and "list_id" in malformed.json()["error"]


def test_serve_refuses_other_hosts_without_a_key(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "CLICKUP_ELT_API_KEY"}
    refused = subprocess.run(
        [str(CLI), "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert refused.returncode == 2
    assert "CLICKUP_ELT_API_KEY" in refused.stderr and "Traceback" not in refused.stderr
