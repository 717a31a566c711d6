"""Comments of a few thousand tasks read one at a time and several at a time, at ClickUp's latency.

The simulator runs in its own process (`clickup-elt simulator`, clock pinned at noon UTC today) with
`latency_ms` added before every answer (100 ms: about ClickUp's own) and a rate limit (default
10,000 per 60 s, ClickUp's highest plan, so the pacer works from real headers). This process reads
the comments (and replies) of every task of the workspace through the extractor
(`clickup_elt.clickup.extract.comments.comments`) at each width of CLICKUP_READ_CONCURRENCY, on a
fresh client, pacer and rate-limit window each time. Figures per width: seconds, requests, 429s
(from the simulator's statistics), rate-limit waits, rows and whether they equal the width-1 rows in
order. Requests and rows are deterministic and must not depend on the width; seconds depend on the
machine. Results: benchmarks/results/concurrent_reads.json.

    .venv/bin/python benchmarks/concurrent_reads.py
    .venv/bin/python benchmarks/concurrent_reads.py --tasks 2000 --widths 1 8 --latency-ms 200
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.extract.comments import comments
from clickup_elt.clickup.ratelimit import RateLimitPacer
from clickup_elt.records import Findings
from report import RESULTS, new_report, write_report

TOKEN = "pk_benchmark_token"
COMMENT_ENDPOINTS = ("GET /task/{task_id}/comment", "GET /comment/{comment_id}/reply")


def start_simulator(tasks: int, seed: int, rate_limit: int, now_ms: int) -> tuple[subprocess.Popen, str]:
    command = [
        str(Path(sys.executable).with_name("clickup-elt")),
        "simulator",
        *("--port", "0", "--seed", str(seed), "--tasks", str(tasks)),
        *("--rate-limit", str(rate_limit), "--token", TOKEN, "--now-ms", str(now_ms)),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    assert process.stdout is not None
    while line := process.stdout.readline():
        found = re.search(r"(http://127\.0\.0\.1:\d+)/api/v2", line)
        if found:
            return process, found.group(1)
    raise RuntimeError("the simulator exited before serving")


def read(api: str, task_days: list, width: int) -> tuple[dict, str]:
    """One read at `width`: its figures and a digest of its rows in order."""
    client = ClickUpClient(TOKEN, api, pacer=RateLimitPacer())
    findings = Findings()
    digest = hashlib.sha256()
    rows = 0
    started = time.perf_counter()
    try:
        for row in comments(client, task_days, findings, width):
            digest.update(f"{row.id}|{row.parent_type}|{row.parent_id}|{sorted(row.data.items())}\n".encode())
            rows += 1
    finally:
        client.close()
    seconds = time.perf_counter() - started
    return {
        "width": width,
        "seconds": round(seconds, 1),
        "requests": client.stats.requests,
        "rate_limit_waits": client.stats.rate_limit_waits,
        "rows": rows,
        "vanished": len(findings.vanished),
    }, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--widths", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--rate-limit", type=int, default=10_000, help="per 60 s window; 0 = none")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "concurrent_reads.json")
    args = parser.parse_args()
    now_ms = int(time.time() // 86400 * 86400 * 1000 + 12 * 3600 * 1000)
    process, base = start_simulator(args.tasks, args.seed, args.rate_limit, now_ms)
    control, api = f"{base}/_sim", f"{base}/api/v2"
    report = new_report(
        "concurrent_reads",
        simulator={"tasks": args.tasks, "seed": args.seed, "rate_limit_per_60s": args.rate_limit},
        latency_ms=args.latency_ms,
    )
    try:
        (ws,) = requests.get(f"{control}/truth/workspaces", timeout=30).json()
        task_ids = requests.get(f"{control}/truth/{ws}/task_ids", timeout=60).json()
        task_days = [(str(t), None) for t in task_ids]
        requests.post(
            f"{control}/faults", json={"latency_ms": args.latency_ms}, timeout=30
        ).raise_for_status()
        results, digests = [], []
        for width in args.widths:
            requests.post(f"{control}/rate_limit/reset", timeout=30).raise_for_status()
            requests.post(f"{control}/stats/reset", timeout=30).raise_for_status()
            figures, digest = read(api, task_days, width)
            by_endpoint = requests.get(f"{control}/stats", timeout=30).json()["by_endpoint"]
            statuses = [by_endpoint.get(e, {}).get("statuses", {}) for e in COMMENT_ENDPOINTS]
            figures["served"] = sum(by_endpoint.get(e, {}).get("requests", 0) for e in COMMENT_ENDPOINTS)
            figures["429s"] = sum(int(s.get("429", 0)) for s in statuses)
            digests.append(digest)
            figures["same_rows_as_first"] = digest == digests[0]
            results.append(figures)
            print(
                f"width {width:>2}: {figures['seconds']:>7.1f} s, {figures['requests']} requests, "
                f"{figures['429s']} 429s, {figures['rows']} rows"
                f"{'' if figures['same_rows_as_first'] else ' (ROWS DIFFER)'}",
                flush=True,
            )
    finally:
        process.terminate()
        process.wait(timeout=30)
    report.update(tasks=len(task_days), widths=results)
    write_report(report, args.out)


if __name__ == "__main__":
    main()
