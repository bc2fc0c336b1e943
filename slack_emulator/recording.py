"""The call log: every Web API call the emulator answered, and waiting on it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ApiCall:
    """One Web API call as the emulator received and answered it."""

    method: str
    args: dict[str, Any]
    team_id: str | None
    ok: bool
    error: str | None
    at: float = field(default_factory=time.time)

    def summary(self) -> str:
        """Return a one-line description for assertion messages."""
        outcome = "ok" if self.ok else f"error={self.error}"
        shown = ", ".join(f"{k}={_short(v)}" for k, v in self.args.items())
        return f"{self.method} [{outcome}] team={self.team_id} {shown}"


def _short(value: Any, limit: int = 60) -> str:
    """Trim a value's repr so a failing test's message stays readable."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class CallLog:
    """Thread-safe list of calls with a condition variable tests can wait on."""

    def __init__(self) -> None:
        """Start empty."""
        self._calls: list[ApiCall] = []
        self._changed = threading.Condition()

    def record(self, call: ApiCall) -> None:
        """Append a call and wake up waiters."""
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def all(self) -> list[ApiCall]:
        """Return a copy of every call so far."""
        with self._changed:
            return list(self._calls)

    def clear(self) -> None:
        """Forget every call."""
        with self._changed:
            self._calls.clear()

    def matching(self, method: str, **match: Any) -> list[ApiCall]:
        """Return calls to `method` (ok or not) whose args equal every `match` item."""
        return [
            c
            for c in self.all()
            if c.method == method and all(c.args.get(k) == v for k, v in match.items())
        ]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 5.0,
        count: int = 1,
    ) -> list[ApiCall]:
        """Block until `count` successful calls to `method` match; return all that match."""
        deadline = time.monotonic() + timeout

        def found() -> list[ApiCall]:
            return [
                c
                for c in self._calls
                if c.method == method and c.ok and (predicate is None or predicate(c))
            ]

        with self._changed:
            while len(hits := found()) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recorded = "\n".join(f"  {c.summary()}" for c in self._calls) or "  (none)"
                    raise AssertionError(
                        f"waited {timeout:.1f}s for {count} successful {method} call(s) "
                        f"matching the predicate, got {len(hits)}. Calls recorded:\n{recorded}"
                    )
                self._changed.wait(remaining)
            return hits
