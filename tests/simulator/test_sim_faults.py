"""Faults on demand: each kind as a client sees it, reproducible by seed, and survivable by the pipeline."""

from __future__ import annotations

import time

import pytest
import requests

from clickup_elt.simulator.config import FaultConfig


def statuses(api, count: int, path: str = "/team") -> list:
    out = []
    for _ in range(count):
        try:
            r = api.get(path)
            try:
                r.json()
                out.append(r.status_code)
            except ValueError:
                out.append("bad json")
        except requests.exceptions.ChunkedEncodingError:
            out.append("truncated")
        except requests.ConnectionError:
            out.append("dropped")
        api.session.close()
    return out


def test_each_forced_fault_as_a_client_sees_it(fresh):
    api = fresh(tasks=30)
    api.control("POST", "/faults/force", {"kinds": ["drop", "truncate", "malformed", "error", "storm"]})
    seen = statuses(api, 6)
    assert seen[:3] == ["dropped", "truncated", "bad json"]
    assert seen[3] in (500, 502, 503, 504) and seen[4] == 429 and seen[5] == 200


def test_error_pages_and_storms(fresh):
    api = fresh(tasks=30, faults=FaultConfig(storm_every=4, storm_length=2))
    assert statuses(api, 9) == [200, 200, 200, 429, 429, 200, 200, 429, 429]
    api.control("DELETE", "/faults")
    api.sim.faults.force("error")
    r = api.get("/team")
    assert r.status_code >= 500
    assert r.json()["err"] if r.status_code == 500 else r.headers["Content-Type"].startswith("text/html")


def test_latency_is_added(fresh):
    api = fresh(tasks=30, faults=FaultConfig(latency_ms=150))
    started = time.perf_counter()
    api.get("/team")
    assert time.perf_counter() - started >= 0.15


def test_rates_are_reproducible_by_seed(fresh):
    faults = dict(error_rate=0.2, drop_rate=0.1, truncate_rate=0.1, malformed_rate=0.1, seed=5)
    first = statuses(fresh(tasks=30, faults=FaultConfig(**faults)), 40)
    second = statuses(fresh(tasks=30, faults=FaultConfig(**faults)), 40)
    other = statuses(fresh(tasks=30, faults=FaultConfig(**{**faults, "seed": 6})), 40)
    assert first == second and first != other
    assert {"dropped", "truncated", "bad json", 200} <= set(first)


def test_faults_can_target_one_endpoint_and_never_hit_the_control_api(fresh):
    api = fresh(tasks=30)
    ws = api.sim.truth.workspace_ids()[0]
    api.control("POST", "/faults", {"error_rate": 1.0, "endpoints": ["GET /team/{team_id}/task"]})
    assert api.get("/team").status_code == 200
    assert api.get(f"/team/{ws}/task").status_code >= 500
    assert api.control("GET", "/faults")["error_rate"] == 1.0  # /_sim/ answers regardless
    api.control("DELETE", "/faults")
    assert api.get(f"/team/{ws}/task").status_code == 200


@pytest.mark.parametrize("fault", ["error_rate", "drop_rate", "truncate_rate", "malformed_rate"])
def test_the_pipelines_client_recovers_from_each_fault(fresh, fault):
    from clickup_elt.clickup.client import ClickUpClient
    from clickup_elt.clickup.pagination import iter_pages

    api = fresh(tasks=250, faults=FaultConfig(**{fault: 0.3}, seed=3))
    api.sim.faults.force(fault.removesuffix("_rate"))  # the first answer fails for sure
    ws = api.sim.truth.workspace_ids()[0]
    client = ClickUpClient(api.sim.config.token, api.url, sleep=lambda s: None)
    rows = [t for page in iter_pages(client.get, f"team/{ws}/task",
                                     {"include_closed": "true", "subtasks": "true"}) for t in page]
    expected = api.sim.truth.tasks(ws, markdown=False)
    listed = {t["id"] for t in expected if not t["archived"]
              and t["list"]["id"] not in api.sim.truth.archived_list_ids(ws)}
    assert {t["id"] for t in rows} == listed
    assert client.stats.retries > 0


def test_storm_is_waited_out_by_the_pipeline(fresh):
    from clickup_elt.clickup.client import ClickUpClient

    api = fresh(tasks=30, rate_limit=100, faults=FaultConfig(storm_every=2, storm_length=3))
    slept = []
    client = ClickUpClient(api.sim.config.token, api.url, sleep=slept.append)
    client.pacer._sleep = slept.append
    for _ in range(3):
        client.get("team", endpoint="GET /team")
    assert client.stats.rate_limit_waits >= 3
