"""Rate limits (token buckets) and injected faults."""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass
from typing import Literal

# "cut": the work is done, then the answer is cut off half-way through its body. "timeout"
# also does the work. The others fail before any work unless the fault is ``done`` ("post,
# then fail": a 5xx or a dropped connection after Slack already did what was asked).
FaultKind = Literal["ratelimited", "server_error", "timeout", "disconnect", "cut", "error"]
ANY_METHOD = "*"


@dataclass
class Fault:
    """How one faulty call fails."""

    kind: FaultKind
    error: str = "fatal_error"
    retry_after: int = 1
    delay: float = 2.0
    status: int = 500
    done: bool = False


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass(frozen=True)
class _Limit:
    per_second: float
    burst: int


class RateLimiter:
    """Token buckets per (workspace, method), configured per method or as a default."""

    def __init__(self) -> None:
        """Start with no limits: Slack's tiers are opt-in so tests stay fast."""
        self._limits: dict[str | None, _Limit] = {}
        self._buckets: dict[tuple[str | None, str], _Bucket] = {}
        self._lock = threading.Lock()

    def set_limit(self, method: str | None, per_second: float, burst: int | None) -> None:
        """Limit `method` (None: every method without its own limit) to `per_second`."""
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        with self._lock:
            self._limits[method] = _Limit(per_second, burst or max(1, math.ceil(per_second)))
            self._buckets.clear()

    def clear(self) -> None:
        """Remove every limit."""
        with self._lock:
            self._limits.clear()
            self._buckets.clear()

    def acquire(self, team_id: str | None, method: str) -> int | None:
        """Take a token; return None if allowed, else the Retry-After seconds (at least 1)."""
        with self._lock:
            limit = self._limits.get(method) or self._limits.get(None)
            if limit is None:
                return None
            now = time.monotonic()
            bucket = self._buckets.setdefault((team_id, method), _Bucket(limit.burst, now))
            bucket.tokens = min(
                limit.burst, bucket.tokens + (now - bucket.updated) * limit.per_second
            )
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return None
            # Slack's Retry-After is whole seconds; never 0, or clients would spin.
            return max(1, math.ceil((1 - bucket.tokens) / limit.per_second))


@dataclass
class _Scheduled:
    fault: Fault
    remaining: int


@dataclass
class _Random:
    fault: Fault
    probability: float
    rng: random.Random


class FaultInjector:
    """Decides whether the next call to a method fails, and how."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._scheduled: dict[str, list[_Scheduled]] = {}
        self._random: dict[str, _Random] = {}
        self._lock = threading.Lock()

    def add(self, method: str, fault: Fault, times: int) -> None:
        """Make the next `times` calls to `method` ("*" for any) fail with `fault`."""
        with self._lock:
            self._scheduled.setdefault(method, []).append(_Scheduled(fault, times))

    def add_rate(self, method: str, fault: Fault, probability: float, seed: int) -> None:
        """Make each call to `method` fail with `probability`, reproducibly from `seed`."""
        with self._lock:
            self._random[method] = _Random(fault, probability, random.Random(seed))

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._scheduled.clear()
            self._random.clear()

    def next_fault(self, method: str) -> Fault | None:
        """Return the fault for this call to `method`, consuming it, or None."""
        with self._lock:
            for key in (method, ANY_METHOD):
                queue = self._scheduled.get(key, [])
                if queue:
                    queue[0].remaining -= 1
                    fault = queue[0].fault
                    if queue[0].remaining <= 0:
                        queue.pop(0)
                    return fault
            for key in (method, ANY_METHOD):
                chance = self._random.get(key)
                if chance is not None and chance.rng.random() < chance.probability:
                    return chance.fault
            return None
