"""Simulators served over real HTTP, a client that validates every 200 answer against ClickUp's
(relaxed) response schema before a test sees it, and webhook endpoints that record deliveries."""

from __future__ import annotations

import pytest

from sim_helpers import Api, make_sim
from webhook_receiver import Receiver


@pytest.fixture(scope="session")
def shared_sim():
    """A read-only simulator shared by the tests that never change data: two workspaces."""
    sim = make_sim(tasks=700, workspaces=2, members=14)
    server = sim.serve()
    yield sim, server
    server.stop()


@pytest.fixture(scope="session")
def api(shared_sim) -> Api:
    return Api(*shared_sim)


@pytest.fixture
def fresh():
    """A factory of private simulators (for tests that change data, rate limits or faults)."""
    servers = []

    def start(**options) -> Api:
        sim = make_sim(**options)
        server = sim.serve()
        servers.append(server)
        return Api(sim, server)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def ws(shared_sim) -> str:
    sim, _ = shared_sim
    return sim.truth.workspace_ids()[0]


@pytest.fixture
def receiver():
    """A webhook endpoint recording what it is sent (answers 200 unless told otherwise)."""
    endpoint = Receiver()
    yield endpoint
    endpoint.stop()


@pytest.fixture
def hooked(fresh, receiver):
    """A private simulator with one webhook for every event of its first workspace, pointed at
    `receiver`, and fast retries: (api, workspace id, webhook record)."""
    api = fresh(tasks=300)
    api.sim.webhooks.configure(backoff_s=0.01, timeout_s=2.0)
    ws = api.sim.truth.workspace_ids()[0]
    created = api.sim.webhooks.create(ws, receiver.url, "*")
    return api, ws, created["webhook"]
