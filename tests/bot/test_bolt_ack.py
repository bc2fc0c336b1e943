"""Bolt's wait for ack() ends when a listener acks, not at its next poll."""

from __future__ import annotations

import threading

from slack_bolt.context.ack.ack import Ack
from slack_bolt.listener import thread_runner

from bot.bolt_ack import install_prompt_ack


def test_the_ack_wait_ends_as_soon_as_a_listener_acks() -> None:
    install_prompt_ack()
    released = threading.Event()

    def bolt_waiting() -> None:
        # What Bolt's runner does between its checks of ack.response.
        thread_runner.time.sleep(60)
        released.set()

    waiter = threading.Thread(target=bolt_waiting, daemon=True)
    waiter.start()
    waiter.join(0.2)
    assert not released.is_set()  # really waiting
    ack = Ack()
    ack()
    assert released.wait(10), "the waiting request was not woken by the ack"
    assert ack.response is not None  # Bolt's own answer, unchanged
    assert ack.response.status == 200


def test_installing_twice_wraps_ack_once() -> None:
    install_prompt_ack()
    wrapped = Ack.__call__
    install_prompt_ack()
    assert Ack.__call__ is wrapped
    assert thread_runner.time.time() > 0  # Bolt's timing still works
