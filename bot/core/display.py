"""Values a reply only shows (the threshold a promise names, a person's language), kept briefly.

Nearly every reply names the anonymity threshold or speaks the person's language, and both
change rarely; reading them from the database before each ack made `/cx help` three times
slower than a bare Bolt app (bench/ack_latency.py). They are kept 30 s per app: a change
made through this app is seen at once (``forget``), one made elsewhere (another instance, the
hourly Slack sync) within 30 s. Nothing that decides what is disclosed reads them: the gate
(bot/core/disclosure.py) and the roles read the database each time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from cachetools import TTLCache

SECONDS = 30
T = TypeVar("T")


class DisplayCache:
    """A small time-limited cache, safe to share between request threads."""

    def __init__(self, *, seconds: float = SECONDS, size: int = 10_000) -> None:
        """Keep up to ``size`` values, each for ``seconds``."""
        self._values: TTLCache[tuple[str, ...], object] = TTLCache(maxsize=size, ttl=seconds)
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...], read: Callable[[], T]) -> T:
        """The value kept under ``key``, or ``read()`` (kept from now on)."""
        with self._lock:
            if key in self._values:
                return self._values[key]  # type: ignore[return-value]
        value = read()
        with self._lock:
            self._values[key] = value
        return value

    def forget(self, key: tuple[str, ...]) -> None:
        """Drop ``key`` (its value just changed here)."""
        with self._lock:
            self._values.pop(key, None)
