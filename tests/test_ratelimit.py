"""The pacer's arithmetic, on a fake clock (test_client.py paces against the simulator over HTTP)."""

import threading
import time

import pytest

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
    pacer.observe({})  # its answer, without headers
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
    pacer.observe(headers(0, t.now + 3600))  # that request's answer
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


class Spent(Exception):
    """Raised instead of sleeping: the pacer wanted to wait for the window's reset."""


def _refuse(seconds):
    raise Spent(seconds)


def test_requests_in_flight_are_not_counted_twice_as_free():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=_refuse)
    pacer.observe(headers(10, t.now + 60))
    for _ in range(8):  # eight requests go out at once
        assert pacer.before_request() == 0.0
    # the first answer was counted before the seven others reached the server: 9 left for it, 2 for us
    pacer.observe(headers(9, t.now + 60))
    assert [pacer.before_request() for _ in range(2)] == [0.0, 0.0]
    with pytest.raises(Spent):
        pacer.before_request()


def test_an_overtaken_answer_does_not_give_back_requests():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=_refuse)
    pacer.observe(headers(4, t.now + 60))
    pacer.before_request(), pacer.before_request()
    pacer.observe(headers(2, t.now + 60))  # the second request's answer arrives first...
    pacer.observe(headers(3, t.now + 60))  # ...then the first one's, with more left at its time
    assert [pacer.before_request() for _ in range(2)] == [0.0, 0.0]  # 2 left, not 3
    with pytest.raises(Spent):
        pacer.before_request()


def test_an_unknown_window_is_learnt_by_one_request_before_the_others_go():
    pacer = RateLimitPacer()
    pacer.before_request()  # the first request of the process is on its way
    started = threading.Event()
    second = threading.Thread(target=lambda: (pacer.before_request(), started.set()))
    second.start()
    assert not started.wait(0.2)  # held back: the window might have room for one request only
    pacer.observe(headers(50, time.time() + 60))
    assert started.wait(5)
    second.join()


def test_a_thread_back_from_its_wait_keeps_what_another_thread_learnt_meanwhile():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=None)
    reset = t.now + 10  # the next window reports the same reset (a server whose clock stands still)
    pacer.observe(headers(0, reset))

    def wait_while_another_thread_starts_the_next_window(seconds):
        t.sleep(seconds)
        pacer._sleep = t.sleep
        assert pacer.before_request() == 0.0  # the other thread, awake first, learns the new window
        pacer.observe(headers(9, reset))

    pacer._sleep = wait_while_another_thread_starts_the_next_window
    assert pacer.before_request() > 0
    assert pacer._lowest == 9  # not forgotten: the next requests need not wait for a probe


def test_an_answer_from_an_ended_window_is_ignored():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=_refuse)
    pacer.observe(headers(1, t.now + 60))
    pacer.observe(headers(50, t.now + 5))  # late, from the window before
    assert pacer.before_request() == 0.0
    with pytest.raises(Spent):
        pacer.before_request()


def test_a_request_without_an_answer_is_counted_as_spent():
    t = FakeTime()
    pacer = RateLimitPacer(clock=t.time, sleep=_refuse)
    pacer.observe(headers(2, t.now + 60))
    pacer.before_request()
    pacer.observe(None)  # the connection dropped: the server may have counted it
    assert pacer.before_request() == 0.0
    with pytest.raises(Spent):
        pacer.before_request()


def test_a_slot_holder_leaves_its_reserve_for_requests_made_without_the_slot():
    t = FakeTime()
    holder = RateLimitPacer(clock=t.time, sleep=t.sleep, reserve=2)
    holder.observe(headers(3, t.now + 30))
    assert holder.before_request() == 0.0  # the third-last request of the window goes
    holder.observe(headers(2, t.now + 30))
    assert holder.before_request() == 30 + RESET_MARGIN_S  # the last two are left to discovery
