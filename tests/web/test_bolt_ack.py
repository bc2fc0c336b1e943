"""Bolt's wait for ack() ends when its own listener acks, not at its next poll."""

from __future__ import annotations

import threading
import time

from slack_bolt.context.ack.ack import Ack
from slack_bolt.listener import thread_runner

from bot.web.bolt_ack import install_prompt_ack


def _request_thread(
    acks: dict[str, Ack], sleeps: dict[str, int], name: str, released: threading.Event
) -> None:
    # What Bolt does in the request thread: make the Ack (request.context.ack), start
    # the listener elsewhere, then sleep between its checks of ack.response.
    ack = Ack()
    acks[name] = ack
    while ack.response is None:
        sleeps[name] = sleeps.get(name, 0) + 1
        thread_runner.time.sleep(60)
    released.set()


def test_the_ack_wait_ends_as_soon_as_its_listener_acks() -> None:
    install_prompt_ack()
    acks: dict[str, Ack] = {}
    sleeps: dict[str, int] = {}
    first, second = threading.Event(), threading.Event()
    for name, released in (("first", first), ("second", second)):
        args = (acks, sleeps, name, released)
        threading.Thread(target=_request_thread, args=args, daemon=True).start()
    deadline = time.monotonic() + 10
    while len(acks) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not first.wait(0.2)  # really waiting
    acks["first"]()  # the listener acks, on another thread
    assert first.wait(10), "the waiting request was not woken by its ack"
    time.sleep(0.1)
    assert not second.is_set()
    assert sleeps["second"] == 1  # the other request was not even woken
    response = acks["first"].response
    assert response is not None  # Bolt's own answer, unchanged
    assert response.status == 200
    acks["second"]()
    assert second.wait(10)


def test_a_thread_without_a_fresh_ack_polls_like_bolt() -> None:
    install_prompt_ack()
    ack = Ack()
    ack()  # this thread's event is set: a stale one must not make sleep return at once
    started = time.monotonic()
    thread_runner.time.sleep(0.05)
    assert time.monotonic() - started >= 0.04


def test_installing_twice_wraps_ack_once() -> None:
    install_prompt_ack()
    wrapped = Ack.__call__
    install_prompt_ack()
    assert Ack.__call__ is wrapped
    assert thread_runner.time.time() > 0  # Bolt's timing still works
