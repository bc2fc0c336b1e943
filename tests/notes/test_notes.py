"""Leads read anonymous notes and reply; the author answers back; nobody learns who it is."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from bot.core import ids
from tests.support.seeding import lead_and_writers, newest_closed_week, write_notes
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view, wait_until

NOTE = "Queue is brutal this week <!channel> & nobody helps"


def _setup(stack: SandboxStack) -> tuple[str, list[str]]:
    lead, staff = lead_and_writers(stack)
    # Notes show once at least the threshold (5) of people wrote one.
    write_notes(
        stack,
        staff,
        {s: NOTE if s == staff[2] else f"another note {i}" for i, s in enumerate(staff)},
    )
    # An earlier week with only two respondents: its note must stay hidden.
    earlier = newest_closed_week(stack) - timedelta(weeks=1)
    write_notes(stack, staff[:2], {staff[0]: "small group secret"}, week=earlier)
    return lead, staff


def test_lead_replies_and_author_answers_back_without_being_named(
    stack: SandboxStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for name in ("bot", "handlers"):
        caplog.set_level(logging.DEBUG, logger=name)
    lead, staff = _setup(stack)
    author = staff[2]
    stack.emulator.reset_calls()

    assert stack.actor.slash_command(lead, "notes").status == 200
    listing = wait_until(lambda: stack.emulator.ephemerals, what="the notes list")[-1]
    shown = json.dumps(listing)
    assert "Queue is brutal" in shown
    assert "&lt;!channel&gt;" in shown
    assert "small group secret" not in shown
    # The week is named by its Monday, as on the lead's App Home: no ISO label.
    assert "*Week of 16 February*" in shown
    assert "2026-W" not in shown

    stack.actor.click(lead, message=listing, action_id=ids.NOTE_REPLY)
    modal = open_view(stack.emulator, ids.NOTE_REPLY_VIEW)
    assert "*Week of 16 February*" in json.dumps(modal)
    sent = stack.actor.submit_view(lead, modal, {ids.NOTE_REPLY_TEXT: "Thanks, let's fix the rota"})
    assert sent.json is not None
    assert sent.json["response_action"] == "update"

    post = stack.emulator.wait_for("chat.postMessage")[0]
    dm = stack.actor.dm_of(author)
    assert post.args["channel"] == dm
    message = stack.actor.latest_message(dm)
    assert "Thanks, let's fix the rota" in json.dumps(message)
    assert "replied to your anonymous note from the week of 16 February." in message["text"]

    stack.actor.click(author, message=message, action_id=ids.NOTE_ANSWER)
    answer_modal = open_view(stack.emulator, ids.NOTE_ANSWER_VIEW)
    assert "Your note from the week of 16 February:" in json.dumps(answer_modal)
    stack.actor.submit_view(author, answer_modal, {ids.NOTE_ANSWER_TEXT: "Rota would help a lot"})
    to_lead = stack.emulator.wait_for("chat.postMessage", count=2)[1]
    lead_dm = stack.actor.dm_of(lead)
    assert to_lead.args["channel"] == lead_dm
    lead_message = stack.actor.latest_message(lead_dm)
    assert "Rota would help a lot" in json.dumps(lead_message)
    assert lead_message["text"] == (
        "The author of the note from the week of 16 February answered your reply."
    )

    # Nothing the lead saw, no message and no log line names the author; only the
    # calls that address the author's own DM carry their id.
    wait_until(lambda: "answer back on lead reply" in caplog.text, what="the last log line")
    seen_by_lead = json.dumps([listing, modal, sent.json, lead_message])
    for person in (author, "staff2"):
        assert person not in seen_by_lead
        assert person not in caplog.text
    carrying = [c for c in stack.emulator.calls if author in json.dumps(c.args)]
    assert carrying, "the reply must have been sent to the author"
    for call in carrying:
        assert (call.method, call.args.get("users") or call.args.get("channel")) in {
            ("conversations.open", author),
            ("chat.postMessage", dm),
        }, call.summary()


def test_only_the_author_can_answer_back_and_non_leads_see_nothing(
    stack: SandboxStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers")
    lead, staff = _setup(stack)
    assert stack.actor.slash_command(staff[0], "notes").status == 200
    refusal = wait_until(lambda: stack.emulator.ephemerals, what="the refusal")[-1]
    assert "for leads" in refusal["text"]

    stack.actor.slash_command(lead, "notes")
    listing = wait_until(lambda: stack.emulator.ephemerals[1:], what="the list")[-1]
    stack.actor.click(lead, message=listing, action_id=ids.NOTE_REPLY)
    modal = open_view(stack.emulator, ids.NOTE_REPLY_VIEW)
    stack.actor.submit_view(lead, modal, {ids.NOTE_REPLY_TEXT: "Hello"})
    stack.emulator.wait_for("chat.postMessage")
    message = stack.actor.latest_message(stack.actor.dm_of(staff[2]))
    # Someone else clicking the author's button (a forged payload) gets no modal.
    stack.actor.click(staff[1], message=message, action_id=ids.NOTE_ANSWER)
    wait_until(lambda: "answer-back refused" in caplog.text, what="the refusal")
    stack.actor.click(staff[2], message=message, action_id=ids.NOTE_ANSWER)
    stack.emulator.wait_for("views.open", count=2)
    opened = [c for c in stack.emulator.calls_to("views.open") if c.ok]
    assert len(opened) == 2  # the lead's reply modal and the author's, not staff1's
