"""What a simulated person sees in Slack: their DMs, the modals the app opens, its updates.

Reads go to the emulator (the person's Slack client); nothing here writes to the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bot.core.apology import SORRY
from bot.demo.processes import DemoStack
from bot.pulse.views import (
    ANSWERED_TEXT,
    CLOSED_TEXT,
    NOT_YOURS_TEXT,
    UNKNOWN_TEXT,
)
from slack_emulator.webhooks import RESPONSE_CALL

RECENT = 10  # DM messages a simulated person looks back through
SETTLE_TIMEOUT = 60.0  # seconds for the app to update the DMs people tapped
VIEW_TIMEOUT = 10.0  # seconds for the app to open a modal after a click or command

Where = tuple[str, str]  # (channel, ts) of a message
# Every reply a tap on a pulse face can get (all ephemeral).
TAP_REPLIES = frozenset({ANSWERED_TEXT, CLOSED_TEXT, NOT_YOURS_TEXT, SORRY, UNKNOWN_TEXT})


def newest_in_dm(
    stack: DemoStack,
    user_id: str,
    *,
    block_id: str | None = None,
    action_id: str | None = None,
    also: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any] | None:
    """The newest of the last few messages in ``user_id``'s DM with that block or button.

    ``also`` narrows the search further (a message timestamp, say).
    """
    dm = stack.emulator.dm_channel(user_id)
    if dm is None:
        return None

    def has(message: dict[str, Any]) -> bool:
        for block in message.get("blocks") or []:
            if block_id is not None and block.get("block_id") == block_id:
                return True
            elements = [block.get("accessory") or {}, *(block.get("elements") or [])]
            if action_id is not None and any(
                isinstance(e, dict) and e.get("action_id") == action_id for e in elements
            ):
                return True
        return False

    def wanted(message: dict[str, Any]) -> bool:
        return has(message) and (also is None or also(message))

    return stack.emulator.newest_with(dm, wanted, last=RECENT)


def where(stack: DemoStack, user_id: str, message: dict[str, Any]) -> Where:
    """(channel, ts) of a message in ``user_id``'s DM."""
    return str(stack.emulator.dm_channel(user_id)), str(message["ts"])


def open_view(
    stack: DemoStack, user_id: str, action: Callable[[], Any], callback_id: str
) -> dict[str, Any]:
    """Do ``action`` and return the modal it made the app open for ``user_id``."""
    emulator = stack.emulator
    before = {v["id"] for v in emulator.views_of(user_id, callback_id)}
    action()
    deadline = time.monotonic() + VIEW_TIMEOUT
    while True:
        # Other people open modals at the same time: wait for any views.open, then look
        # for this person's new one.
        seen = sum(c.ok for c in emulator.calls_to("views.open"))
        fresh = [v for v in emulator.views_of(user_id, callback_id) if v["id"] not in before]
        if fresh:
            return fresh[-1]
        left = deadline - time.monotonic()
        emulator.wait_for("views.open", count=seen + 1, timeout=max(left, 0.01))


def tap_replies(stack: DemoStack) -> int:
    """How many taps on pulse DMs the app has answered so far (its ephemeral replies)."""
    return sum(
        1
        for c in stack.emulator.calls_to(RESPONSE_CALL)
        if c.ok and str((c.args or {}).get("text")) in TAP_REPLIES
    )


def wait_tap_replies(stack: DemoStack, count: int, since: int) -> None:
    """Wait until the app has answered ``count`` more pulse taps than ``since``.

    The DM is never edited after a tap (an edit could be read back with the bot token);
    each tap gets one ephemeral reply instead, which is what is waited for.
    """
    emulator = stack.emulator
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while tap_replies(stack) < since + count:
        left = deadline - time.monotonic()
        seen = sum(c.ok for c in emulator.calls_to(RESPONSE_CALL))
        emulator.wait_for(RESPONSE_CALL, count=seen + 1, timeout=max(left, 0.01))
