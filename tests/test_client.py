"""The pipeline's ClickUp client against the simulator over HTTP: it reads everything through each
injected fault, waits out 429 storms, and its pacer never earns a 429 (the arithmetic:
test_ratelimit.py)."""

from __future__ import annotations

import pytest

from clickup_elt.clickup.client import ClickUpClient
from clickup_elt.clickup.pagination import iter_pages
from clickup_elt.clickup.ratelimit import RateLimitPacer
from clickup_simulator import FaultConfig

PINNED = {"seed": 11, "now_ms": 1_767_225_600_000}  # same data and clock on every run


@pytest.mark.parametrize("fault", ["error_rate", "drop_rate", "truncate_rate", "malformed_rate"])
def test_the_client_recovers_from_each_fault(serve_sim, fault):
    sim, url = serve_sim(**PINNED, tasks=250, faults=FaultConfig(**{fault: 0.3}, seed=3))
    sim.faults.force(fault.removesuffix("_rate"))  # the first answer fails for sure
    ws = sim.truth.workspace_ids()[0]
    client = ClickUpClient(sim.config.token, url, sleep=lambda s: None)
    rows = [
        t
        for page in iter_pages(client.get, f"team/{ws}/task", {"include_closed": "true", "subtasks": "true"})
        for t in page
    ]
    expected = sim.truth.tasks(ws, markdown=False)
    listed = {
        t["id"]
        for t in expected
        if not t["archived"] and t["list"]["id"] not in sim.truth.archived_list_ids(ws)
    }
    assert {t["id"] for t in rows} == listed
    assert client.stats.retries > 0


def test_a_storm_is_waited_out(serve_sim):
    sim, url = serve_sim(
        **PINNED, tasks=30, rate_limit=100, faults=FaultConfig(storm_every=2, storm_length=3)
    )
    slept = []
    client = ClickUpClient(sim.config.token, url, sleep=slept.append)
    client.pacer._sleep = slept.append
    for _ in range(3):
        client.get("team", endpoint="GET /team")
    assert client.stats.rate_limit_waits >= 3


def test_the_pacer_never_earns_a_429(serve_sim):
    sim, url = serve_sim(**PINNED, tasks=30, rate_limit=4, rate_window_s=1)
    client = ClickUpClient(sim.config.token, url, pacer=RateLimitPacer())
    for _ in range(10):
        client.get("team", endpoint="GET /team")
    assert client.stats.rate_limit_waits >= 2
    statuses = sim.stats.snapshot()["by_endpoint"]["GET /team"]["statuses"]
    assert statuses == {"200": 10}
