"""The pulse DM over signed HTTP: tap a face, tap again, Slack resends, notes, 48 h, reminders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.demo.processes import SANDBOX_SECRET
from bot.pulse.anonymity import respondent_key
from bot.pulse.views import ANSWERED_TEXT
from models import PulseAnswer, PulseExtraAnswer, PulseNote, PulseSend
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.pulse import PULSE_AT
from tests.support.stack import SandboxStack


def pulse_dm(stack: SandboxStack, name: str = "ann") -> tuple[str, str, dict[str, Any]]:
    """A synced person whose pulse went out: (user id, DM channel, the DM as posted)."""
    user = stack.emulator.add_user(name=name, tz="Europe/London")["id"]
    stack.run_job("sync-users")
    stack.run_job("pulses", PULSE_AT)
    dm = stack.actor.dm_of(user)
    return user, dm, stack.actor.latest_message(dm)


def answers(stack: SandboxStack) -> list[PulseAnswer]:
    with stack.runtime.sessions() as session:
        return list(session.scalars(select(PulseAnswer)))


def test_the_dm_has_one_row_of_five_faces_worst_to_best(stack: SandboxStack) -> None:
    _, _, message = pulse_dm(stack)
    actions = [b for b in message["blocks"] if b.get("block_id") == "pulse_mood"]
    assert len(actions) == 1
    buttons = actions[0]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["😫 1", "😕 2", "😐 3", "🙂 4", "😄 5"]
    assert message["metadata"]["event_type"] == "cxpulse_pulse"


@pytest.mark.parametrize("k", [1, 4])
def test_clicking_the_kth_face_records_k_and_confirms_only_to_the_person(
    stack: SandboxStack, k: int
) -> None:
    user, dm, message = pulse_dm(stack)
    buttons = next(b for b in message["blocks"] if b["type"] == "actions")["elements"]
    reply = stack.actor.click(user, message=message, value=buttons[k - 1]["value"])
    assert reply.status == 200
    confirmation = _wait_for_response(stack)
    assert confirmation["response_type"] == "ephemeral"
    assert confirmation["text"] == ANSWERED_TEXT  # the same words whatever was tapped
    stored = answers(stack)
    day = PULSE_AT.date()
    assert [(a.score, a.respondent_key) for a in stored] == [
        (k, respondent_key(SANDBOX_SECRET, stack.emulator.team_id, user, day=day))
    ]
    # The DM is never edited (an edit could be read back), nor followed by another message.
    assert stack.emulator.calls_to("chat.update") == []
    assert stack.emulator.messages(dm) == [message]


def test_double_clicks_and_slack_retries_leave_one_answer(stack: SandboxStack) -> None:
    user, _, message = pulse_dm(stack)
    stack.actor.click(user, message=message, action_id="pulse_score_2")
    stack.actor.click(user, message=message, action_id="pulse_score_2", retry_num=1)
    stack.actor.click(user, message=message, action_id="pulse_score_2", retry_num=2)
    _wait_for_response(stack, count=3)
    stack.actor.click(user, message=message, action_id="pulse_score_5")
    _wait_for_response(stack, count=4)
    assert [a.score for a in answers(stack)] == [5]  # a later tap replaces the earlier one


def test_after_48_hours_the_pulse_has_closed(stack: SandboxStack) -> None:
    user, _, message = pulse_dm(stack)
    stack.clock.set(PULSE_AT + timedelta(hours=48, minutes=1))
    stack.actor.click(user, message=message, action_id="pulse_score_3")
    response = _wait_for_response(stack)
    assert "closed" in response["text"]
    assert answers(stack) == []


def test_someone_elses_click_or_an_unknown_send_records_nothing(stack: SandboxStack) -> None:
    _, _, message = pulse_dm(stack)
    intruder = stack.emulator.add_user(name="eve")["id"]
    stack.actor.click(intruder, message=message, action_id="pulse_score_1")
    assert "someone else" in _wait_for_response(stack)["text"]
    forged = {**message, "blocks": _with_value(message["blocks"], "999999:5")}
    stack.actor.click(intruder, message=forged, value="999999:5")
    assert "couldn't find" in _wait_for_response(stack, count=2)["text"]
    assert answers(stack) == []


def test_note_modal_validates_then_saves_under_the_key(stack: SandboxStack) -> None:
    user, dm, message = pulse_dm(stack)
    stack.actor.click(user, message=message, action_id="pulse_score_4")
    _wait_for_response(stack)
    stack.actor.click(user, message=message, action_id="pulse_note")
    (opened,) = stack.emulator.wait_for("views.open")
    view = next(iter(stack.emulator.open_views.values()))
    blank = stack.actor.submit_view(user, view, {"pulse_note_text": "   "})
    assert blank.json["response_action"] == "errors"
    too_long = stack.actor.submit_view(user, view, {"pulse_note_text": "x" * 1001})
    assert "1000" in too_long.json["errors"]["pulse_note_text"]
    ok = stack.actor.submit_view(user, view, {"pulse_note_text": "Rough call <!channel> @here"})
    assert ok.status == 200
    assert ok.json is None  # closes the modal
    assert "Rough call" not in str(stack.emulator.messages(dm))  # never shown in the DM
    with stack.runtime.sessions() as session:
        notes = list(session.scalars(select(PulseNote)))
    assert [n.text for n in notes] == ["Rough call <!channel> @here"]
    key = respondent_key(SANDBOX_SECRET, stack.emulator.team_id, user, day=PULSE_AT.date())
    assert notes[0].respondent_key == key
    assert opened.ok


def test_second_question_is_answered_from_the_dm(stack: SandboxStack) -> None:
    user, _, message = pulse_dm(stack)
    stack.actor.click(user, message=message, action_id="pulse_score_3")
    _wait_for_response(stack)
    assert "recommend working here" in str(message["blocks"])  # eNPS: first pulse of March
    stack.actor.click(user, message=message, action_id="pulse_extra_9")
    _wait_for_response(stack, count=2)
    with stack.runtime.sessions() as session:
        extra = list(session.scalars(select(PulseExtraAnswer)))
    assert [(e.question_key, e.value) for e in extra] == [("enps", 9)]


def test_reminder_once_and_only_if_unanswered(stack: SandboxStack) -> None:
    quiet, quiet_dm, _ = pulse_dm(stack, "quiet")
    talker = stack.emulator.add_user(name="talker", tz="Europe/London")["id"]
    stack.run_job("sync-users")
    stack.run_job("pulses", PULSE_AT + timedelta(minutes=5))
    talker_dm = stack.actor.dm_of(talker)
    stack.actor.click(
        talker, message=stack.actor.latest_message(talker_dm), action_id="pulse_score_5"
    )
    _wait_for_response(stack)
    assert stack.run_job("reminders", PULSE_AT + timedelta(hours=3))["T0SANDBOX"]["reminded"] == 0
    assert stack.run_job("reminders", PULSE_AT + timedelta(hours=4))["T0SANDBOX"]["reminded"] == 1
    assert stack.run_job("reminders", PULSE_AT + timedelta(hours=5))["T0SANDBOX"]["reminded"] == 0
    assert len(stack.emulator.messages(quiet_dm)) == 2
    assert len(stack.emulator.messages(talker_dm)) == 1
    assert quiet


def test_database_dump_has_no_slack_user_ids(stack: SandboxStack) -> None:
    user, dm, message = pulse_dm(stack)
    stack.actor.click(user, message=message, action_id="pulse_score_4")
    _wait_for_response(stack)
    stack.actor.click(user, message=message, action_id="pulse_extra_7")
    _wait_for_response(stack, count=2)
    stack.actor.click(user, message=stack.actor.latest_message(dm), action_id="pulse_note")
    stack.emulator.wait_for("views.open")
    view = next(iter(stack.emulator.open_views.values()))
    stack.actor.submit_view(user, view, {"pulse_note_text": "fine"})
    dump: list[str] = []
    with stack.runtime.sessions() as session:
        for table in ("pulse_answer", "pulse_note", "pulse_extra_answer"):
            rows = session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
            assert rows, table
            dump.extend(str(tuple(row)) for row in rows)
        assert session.scalar(select(PulseSend.id)) is not None
    assert dump
    assert not any(user in row or user.lower() in row for row in dump)


def _with_value(blocks: list[dict[str, Any]], value: str) -> list[dict[str, Any]]:
    """The same blocks with the first face's value replaced (a forged or stale button)."""
    copied = [dict(b) for b in blocks]
    for block in copied:
        if block["type"] == "actions":
            block["elements"] = [dict(block["elements"][0], value=value)]
            break
    return copied


def _wait_for_response(stack: SandboxStack, count: int = 1) -> dict[str, Any]:
    """The latest body the app posted to a response_url (ephemeral replies to clicks)."""
    return stack.emulator.wait_for(RESPONSE_CALL, count=count)[-1].args


@pytest.mark.parametrize("error", ["message_not_found", "cant_update_message"])
def test_a_saved_tap_is_never_called_unrecorded_when_the_dm_cannot_be_updated(
    stack: SandboxStack, error: str
) -> None:
    user, _, message = pulse_dm(stack)
    buttons = next(b for b in message["blocks"] if b["type"] == "actions")["elements"]
    stack.emulator.inject_fault("chat.update", "error", error=error)
    assert stack.actor.click(user, message=message, value=buttons[3]["value"]).status == 200
    (said,) = stack.emulator.wait_for(RESPONSE_CALL)
    # The DM is never edited (tests/privacy/test_dm_readback.py), so the confirmation
    # does not depend on chat.update at all.
    assert said.args["text"] == ANSWERED_TEXT
    assert "nothing" not in said.args["text"].lower()
    assert [a.score for a in answers(stack)] == [4]
