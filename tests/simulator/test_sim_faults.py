"""Faults on demand: each kind as a client sees it, reproducible by seed, aimed at chosen endpoints."""

from __future__ import annotations

import time

import pytest
import requests

from clickup_simulator.config import FaultConfig


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


def kind_of(api, path: str = "/team", timeout=30) -> object:
    """What a client makes of one answer, without the schema check (a fault's body breaks it)."""
    try:
        r = api.session.get(api.url + path, headers={"Authorization": api.sim.config.token}, timeout=timeout)
    except requests.exceptions.ReadTimeout:
        return "timeout"
    if r.headers["Content-Type"].startswith("text/html"):
        return f"html {r.status_code}"
    body = r.json()
    if r.status_code == 200 and path == "/team" and "teams" not in body:
        return "missing key"
    return r.status_code


def test_missing_key_html_and_slow_forced(fresh):
    api = fresh(tasks=30)
    ws = api.sim.truth.workspace_ids()[0]
    space = api.sim.truth.spaces(ws)[0]["id"]
    task = api.sim.truth.task_ids(ws)[0]

    def get(path):
        return api.session.get(api.url + path, headers={"Authorization": api.sim.config.token})

    api.sim.faults.force("missing_key", "missing_key", "missing_key", "html")
    folders = get(f"/space/{space}/folder")
    assert folders.status_code == 200 and folders.json() == {}
    page = get(f"/team/{ws}/task").json()
    assert "tasks" not in page and page["last_page"] in (True, False)
    one = get(f"/task/{task}").json()
    assert "id" not in one and one["name"]
    portal = get("/team")
    assert portal.status_code == 200 and portal.headers["Content-Type"].startswith("text/html")
    assert portal.text.startswith("<!DOCTYPE html>")
    assert kind_of(api) == 200
    api.control("POST", "/faults", {"slow_ms": 600})
    api.control("POST", "/faults/force", {"kinds": ["slow"]})
    assert kind_of(api, timeout=(5, 0.2)) == "timeout"  # longer than the client's read timeout
    started = time.perf_counter()
    assert kind_of(api) == 200 and time.perf_counter() - started < 0.5
    with pytest.raises(ValueError):
        api.sim.faults.force("missing-key")


def test_bursts_of_5xx_and_storms_without_headers(fresh):
    api = fresh(tasks=30, faults=FaultConfig(burst_every=3, burst_length=2, seed=1))
    seen = [kind_of(api) for _ in range(8)]
    errors = [k for k in seen if k != 200]
    assert [k == 200 for k in seen] == [True, True, False, False, True, False, False, True]
    assert all(k in (500, "html 502", "html 503", "html 504") for k in errors)
    many = FaultConfig(burst_every=2, burst_length=1, seed=2)
    api.sim.faults.configure(many)
    assert {kind_of(api) for _ in range(40)} >= {200, 500, "html 502"}  # JSON 500s and HTML gateway pages
    api.control(
        "POST", "/faults", {"burst_every": 0, "storm_every": 2, "storm_length": 1, "storm_headers": False}
    )
    calm, storm = api.get("/team"), api.get("/team")
    assert storm.status_code == 429 and storm.json()["ECODE"] == "APP_002"
    assert not {k for k in storm.headers if k.startswith("X-RateLimit")}
    assert calm.status_code == 200 and calm.headers["X-RateLimit-Remaining"]
    api.control("POST", "/faults", {"storm_headers": True})
    api.get("/team")
    assert api.get("/team").headers["X-RateLimit-Remaining"] == "0"


def test_new_kinds_follow_the_seed_and_the_endpoints(fresh):
    faults = dict(missing_key_rate=0.2, html_rate=0.2, slow_rate=0.1, slow_ms=20, seed=9)
    first = [kind_of(api) for api in [fresh(tasks=30, faults=FaultConfig(**faults))] for _ in range(30)]
    second = [kind_of(api) for api in [fresh(tasks=30, faults=FaultConfig(**faults))] for _ in range(30)]
    assert first == second and {"missing key", "html 200", 200} <= set(first)
    api = fresh(
        tasks=30, faults=FaultConfig(missing_key_rate=1.0, endpoints=("GET /space/{space_id}/folder",))
    )
    ws = api.sim.truth.workspace_ids()[0]
    space = api.sim.truth.spaces(ws)[0]["id"]
    assert kind_of(api) == 200
    assert (
        api.session.get(
            f"{api.url}/space/{space}/folder", headers={"Authorization": api.sim.config.token}
        ).json()
        == {}
    )
