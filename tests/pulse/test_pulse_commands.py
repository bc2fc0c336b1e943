"""`/cx pause|resume|settings|forget-me` and the App Home pulse section, over signed HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from models import Person, PulseAnswer, PulseNote, PulsePreference, PulseSend
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.stack import SandboxStack

MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # London


def person(stack: SandboxStack, name: str = "ann") -> str:
    user = stack.emulator.add_user(name=name, tz="Europe/London")["id"]
    stack.run_job("sync-users")
    return user


def preference(stack: SandboxStack, user: str) -> PulsePreference | None:
    with stack.runtime.sessions() as session:
        found = session.scalar(
            select(PulsePreference).join(Person).where(Person.slack_user_id == user)
        )
        return found


def latest_view(stack: SandboxStack, callback_id: str) -> dict[str, Any]:
    views = [v for v in stack.emulator.open_views.values() if v["callback_id"] == callback_id]
    assert views, f"no open {callback_id} modal"
    return views[-1]


def test_pause_rejects_bad_input_clearly(stack: SandboxStack) -> None:
    user = person(stack)
    for bad in ("pause", "pause 0", "pause 91", "pause lots"):
        reply = stack.actor.slash_command(user, bad)
        assert reply.status == 200
        assert "1 to 90" in reply.json["text"], bad
    assert preference(stack, user) is None


def settings_opened(stack: SandboxStack) -> tuple[str, dict[str, Any]]:
    """A new person types `/cx settings`: who, and the settings modal they were shown."""
    user = person(stack)
    stack.actor.slash_command(user, "settings")
    stack.emulator.wait_for("views.open")
    return user, latest_view(stack, "pulse_settings_view")


def test_pause_stops_pulses_and_resume_restarts_them(stack: SandboxStack) -> None:
    user = person(stack)
    stack.clock.set(MONDAY_10 - timedelta(hours=2))
    reply = stack.actor.slash_command(user, "pause 2")
    assert "through Tue 3 Mar" in reply.json["text"]
    stack.run_job("pulses", MONDAY_10)
    stack.run_job("pulses", MONDAY_10 + timedelta(days=1))
    assert stack.emulator.calls_to("chat.postMessage") == []
    assert "back on" in stack.actor.slash_command(user, "resume").json["text"]
    assert "weren't paused" in stack.actor.slash_command(user, "resume").json["text"]
    stack.run_job("pulses", MONDAY_10 + timedelta(days=1, minutes=5))
    assert len(stack.emulator.calls_to("chat.postMessage")) == 1


def test_settings_modal_inline_errors_then_saves(stack: SandboxStack) -> None:
    user, view = settings_opened(stack)
    no_days = stack.actor.submit_view(user, view, {"pulse_settings_days": []})
    assert no_days.json["response_action"] == "errors"
    assert "pulse_settings_days" in no_days.json["errors"]
    saved = stack.actor.submit_view(
        user, view, {"pulse_settings_time": "08:30", "pulse_settings_days": ["5", "6"]}
    )
    assert saved.status == 200
    assert saved.json is None
    pref = preference(stack, user)
    assert pref is not None
    assert (pref.pulse_time, pref.working_days, pref.opted_out) == (time(8, 30), "5,6", False)
    # Now only weekends at 08:30 London: Saturday 7 March.
    stack.run_job("pulses", MONDAY_10)
    assert stack.emulator.calls_to("chat.postMessage") == []
    stack.run_job("pulses", datetime(2026, 3, 7, 8, 30, tzinfo=UTC))
    assert len(stack.emulator.calls_to("chat.postMessage")) == 1


def test_opt_out_from_settings(stack: SandboxStack) -> None:
    user, view = settings_opened(stack)
    stack.actor.submit_view(user, view, {"pulse_settings_opt_out": ["opt_out"]})
    stack.run_job("pulses", MONDAY_10)
    assert stack.emulator.calls_to("chat.postMessage") == []


def _answer_today(stack: SandboxStack, user: str) -> None:
    dm = stack.actor.dm_of(user)
    replies = len(stack.emulator.calls_to(RESPONSE_CALL))
    opened = len(stack.emulator.calls_to("views.open"))
    stack.actor.click(user, message=stack.actor.latest_message(dm), action_id="pulse_score_4")
    stack.emulator.wait_for(RESPONSE_CALL, count=replies + 1)
    stack.actor.click(user, message=stack.actor.latest_message(dm), action_id="pulse_note")
    stack.emulator.wait_for("views.open", count=opened + 1)
    note_view = latest_view(stack, "pulse_note_view")
    stack.actor.submit_view(user, note_view, {"pulse_note_text": f"note from {user}"})


def _counts(stack: SandboxStack) -> dict[str, int]:
    with stack.runtime.sessions() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (PulseAnswer, PulseNote, PulseSend, PulsePreference)
        }


def test_forget_me_confirms_then_deletes_only_that_person(stack: SandboxStack) -> None:
    ann, bob = person(stack, "ann"), person(stack, "bob")
    stack.actor.slash_command(ann, "pause 1")  # gives ann a preferences row
    stack.run_job("pulses", MONDAY_10 + timedelta(days=1))
    for user in (ann, bob):
        _answer_today(stack, user)
    before = _counts(stack)
    assert before == {"pulse_answer": 2, "pulse_note": 2, "pulse_send": 2, "pulse_preference": 1}

    stack.actor.slash_command(ann, "forget-me")
    stack.emulator.wait_for("views.open", predicate=lambda c: "Forget" in str(c.args["view"]))
    confirm = latest_view(stack, "pulse_forget_view")
    assert _counts(stack) == before  # nothing is deleted before the confirmation
    done = stack.actor.submit_view(ann, confirm)
    assert done.json["response_action"] == "update"
    summary = str(done.json["view"]["blocks"])
    assert "1 pulse answer(s), 1 note(s)" in summary
    assert "Your settings (a pause or an opt-out) stay" in summary
    assert _counts(stack) == {
        "pulse_answer": 1,
        "pulse_note": 1,
        "pulse_send": 1,
        "pulse_preference": 1,  # kept: tests/privacy/test_forget_me.py
    }
    with stack.runtime.sessions() as session:
        (left,) = session.scalars(select(PulseNote))
    assert left.text == f"note from {bob}"


def test_app_home_shows_own_trend_and_its_buttons_work(stack: SandboxStack) -> None:
    user = person(stack)
    stack.run_job("pulses", MONDAY_10)
    dm = stack.actor.dm_of(user)
    stack.actor.click(user, message=stack.actor.latest_message(dm), action_id="pulse_score_5")
    stack.emulator.wait_for(RESPONSE_CALL)
    stack.actor.app_home_opened(user)
    (call,) = stack.emulator.wait_for("views.publish")
    home = str(call.args["view"]["blocks"])
    assert "Last 30 days:* 😄" in home
    assert "Streak: 1 day" in home

    stack.actor.click(user, view=stack.emulator.home_views[user], action_id="home_pulse_pause")
    stack.emulator.wait_for("views.open")
    pause_view = latest_view(stack, "pulse_pause_view")
    bad = stack.actor.submit_view(user, pause_view, {"pulse_pause_days": "120"})
    assert bad.json["response_action"] == "errors"
    ok = stack.actor.submit_view(user, pause_view, {"pulse_pause_days": "3"})
    assert ok.status == 200
    stack.emulator.wait_for("views.publish", count=2)
    paused_home = stack.emulator.home_views[user]
    assert "Paused until" in str(paused_home["blocks"])
    stack.actor.click(user, view=paused_home, action_id="home_pulse_resume")
    stack.emulator.wait_for("views.publish", count=3)
    assert "Next pulse" in str(stack.emulator.home_views[user]["blocks"])
    pref = preference(stack, user)
    assert pref is not None
    assert pref.paused_until is None

    stack.actor.click(user, view=stack.emulator.home_views[user], action_id="home_pulse_settings")
    stack.emulator.wait_for("views.open", count=2)
    assert latest_view(stack, "pulse_settings_view")["blocks"]
    stack.actor.click(user, view=stack.emulator.home_views[user], action_id="home_pulse_forget")
    stack.emulator.wait_for("views.open", count=3)
    assert latest_view(stack, "pulse_forget_view")["submit"]["text"] == "Delete my data"


def test_help_lists_the_pulse_words(stack: SandboxStack) -> None:
    user = person(stack)
    help_text = stack.actor.slash_command(user, "help").json["text"]
    for word in ("pause DAYS", "resume", "settings", "forget-me"):
        assert f"/cx {word}" in help_text
