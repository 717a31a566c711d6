"""The ClickUp simulator at scale: startup time, memory, and full task pages per second.

For each size, the simulator runs as its own process (`clickup-elt simulator`, as users start it) and
one keep-alive client pages through the whole workspace task endpoint (`include_closed`, `subtasks`,
100 tasks a page) twice: a cold pass (nothing rendered yet) and a second pass. Figures: seconds from
spawn to the first answer, the simulator's own build time, resident memory after startup and at its
peak, pages, rows and bytes (deterministic), seconds and pages per second (noisy: one run on a shared
machine), and pages per CPU-second of the server process (less sensitive to other load).

    .venv/bin/python benchmarks/simulator.py                   # 100,000 and 1,000,000 tasks
    .venv/bin/python benchmarks/simulator.py --tasks 20000     # a quick look
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psutil

from report import RESULTS, new_report, write_report

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "pk_benchmark_token"
NOW_MS = 1_767_225_600_000  # pinned: the same data on every run


def start_server(tasks: int) -> tuple[subprocess.Popen, int, float]:
    command = [
        str(Path(sys.executable).with_name("clickup-elt")),
        "simulator",
        "--port",
        "0",
        "--tasks",
        str(tasks),
        "--seed",
        "1",
        "--rate-limit",
        "0",
        "--token",
        TOKEN,
        "--now-ms",
        str(NOW_MS),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    port = None
    while port is None:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the simulator exited before serving")
        found = re.search(r"http://127\.0\.0\.1:(\d+)/api/v2", line)
        port = int(found.group(1)) if found else None
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/api/v2/team", headers={"Authorization": TOKEN})
    connection.getresponse().read()
    connection.close()
    return process, port, time.perf_counter() - started


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return psutil.Process(pid).memory_info().rss / 2**20


def page_through(port: int, workspace: str, server: psutil.Process) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": TOKEN}
    pages = rows = size = 0
    cpu_before = sum(server.cpu_times()[:2])
    started = time.perf_counter()
    while True:
        connection.request(
            "GET",
            f"/api/v2/team/{workspace}/task?include_closed=true&subtasks=true&page={pages}",
            headers=headers,
        )
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"page {pages}: HTTP {response.status}")
        pages += 1
        size += len(body)
        rows += body.count(b'"custom_id":')  # one per task, without decoding the page
        if body.endswith(b'"last_page":true}'):
            break
    seconds = time.perf_counter() - started
    cpu = sum(server.cpu_times()[:2]) - cpu_before
    connection.close()
    return {
        "pages": pages,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 1),
        "server_cpu_s": round(cpu, 2),
        "pages_per_server_cpu_s": round(pages / cpu, 1) if cpu else None,
        "rss_mb_after": round(server.memory_info().rss / 2**20, 1),
    }


def run(tasks: int, passes: int) -> dict:
    process, port, ready_s = start_server(tasks)
    try:
        server = psutil.Process(process.pid)
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", "/_sim/info")
        info = json.loads(connection.getresponse().read())
        connection.close()
        result = {
            "tasks": tasks,
            "spawn_to_first_answer_s": round(ready_s, 2),
            "simulator_build_s": info["startup_s"],
            "rss_mb_after_startup": round(server.memory_info().rss / 2**20, 1),
            "passes": [],
        }
        for _ in range(passes):
            result["passes"].append(page_through(port, info["workspace_ids"][0], server))
        result["peak_rss_mb"] = round(peak_rss_mb(process.pid), 1)
        return result
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS / "simulator.json")
    args = parser.parse_args()
    report = new_report("simulator", runs=[])
    for tasks in args.tasks:
        result = run(tasks, args.passes)
        report["runs"].append(result)
        print(json.dumps(result, indent=2), flush=True)
    write_report(report, args.out)


if __name__ == "__main__":
    main()
