"""Stopping the servers a test started, with everything they started."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM the process group (`dagster dev` stops its webserver, daemon, code server and runs),
    then SIGKILL whatever is left of it (a code server the webserver started outlives its SIGTERM)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
