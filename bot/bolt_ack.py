"""Answer Slack the moment a listener acks, not at Bolt's next 10 ms poll.

Bolt (up to at least 1.30) runs a listener on its thread pool and waits for the
``ack()`` by polling ``ack.response`` with ``time.sleep(0.01)``, so every button
click, command and modal submission is answered 0–10 ms late, and more under
load. Here that sleep ends as soon as any listener acks; each waiting request then
checks its own ack again, exactly as Bolt's loop does. Nothing else changes: the
timeout and the responses are Bolt's own.
"""

from __future__ import annotations

import functools
import threading
import time
from typing import Any

_acked = threading.Condition()


class _WakeOnAck:
    """Stands in for the ``time`` module in Bolt's thread runner."""

    time = staticmethod(time.time)

    @staticmethod
    def sleep(seconds: float) -> None:
        """Wait up to ``seconds``, or until some listener acks."""
        with _acked:
            _acked.wait(seconds)


def install_prompt_ack() -> None:
    """Make Bolt's thread runner wake on ``ack()``; idempotent."""
    from slack_bolt.context.ack.ack import Ack
    from slack_bolt.listener import thread_runner

    if getattr(Ack.__call__, "wakes_waiters", False):
        return
    original = Ack.__call__

    @functools.wraps(original)
    def ack_and_wake(self: Ack, *args: Any, **kwargs: Any) -> Any:
        response = original(self, *args, **kwargs)
        with _acked:
            _acked.notify_all()
        return response

    ack_and_wake.wakes_waiters = True  # type: ignore[attr-defined]
    Ack.__call__ = ack_and_wake  # type: ignore[method-assign]
    setattr(thread_runner, "time", _WakeOnAck)  # noqa: B010 - replaces a module attribute
