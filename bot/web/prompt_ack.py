"""Answer Slack the moment a listener acks, through Bolt's documented extension points.

With ``process_before_response=False`` Bolt starts a listener on the App's
``listener_executor`` and then, in the request thread, polls ``ack.response`` every
10 ms, so every click, command and submission would be answered up to 10 ms late.
Here nothing of Bolt is replaced:

- ``PromptAck`` is a subclass of Bolt's public ``Ack`` that also sets an event;
- ``PromptAckMiddleware`` (a global middleware) gives each request its own
  ``PromptAck`` in ``context["ack"]``, where Bolt and the listener find their ``ack``;
- ``AckFirstExecutor`` is the App's ``listener_executor`` (an App argument): it starts
  the listener on its pool as Bolt asks, but returns to the request thread only once
  that request's ack was called (or the listener ended), so Bolt's poll finds the
  answer ready and never sleeps.

Bolt's timeout and responses are unchanged. What this leans on (the request thread
submits the listener, then reads ``context.ack``) is how Bolt's thread runner works,
not a documented promise: pyproject pins the Bolt versions tested, and
tests/web/test_prompt_ack.py fails if Bolt stops behaving this way.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from slack_bolt import Ack, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

P = ParamSpec("P")
T = TypeVar("T")

# Bolt's own listener pool size (App's default listener_executor).
LISTENER_THREADS = 10
# Longer than Bolt's 3 s ack timeout: after it, Bolt's own wait decides.
_ACK_WAIT_SECONDS = 3.5
_request = threading.local()  # .acked: the Event of the request this thread serves


class PromptAck(Ack):
    """Bolt's ``Ack`` that also signals the request thread waiting for it."""

    def __init__(self) -> None:
        """An ack whose ``acked`` event is set by the first call."""
        super().__init__()  # type: ignore[no-untyped-call]
        self.acked = threading.Event()
        self._on_ack: list[Callable[[], None]] = []

    def on_ack(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when the listener acks (metrics time the ack this way)."""
        self._on_ack.append(callback)

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        """Ack as Bolt does, then wake the request thread."""
        response = super().__call__(*args, **kwargs)
        if not self.acked.is_set():
            for callback in self._on_ack:
                callback()
        self.acked.set()
        return response


class PromptAckMiddleware(Middleware):
    """Gives each request a ``PromptAck`` and tells this thread's executor to wait on it."""

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Install the ack, then go on to the listeners."""
        ack = PromptAck()
        req.context["ack"] = ack
        _request.acked = ack.acked
        return next()


class AckFirstExecutor(ThreadPoolExecutor):
    """A listener pool whose ``submit`` from a request thread returns once that request acks."""

    def __init__(self, max_workers: int = LISTENER_THREADS) -> None:
        """A pool of ``max_workers`` listener threads."""
        super().__init__(max_workers=max_workers, thread_name_prefix="cxpulse-listener")

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Start ``fn``; from a request thread, wait for its ack or its end."""
        acked: threading.Event | None = getattr(_request, "acked", None)
        _request.acked = None  # only the request's listener is waited for, not later work
        # The listener runs on a pool thread: it keeps the request's context (its request
        # id in the logs), as it would had it run on the request thread.
        context = contextvars.copy_context()
        if acked is None:
            return super().submit(lambda: context.run(fn, *args, **kwargs))

        def run() -> T:
            try:
                return context.run(fn, *args, **kwargs)
            finally:
                acked.set()  # a listener that never acks: Bolt answers for it now

        future = super().submit(run)
        acked.wait(_ACK_WAIT_SECONDS)
        return future
