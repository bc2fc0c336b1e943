"""Attack: a lead polls `/cx notes` to learn who wrote a note and when.

Notes appear only for closed weeks and only when enough people *wrote* notes (not
merely answered); replying to a note always says "Sent", whatever became of its author.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.core import ids
from tests.support.dm_taps import tap
from tests.support.stack import SandboxStack
from tests.support.waiting import wait_until

MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # London


def _team(stack: SandboxStack, n: int) -> tuple[str, list[str]]:
    lead = stack.emulator.add_user("ULEAD", name="lead", tz="Europe/London")["id"]
    staff = [stack.emulator.add_user(name=f"s{i}", tz="Europe/London")["id"] for i in range(n)]
    stack.runtime.settings = stack.settings.with_overrides(leads=(lead,))
    stack.run_job("sync-users")
    return lead, staff


def _six_answer(
    stack: SandboxStack, score: int, note_of: Callable[[int], str | None]
) -> tuple[str, list[str]]:
    """A lead's six staff get Monday's pulse and answer ``score``; staff i writes note_of(i)."""
    lead, staff = _team(stack, 6)
    stack.run_job("pulses", MONDAY_10)
    stack.clock.set(MONDAY_10 + timedelta(minutes=20))
    for i, user in enumerate(staff):
        tap(stack, user, score, note=note_of(i))
    return lead, staff


def _notes_seen(stack: SandboxStack, lead: str) -> str:
    before = len(stack.emulator.ephemerals)
    stack.actor.slash_command(lead, "notes")
    wait_until(lambda: len(stack.emulator.ephemerals) > before, what="the notes list")
    return json.dumps(stack.emulator.ephemerals[-1], ensure_ascii=False)


def test_a_lead_polling_sees_no_note_of_the_open_week_nor_of_one_writer(
    stack: SandboxStack,
) -> None:
    lead, _ = _six_answer(stack, 3, lambda i: "the lone note" if i == 0 else None)
    # Monday evening: the week is open; six answered, one wrote.
    stack.clock.set(MONDAY_10 + timedelta(hours=8))
    assert "lone note" not in _notes_seen(stack, lead)
    # The week has closed (Thursday after), but one writer is fewer than the threshold of five.
    stack.clock.set(MONDAY_10 + timedelta(days=10))
    assert "lone note" not in _notes_seen(stack, lead)


def test_notes_of_a_closed_week_with_enough_writers_show_and_replies_always_say_sent(
    stack: SandboxStack,
) -> None:
    # The lead answers pulses too, so one writer more than the threshold (5 + 1).
    lead, staff = _six_answer(stack, 4, lambda i: f"note number {i}")
    stack.clock.set(MONDAY_10 + timedelta(hours=8))
    assert "note number" not in _notes_seen(stack, lead)  # still the open week
    # The first author leaves the company before the lead replies.
    with stack.emulator.state.lock:
        stack.emulator.workspace().users[staff[0]].deleted = True
    stack.run_job("sync-users", MONDAY_10 + timedelta(days=10))  # the week closed Thursday
    listing = json.loads(_notes_seen(stack, lead))
    shown = json.dumps(listing)
    assert all(f"note number {i}" in shown for i in range(6))
    replies = [
        e["value"]
        for b in listing["blocks"]
        for e in [*b.get("elements", []), b.get("accessory") or {}]
        if e.get("action_id") == ids.NOTE_REPLY
    ]
    outcomes = []
    for value in replies:
        before = {v["id"] for v in stack.emulator.open_views.values()}
        stack.actor.click(lead, message=listing, value=value)
        modal = wait_until(
            lambda before=before: next(
                (
                    v
                    for v in stack.emulator.open_views.values()
                    if v["callback_id"] == ids.NOTE_REPLY_VIEW and v["id"] not in before
                ),
                None,
            ),
            what="a new reply modal",
        )
        sent = stack.actor.submit_view(lead, modal, {ids.NOTE_REPLY_TEXT: "Thanks"})
        outcomes.append(json.dumps(sent.json))
    assert len(outcomes) == 6
    # The five authors still here get the reply; the one who left gets nothing.
    delivered = stack.emulator.wait_for(
        "chat.postMessage", predicate=lambda c: "Thanks" in json.dumps(c.args), count=5
    )
    assert staff[0] not in {c.args.get("channel") for c in delivered}
    odd = [o for o in outcomes if "Sent" not in o or "no longer" in o]
    assert odd == []
