"""Taps in pulse DMs as a person makes them (face, note), over signed HTTP."""

from __future__ import annotations

import time
from typing import Any

from bot.core import ids
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view, wait_until


def buttons(message: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """Buttons (in actions blocks or as section accessories) whose action id starts so."""
    found = []
    for block in message.get("blocks", []):
        for e in [*block.get("elements", []), block.get("accessory") or {}]:
            if str(e.get("action_id", "")).startswith(prefix):
                found.append(e)
    return found


def pulse_message(stack: SandboxStack, user: str, team_id: str | None = None) -> dict[str, Any]:
    """The person's newest pulse DM."""
    dm = stack.actor.dm_of(user, team_id=team_id)
    pulses = [
        m
        for m in stack.emulator.messages(dm, team_id=team_id)
        if (m.get("metadata") or {}).get("event_type") == "cxpulse_pulse"
    ]
    return pulses[-1]


def tap(
    stack: SandboxStack,
    user: str,
    score: int,
    note: str | None = None,
    *,
    team_id: str | None = None,
) -> None:
    """Tap face ``score`` on today's pulse, then write ``note`` if given."""
    message = pulse_message(stack, user, team_id)
    dm = stack.actor.dm_of(user, team_id=team_id)
    stack.actor.click(
        user,
        message=message,
        action_id=f"{ids.PULSE_SCORE}_{score}",
        team_id=team_id,
        channel_id=dm,
    )
    if note is None:
        stack.runtime.background.wait_idle(timeout=5)
        return
    ts = message["ts"]

    def with_note_button() -> dict[str, Any] | None:
        now = next(m for m in stack.emulator.messages(dm, team_id=team_id) if m["ts"] == ts)
        return now if buttons(now, ids.PULSE_NOTE) else None

    message = wait_until(with_note_button, what="the note button")
    opened = len(stack.emulator.calls_to("views.open"))
    stack.actor.click(
        user, message=message, action_id=ids.PULSE_NOTE, team_id=team_id, channel_id=dm
    )
    wait_until(lambda: len(stack.emulator.calls_to("views.open")) > opened, what="the note modal")
    view = open_view(stack.emulator, ids.PULSE_NOTE_VIEW)
    stack.actor.submit_view(user, view, {ids.PULSE_NOTE_BLOCK: note}, team_id=team_id)


def dm_event(user: str, channel: str, text: str, **extra: str) -> dict[str, str]:
    """A message.im event as Slack sends it."""
    return {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        **extra,
    }
