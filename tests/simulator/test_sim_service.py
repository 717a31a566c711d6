"""Request statistics, the control API's housekeeping, and the simulator's command
(`python -m clickup_simulator`; the pipeline offers the same command as `clickup-elt simulator`)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import requests

from clickup_simulator.access.tokens import token_fingerprint


def test_stats_per_endpoint_and_token_with_bytes(fresh):
    api = fresh(tasks=120)
    ws = api.sim.truth.workspace_ids()[0]
    api.control("POST", "/stats/reset")
    body = api.get(f"/team/{ws}/task")
    api.get(f"/team/{ws}/task", page=1)
    api.get("/team", token="pk_nope")
    admin = api.sim.tokens.admin(ws)
    api.get("/team", token=admin)
    stats = api.control("GET", "/stats")
    tasks = stats["by_endpoint"]["GET /team/{team_id}/task"]
    assert tasks["requests"] == 2 and tasks["statuses"] == {"200": 2}
    assert tasks["bytes"] > len(body.content)  # headers and both bodies
    assert stats["by_token"][token_fingerprint(admin)]["requests"] == 1
    assert stats["by_token"][token_fingerprint("pk_nope")]["statuses"] == {"401": 1}
    assert stats["total"]["requests"] == 4
    assert api.sim.stats.requests("GET /team/{team_id}/task", api.sim.config.token) == 2
    assert api.sim.stats.bytes_sent("GET /team") > 0
    api.control("GET", "/health")
    assert api.control("GET", "/stats")["total"]["requests"] == 4  # /_sim/ is not counted
    api.sim.stats.reset()
    assert api.sim.stats.requests() == 0


def test_info_tokens_and_unknown_controls(fresh):
    api = fresh(tasks=40)
    info = api.control("GET", "/info")
    assert info["tasks"] == 40 and info["workspace_ids"] == api.sim.truth.workspace_ids()
    assert {t["kind"] for t in api.control("GET", "/tokens")} >= {"primary", "nobody"}
    assert requests.get(api.server.control_url + "/nope", timeout=10).status_code == 404
    assert requests.put(api.server.control_url + "/clock", timeout=10).status_code == 405


def test_command_serves_until_terminated():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clickup_simulator",
            "--port",
            "0",
            "--tasks",
            "60",
            "--seed",
            "4",
            "--rate-limit",
            "0",
            "--error-rate",
            "0",
            "--missing-key-rate",
            "1",
            "--fault-endpoint",
            "GET /team/{team_id}/space",
            "--no-storm-headers",
            "--slow-ms",
            "500",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            found = re.search(r"(http://\S+/api/v2)", line)
            url = found.group(1) if found else None
        assert url, "the command never printed its URL"
        teams = requests.get(
            url + "/team", headers={"Authorization": "pk_simulator_primary_token"}, timeout=10
        )
        assert teams.status_code == 200 and len(teams.json()["teams"]) == 1
        assert "pk_simulator_primary_token" not in line  # tokens are named by fingerprint only
        faults = requests.get(url.replace("/api/v2", "/_sim/faults"), timeout=10).json()
        assert (faults["missing_key_rate"], faults["storm_headers"], faults["slow_ms"]) == (1.0, False, 500.0)
        spaces = requests.get(
            f"{url}/team/{teams.json()['teams'][0]['id']}/space",
            headers={"Authorization": "pk_simulator_primary_token"},
            timeout=10,
        )
        assert spaces.status_code == 200 and spaces.json() == {}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    assert process.returncode is not None


def test_command_fault_flags():
    from clickup_simulator.cli import fault_config, simulator
    from clickup_simulator.config import FaultConfig

    flags = [
        "--missing-key-rate",
        "0.1",
        "--html-rate",
        "0.2",
        "--burst-every",
        "5",
        "--burst-length",
        "2",
        "--no-storm-headers",
        "--slow-rate",
        "0.3",
        "--slow-ms",
        "500",
        "--fault-endpoint",
        "GET /team",
    ]
    parsed = fault_config(dict(simulator.make_context("simulator", flags).params))
    assert parsed == FaultConfig(
        missing_key_rate=0.1,
        html_rate=0.2,
        burst_every=5,
        burst_length=2,
        storm_headers=False,
        slow_rate=0.3,
        slow_ms=500,
        endpoints=("GET /team",),
    )
    assert fault_config(dict(simulator.make_context("simulator", []).params)) == FaultConfig()
