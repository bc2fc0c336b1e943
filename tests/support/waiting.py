"""Waiting on what the app does after it has acked (it answers Slack first, then works)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from slack_emulator import SlackEmulator

T = TypeVar("T")


def wait_until(probe: Callable[[], T | None], *, timeout: float = 5.0, what: str = "") -> T:
    """Poll ``probe`` until it returns something truthy; AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or probe}")
        time.sleep(0.02)


def open_view(emulator: SlackEmulator, callback_id: str, *, count: int = 1) -> dict[str, Any]:
    """The newest open modal with ``callback_id``, once ``count`` of them were ever opened."""

    def probe() -> dict[str, Any] | None:
        views = [v for v in emulator.open_views.values() if v["callback_id"] == callback_id]
        return views[-1] if views else None

    return wait_until(probe, what=f"a {callback_id} modal")


def response_text(emulator: SlackEmulator, *, index: int = 0) -> dict[str, Any]:
    """The ``index``-th body the app posted to a response_url."""
    return wait_until(
        lambda: emulator.responses[index].body if len(emulator.responses) > index else None,
        what=f"response_url post #{index}",
    )
