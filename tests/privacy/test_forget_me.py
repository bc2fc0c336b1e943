"""Attack on trust: forget-me must not re-enroll someone who paused or opted out.

Someone who paused (or opted out) and then asked to be forgotten must stay paused (or
out); and nobody is sent today's pulse again just because its record was forgotten.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.core import ids
from models import PulseAnswer, PulseNote, PulseSend
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view, wait_until

MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # London


def _pulses_in(stack: SandboxStack, user: str) -> int:
    try:
        dm = stack.actor.dm_of(user)
    except AssertionError:
        return 0
    return sum(
        1
        for m in stack.emulator.messages(dm)
        if (m.get("metadata") or {}).get("event_type") == "cxpulse_pulse"
    )


def _forget(stack: SandboxStack, user: str) -> None:
    stack.actor.slash_command(user, "forget-me")
    confirm = open_view(stack.emulator, ids.PULSE_FORGET_VIEW)
    done = stack.actor.submit_view(user, confirm)
    assert done.status == 200


def _count(stack: SandboxStack, model: type) -> int:
    with stack.runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _ann(stack: SandboxStack) -> str:
    """Ann in London, synced from the directory: her user id."""
    ann = stack.emulator.add_user(name="ann", tz="Europe/London")["id"]
    stack.run_job("sync-users")
    return ann


def _forget_then_no_pulses(stack: SandboxStack, user: str, *, days: int) -> None:
    """``user`` forgets themself: the next ``days`` days' pulse runs send them nothing."""
    _forget(stack, user)
    for day in range(days):
        stack.run_job("pulses", MONDAY_10 + timedelta(days=day))
    assert _pulses_in(stack, user) == 0


def test_forget_me_keeps_a_pause(stack: SandboxStack) -> None:
    ann = _ann(stack)
    stack.clock.set(MONDAY_10 - timedelta(hours=2))
    paused = stack.actor.slash_command(ann, "pause 5")
    assert "paused" in str(paused.json)
    _forget_then_no_pulses(stack, ann, days=5)


def test_forget_me_keeps_an_opt_out(stack: SandboxStack) -> None:
    ann = _ann(stack)
    stack.clock.set(MONDAY_10 - timedelta(hours=2))
    stack.actor.slash_command(ann, "settings")
    settings = open_view(stack.emulator, ids.PULSE_SETTINGS_VIEW)
    stack.actor.submit_view(ann, settings, {ids.PULSE_SETTINGS_OPT_OUT_BLOCK: ["opt_out"]})
    _forget_then_no_pulses(stack, ann, days=3)


def test_forget_me_deletes_everything_and_does_not_resend_today(stack: SandboxStack) -> None:
    ann = _ann(stack)
    stack.run_job("pulses", MONDAY_10)
    message = stack.actor.latest_message(stack.actor.dm_of(ann))
    stack.actor.click(ann, message=message, action_id="pulse_score_2")
    wait_until(lambda: _count(stack, PulseAnswer) == 1, what="the answer")
    _forget(stack, ann)
    assert (_count(stack, PulseAnswer), _count(stack, PulseNote)) == (0, 0)
    assert _count(stack, PulseSend) == 0
    stack.run_job("pulses", MONDAY_10 + timedelta(minutes=30))
    stack.run_job("pulses", MONDAY_10 + timedelta(hours=3))
    assert _pulses_in(stack, ann) == 1  # today's pulse is not sent again
    stack.run_job("pulses", MONDAY_10 + timedelta(days=1))
    assert _pulses_in(stack, ann) == 2  # from tomorrow, as the modal promised
