"""Days off over signed HTTP: "Skip today" on the DM, workspace holidays, streaks that survive."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.core import ids
from models import PulseAnswer, PulseExtraAnswer, PulseNote, PulseSend, PulseSendFlag
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.admin import VALID, admin_config, admin_user, open_admin
from tests.support.pulse import PULSE_AT
from tests.support.stack import SandboxStack
from tests.support.waiting import response_text

TUESDAY = PULSE_AT + timedelta(days=1)
WEDNESDAY = PULSE_AT + timedelta(days=2)


def _pulse(stack: SandboxStack, user: str, at: datetime) -> dict[str, Any] | None:
    """Run the pulse job at ``at``; the DM it posted to ``user`` (None when none went out)."""
    posted = len(stack.emulator.calls_to("chat.postMessage"))
    stack.run_job("pulses", at)
    if len(stack.emulator.calls_to("chat.postMessage")) == posted:
        return None
    return stack.actor.latest_message(stack.actor.dm_of(user))


def _tap(stack: SandboxStack, user: str, message: dict[str, Any], score: int) -> str:
    """Tap a face; the streak as the person's App Home then shows it ("Streak: 2 days").

    The DM is never edited after a tap (tests/privacy/test_dm_readback.py): the tap gets
    an ephemeral reply, and the streak lives on App Home.
    """
    buttons = next(b for b in message["blocks"] if b["type"] == "actions")["elements"]
    replies = len(stack.emulator.calls_to(RESPONSE_CALL))
    assert stack.actor.click(user, message=message, value=buttons[score - 1]["value"]).status == 200
    stack.emulator.wait_for(RESPONSE_CALL, count=replies + 1)
    published = len(stack.emulator.calls_to("views.publish"))
    stack.actor.app_home_opened(user)
    home = stack.emulator.wait_for("views.publish", count=published + 1)[-1]
    found = re.search(r"Streak: \d+ days?", json.dumps(home.args["view"], ensure_ascii=False))
    assert found is not None
    return found.group(0)


def _person(stack: SandboxStack, name: str = "ann") -> str:
    user = str(stack.emulator.add_user(name=name, tz="Europe/London")["id"])
    stack.run_job("sync-users")
    return user


def _rows(stack: SandboxStack, model: Any) -> list[Any]:
    with stack.runtime.sessions() as session:
        return list(session.scalars(select(model)))


def test_face_buttons_carry_accessibility_labels(stack: SandboxStack) -> None:
    user = _person(stack)
    message = _pulse(stack, user, PULSE_AT)
    assert message is not None
    faces = next(b for b in message["blocks"] if b["type"] == "actions")["elements"]
    assert [f["accessibility_label"] for f in faces] == [
        "1 of 5, awful",
        "2 of 5, meh",
        "3 of 5, okay",
        "4 of 5, good",
        "5 of 5, great",
    ]


def test_skip_today_records_nothing_sends_no_reminder_and_keeps_the_streak(
    stack: SandboxStack,
) -> None:
    user = _person(stack)
    monday = _pulse(stack, user, PULSE_AT)
    assert monday is not None
    assert _tap(stack, user, monday, 4).endswith("Streak: 1 day")

    tuesday = _pulse(stack, user, TUESDAY)
    assert tuesday is not None
    replies = len(stack.emulator.calls_to(RESPONSE_CALL))
    skip = stack.actor.click(user, message=tuesday, action_id=ids.PULSE_SKIP)
    assert skip.status == 200
    reply = stack.emulator.wait_for(RESPONSE_CALL, count=replies + 1)[-1]
    assert "Skipped" in reply.args["text"]
    assert reply.args["response_type"] == "ephemeral"
    assert stack.emulator.calls_to("chat.update") == []  # the DM says nothing about it
    # Nothing recorded for Tuesday: no answer, no second answer, no note.
    tuesday_day = date(2026, 3, 3)
    assert [a.pulse_date for a in _rows(stack, PulseAnswer)] == [date(2026, 3, 2)]
    assert [a for a in _rows(stack, PulseExtraAnswer) if a.pulse_date == tuesday_day] == []
    assert _rows(stack, PulseNote) == []
    # No reminder for a skipped day.
    reminded = stack.run_job("reminders", TUESDAY + timedelta(hours=4, minutes=1))
    assert reminded[stack.emulator.team_id]["reminded"] == 0
    # The send row says nothing of the skip (a dump could not tell it from an answered
    # day): the skip is a keyed trace with no person, which only the app can find again.
    sends = {s.pulse_date: (s.status, s.error) for s in _rows(stack, PulseSend)}
    assert sends[tuesday_day] == ("sent", None)
    assert [f.pulse_date for f in _rows(stack, PulseSendFlag)] == [tuesday_day]

    wednesday = _pulse(stack, user, WEDNESDAY)
    assert wednesday is not None
    assert _tap(stack, user, wednesday, 3).endswith("Streak: 2 days")
    # Once the window closed, the skipped day's send goes (participation does not count it).
    stack.run_job("pulse-window", TUESDAY + timedelta(days=4))
    assert tuesday_day not in {s.pulse_date for s in _rows(stack, PulseSend)}
    assert _rows(stack, PulseSendFlag) == []


def test_skip_today_is_refused_politely_for_someone_else(stack: SandboxStack) -> None:
    user = _person(stack)
    other = _person(stack, "bob")
    message = _pulse(stack, user, PULSE_AT)
    assert message is not None
    stack.actor.click(other, message=message, action_id=ids.PULSE_SKIP)
    assert "someone else" in response_text(stack.emulator)["text"]
    assert {s.status for s in _rows(stack, PulseSend)} == {"sent"}


@pytest.fixture
def holiday_stack(db_url: str) -> Any:
    with SandboxStack.start(
        db_url, now=PULSE_AT, migrate=False, holidays=(date(2026, 3, 3),)
    ) as running:
        yield running


def test_no_pulse_and_no_reminder_on_a_holiday_and_the_streak_goes_on(
    holiday_stack: SandboxStack,
) -> None:
    stack = holiday_stack
    user = _person(stack)
    monday = _pulse(stack, user, PULSE_AT)
    assert monday is not None
    _tap(stack, user, monday, 5)
    assert _pulse(stack, user, TUESDAY) is None  # 3 March is a holiday
    reminded = stack.run_job("reminders", TUESDAY + timedelta(hours=4, minutes=1))
    assert reminded[stack.emulator.team_id]["reminded"] == 0
    wednesday = _pulse(stack, user, WEDNESDAY)
    assert wednesday is not None
    assert _tap(stack, user, wednesday, 4).endswith("Streak: 2 days")


def test_holidays_set_in_cx_admin_stop_pulses(stack: SandboxStack) -> None:
    admin = admin_user(stack)
    view = open_admin(stack, admin)
    answer = stack.actor.submit_view(
        admin,
        view,
        {
            **VALID,
            ids.ADMIN_WORKING_DAYS: ["0", "1", "2", "3", "4"],
            ids.ADMIN_HOLIDAYS: "2026-03-03, 2026-12-25",
        },
    )
    assert answer.json is not None
    assert answer.json["response_action"] == "update"
    assert admin_config(stack).holidays == (date(2026, 3, 3), date(2026, 12, 25))
    again = open_admin(stack, admin, count=2)
    block = next(b for b in again["blocks"] if b.get("block_id") == ids.ADMIN_HOLIDAYS)
    assert block["element"]["initial_value"] == "2026-03-03, 2026-12-25"

    user = _person(stack)
    assert _pulse(stack, user, PULSE_AT) is not None
    assert _pulse(stack, user, TUESDAY) is None


def test_a_bad_holiday_date_gets_an_inline_error_and_nothing_is_saved(stack: SandboxStack) -> None:
    admin = admin_user(stack)
    view = open_admin(stack, admin)
    answer = stack.actor.submit_view(admin, view, {**VALID, ids.ADMIN_HOLIDAYS: "25/12/2026"})
    assert answer.json is not None
    assert answer.json["response_action"] == "errors"
    assert "25/12/2026" in answer.json["errors"][ids.ADMIN_HOLIDAYS]
    assert admin_config(stack).holidays == ()
