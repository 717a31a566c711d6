"""`clickup-elt simulator --host H --port P --seed N --tasks N --rate-limit RPM --token T` (a documented
command): the pipeline's CLI serves the simulator's command with those flags, until terminated."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

CLI = Path(sys.executable).with_name("clickup-elt")


def test_the_documented_flags_serve_a_workspace():
    process = subprocess.Popen(
        [
            str(CLI),
            "simulator",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--seed",
            "4",
            "--tasks",
            "40",
            "--rate-limit",
            "5",
            "--token",
            "pk_documented",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url, deadline = None, time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            found = re.search(r"(http://127\.0\.0\.1:\d+/api/v2)", process.stdout.readline())
            url = found.group(1) if found else None
        assert url, "the command never printed its URL"
        teams = requests.get(url + "/team", headers={"Authorization": "pk_documented"}, timeout=10)
        assert teams.status_code == 200 and len(teams.json()["teams"]) == 1
        assert teams.headers["X-RateLimit-Limit"] == "5"
        assert (
            requests.get(url + "/team", headers={"Authorization": "pk_other"}, timeout=10).status_code == 401
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
