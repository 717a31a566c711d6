"""The pacer's arithmetic, on a fake clock (test_client.py paces against the simulator over HTTP)."""

from clickup_elt.clickup.ratelimit import RESET_MARGIN_S, RateLimitPacer


class FakeTime:
    def __init__(self, now=1_000_000.0):
        self.now = now
        self.slept: list[float] = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def headers(remaining, reset):
    return {
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset),
        "X-RateLimit-Limit": "100",
    }


def test_no_wait_while_the_window_has_requests_left():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=t.sleep)
    pacer.observe(headers(5, t.now + 60))
    assert [pacer.before_request() for _ in range(5)] == [0.0] * 5
    assert t.slept == []


def test_spent_window_sleeps_until_reset():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=t.sleep)
    pacer.observe(headers(0, t.now + 42))
    waited = pacer.before_request()
    assert waited == 42 + RESET_MARGIN_S
    assert t.slept == [42 + RESET_MARGIN_S]
    assert pacer.before_request() == 0.0  # a fresh window


def test_window_already_over_needs_no_wait():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=t.sleep)
    pacer.observe(headers(0, t.now + 10))
    t.now += 30
    assert pacer.before_request() == 0.0


def test_absurd_reset_is_capped_and_missing_headers_are_ignored():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=t.sleep)
    pacer.observe({})
    assert pacer.before_request() == 0.0
    pacer.observe(headers(0, t.now + 3600))
    assert pacer.before_request() <= 65.0


def test_server_clock_skew_uses_the_date_header():
    t = FakeTime(now=1_700_000_000.0)
    pacer = RateLimitPacer(clock=t.time, sleep=t.sleep)
    # server is 100 s ahead of us; its window ends 30 s from its now
    server_now = t.now + 100
    from email.utils import formatdate

    pacer.observe({**headers(0, server_now + 30), "Date": formatdate(server_now, usegmt=True)})
    assert abs(pacer.before_request() - (30 + RESET_MARGIN_S)) < 1.01


def test_a_window_spent_by_another_process_is_waited_out_from_the_first_request():
    t = FakeTime()
    spender = RateLimitPacer(clock=t.time, sleep=t.sleep)
    spender.observe(headers(0, t.now + 30))
    fresh = RateLimitPacer(clock=t.time, sleep=t.sleep)  # the next holder of the token's slot
    fresh.resume(*spender.window())
    assert fresh.before_request() == 30 + RESET_MARGIN_S


def test_a_window_that_is_over_or_that_says_more_is_left_is_not_taken_over():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=t.sleep)
    pacer.resume(0, t.now - 10)  # over: the next request opens a new window
    assert pacer.window() is None and pacer.before_request() == 0.0
    pacer.observe(headers(3, t.now + 20))
    pacer.resume(50, t.now + 20)
    assert pacer.window() == (3, t.now + 20)
