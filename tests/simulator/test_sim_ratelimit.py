"""Per-token rate limits in fixed windows that start with a token's first request, as ClickUp applies them."""

from __future__ import annotations

import time

from sim_helpers import NOW_MS

RATE = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def test_a_window_counts_down_then_answers_429_until_it_ends(fresh):
    api = fresh(tasks=30, rate_limit=5, rate_window_s=1)
    seen = []
    for _ in range(7):
        r = api.get("/team")
        seen.append((r.status_code, r.headers["X-RateLimit-Remaining"], r.headers["X-RateLimit-Reset"]))
    assert [s[:2] for s in seen] == [
        (200, "4"),
        (200, "3"),
        (200, "2"),
        (200, "1"),
        (200, "0"),
        (429, "0"),
        (429, "0"),
    ]
    assert {s[2] for s in seen} == {str(NOW_MS // 1000 + 2)}  # window end, epoch seconds: Date + 1 s + 1
    limited = api.get("/team")
    assert limited.json() == {"err": "Rate limit reached", "ECODE": "APP_002"}
    assert limited.headers["X-RateLimit-Limit"] == "5"
    time.sleep(1.05)
    again = api.get("/team")
    assert again.status_code == 200 and again.headers["X-RateLimit-Remaining"] == "4"


def test_windows_are_per_token_and_headers_skip_only_401s(fresh):
    api = fresh(tasks=30, rate_limit=3, rate_window_s=30)
    ws = api.sim.truth.workspace_ids()[0]
    for _ in range(3):
        api.get("/team")
    assert api.get("/team").status_code == 429
    other = api.get("/team", token=api.sim.tokens.admin(ws))
    assert other.status_code == 200 and other.headers["X-RateLimit-Remaining"] == "2"
    assert not set(RATE) & set(api.get("/team", token="pk_bad").headers)
    assert not set(RATE) & set(api.get("/team", token=None).headers)
    admin = api.sim.tokens.admin(ws)
    assert set(RATE) <= set(api.get("/nowhere", token=admin).headers)  # 404 APP_001
    assert set(RATE) <= set(api.raw("POST", f"/team/{ws}/task", token=admin).headers)  # HTML 404
    api.control("POST", "/rate_limit/reset")
    assert api.get("/team").status_code == 200


def test_advancing_the_clock_moves_the_reported_reset(fresh):
    api = fresh(tasks=30, rate_limit=10, rate_window_s=60)
    first = int(api.get("/team").headers["X-RateLimit-Reset"])
    assert first == NOW_MS // 1000 + 61
    api.sim.advance(30)
    assert int(api.get("/team").headers["X-RateLimit-Reset"]) == first + 30


def test_unlimited_still_reports_a_window_that_never_runs_out(fresh):
    api = fresh(tasks=30, rate_limit=0)
    ws = api.sim.truth.workspace_ids()[0]
    answers = [api.get("/team") for _ in range(3)] + [
        api.get("/nowhere"),
        api.raw("POST", f"/team/{ws}/task"),
    ]
    for r in answers:  # 200s, the JSON 404 and the HTML 404 alike
        assert (r.headers["X-RateLimit-Limit"], r.headers["X-RateLimit-Remaining"]) == ("10000", "10000")
        assert r.headers["X-RateLimit-Reset"] == str(NOW_MS // 1000 + 61)  # the end of a 60 s window
    assert not set(RATE) & set(api.get("/team", token="pk_bad").headers)  # but never on a 401
    api.control("POST", "/rate_limit", {"limit": 2, "window_s": 60})
    assert api.get("/team").headers["X-RateLimit-Remaining"] == "1"
