"""Graceful stop on SIGTERM (and Ctrl-C): the long-running modes wait for it, then wind down.

A rolling deploy sends SIGTERM and waits (Kubernetes: 30 s by default) before SIGKILL. The
run modes stop taking new work first, let what is in flight finish within a bound, wait for
a running job, and give up scheduler leadership so another instance takes over at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

logger = logging.getLogger(__name__)

# How long requests already received may take to finish once SIGTERM arrived.
DRAIN_SECONDS = 10.0


class StopSignal:
    """Set by SIGTERM or SIGINT; the main thread waits for it instead of blocking in a server."""

    def __init__(self) -> None:
        """Not yet installed: call ``install()`` from the main thread."""
        self._event = threading.Event()

    def install(self) -> StopSignal:
        """Catch SIGTERM and SIGINT from now on; returns self."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._received)
        return self

    def _received(self, signum: int, _frame: FrameType | None) -> None:
        logger.info(
            "%s received: finishing in-flight work, then exiting", signal.Signals(signum).name
        )
        self._event.set()

    def set(self) -> None:
        """Ask for a stop as a signal would (tests, embedding)."""
        self._event.set()

    def wait(self) -> None:
        """Block until a stop is asked for."""
        # A timeout keeps the wait interruptible on every platform.
        while not self._event.wait(1.0):
            pass
