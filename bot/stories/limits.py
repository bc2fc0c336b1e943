"""A small in-process sliding-window rate limiter for the public story page.

Per process: behind a load balancer each instance keeps its own count, so the limit is
per instance (documented in docs/privacy/hardening.md); enough to stop one client hammering
a link. Memory is bounded whatever arrives: a key is kept as its 16-byte digest, at most
``max_keys`` of them, each with at most ``limit`` times.
"""

from __future__ import annotations

import hashlib
import threading
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable


class RateLimiter:
    """At most ``limit`` requests per key in any ``window_seconds``."""

    def __init__(
        self,
        *,
        limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 20_000,
    ) -> None:
        """Count with ``clock``; forget the oldest keys beyond ``max_keys`` (bounded memory)."""
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.max_keys = max_keys
        # Each key's request times, oldest first, as packed doubles (8 bytes each).
        self._hits: dict[bytes, array[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count one request for ``key``; False when it is over the limit."""
        now = self.clock()
        digest = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=16).digest()
        with self._lock:
            hits = self._hits.get(digest)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._hits.pop(next(iter(self._hits)))
                hits = self._hits[digest] = array("d")
            del hits[: bisect_right(hits, now - self.window)]
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True
