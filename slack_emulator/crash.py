"""A WebClient that "dies" mid-run, for crash tests and the fan-out benchmark.

After ``crash_after`` messages Slack accepted, the next caller raises
``SimulatedCrash`` (a BaseException, like a killed process: nothing catches
it) right after Slack accepted its message, and from then on every request
fails before it leaves, as if the process were gone.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.request import Request

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse


class SimulatedCrash(BaseException):
    """The process died here."""


class CrashingClient(WebClient):
    """Posts normally until ``crash_after`` chat.postMessage successes, then crashes."""

    def __init__(self, *, crash_after: int, **kwargs: Any) -> None:
        """Pass WebClient's own arguments (token, base_url, retry_handlers…) through."""
        super().__init__(**kwargs)
        self.crash_after = crash_after
        self.posted = 0
        self.crashed = threading.Event()
        self._in_flight = 0
        self._idle = threading.Condition()

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        """Count accepted posts; the one past the limit crashes after Slack took it."""
        if self.crashed.is_set():
            raise SimulatedCrash
        response = super().api_call(api_method, **kwargs)
        if api_method == "chat.postMessage":
            with self._idle:
                self.posted += 1
                if self.posted > self.crash_after:
                    self.crashed.set()
        if self.crashed.is_set():
            raise SimulatedCrash
        return response

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        """Send one HTTP request, unless the process is already dead."""
        with self._idle:
            if self.crashed.is_set():
                raise SimulatedCrash
            self._in_flight += 1
        try:
            answer: dict[str, Any] = super()._perform_urllib_http_request_internal(url, req)
            return answer
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until requests already on the wire when it crashed have been answered."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)
