"""Attack: read the answers back from Slack with the bot token the app stores.

Three people get the same pulse: one taps 1 and writes a note, one taps 5 and answers
the second question, one does nothing. Once the answer window has closed, what
``conversations.history`` returns for their DMs must be the same for all three (up to
message ids): no score, no note, no second answer, not even who answered.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.app import all_jobs
from bot.core import ids
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view, wait_until

PULSE_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 10:00 in London


def _history(stack: SandboxStack, channel: str) -> list[dict[str, Any]]:
    client = WebClient(token=stack.settings.slack_bot_token, base_url=stack.settings.slack_api_url)
    found = client.conversations_history(channel=channel, include_all_metadata=True)
    return list(found["messages"])


def _shape(messages: list[dict[str, Any]]) -> str:
    """A DM's history with what differs between any two pulses (ids, times) blanked out."""
    text = json.dumps(
        [
            {k: v for k, v in m.items() if k not in ("ts", "user", "team", "client_msg_id")}
            for m in messages
        ],
        sort_keys=True,
        ensure_ascii=False,
    )
    text = re.sub(r'"block_id": "[^"]*"', '"block_id": B', text)  # Slack fills in random ones
    text = re.sub(r'"\d+(:|")', r'"N\1', text)  # button values start with the send id
    return re.sub(r'"send_id": "?\d+"?', '"send_id": N', text)


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any] | None:
    for block in message.get("blocks", []):
        for e in [*block.get("elements", []), block.get("accessory") or {}]:
            if e.get("action_id") == action_id:
                return e
    return None


def test_the_stored_token_reads_back_no_answer(stack: SandboxStack) -> None:
    users = [stack.emulator.add_user(name=n, tz="Europe/London")["id"] for n in ("ann", "bo", "cy")]
    stack.run_job("sync-users")
    stack.run_job("pulses", PULSE_AT)
    dms = [stack.actor.dm_of(u) for u in users]
    first = [stack.actor.latest_message(dm) for dm in dms]
    before = [_shape(_history(stack, dm)) for dm in dms]
    assert before[0] == before[1] == before[2]

    ann, bo = users[0], users[1]
    stack.clock.set(PULSE_AT + timedelta(minutes=5))
    stack.actor.click(ann, message=first[0], action_id="pulse_score_1")
    note_msg = wait_until(
        lambda: next((m for m in _history(stack, dms[0]) if _button(m, ids.PULSE_NOTE)), None),
        what="a note button",
    )
    stack.actor.click(ann, message=note_msg, action_id=ids.PULSE_NOTE)
    view = open_view(stack.emulator, ids.PULSE_NOTE_VIEW)
    stack.actor.submit_view(ann, view, {"pulse_note_text": "my manager shouted at me"})
    stack.actor.click(bo, message=first[1], action_id="pulse_score_5")
    extra_msg = wait_until(
        lambda: next(
            (m for m in _history(stack, dms[1]) if _button(m, f"{ids.PULSE_EXTRA}_9")), None
        ),
        what="the second question",
    )
    stack.actor.click(bo, message=extra_msg, action_id=f"{ids.PULSE_EXTRA}_9")
    stack.runtime.background.wait_idle(timeout=5)
    wait_until(lambda: len(stack.emulator.calls_to("views.open")) >= 1, what="the note modal")
    # The reminder job runs through the day, then the window closes and every job runs.
    for hours in range(1, 80):
        stack.run_job("reminders", PULSE_AT + timedelta(hours=hours))
    for name in sorted(all_jobs()):
        stack.run_job(name, PULSE_AT + timedelta(hours=80))

    after = [_history(stack, dm) for dm in dms]
    everything = json.dumps(after, ensure_ascii=False)
    assert "shouted" not in everything
    assert "you chose" not in everything.lower()
    assert '"style": "primary"' not in everything
    assert _shape(after[0]) == _shape(after[1]) == _shape(after[2])
