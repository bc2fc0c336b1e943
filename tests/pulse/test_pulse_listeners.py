"""The pulse tap through ``app.dispatch(BoltRequest)``: the same app, no server (fast)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core import ids
from models import PulseAnswer
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.dispatch import DispatchedApp
from tests.support.pulse import PULSE_AT


def test_a_tap_on_the_posted_pulse_is_saved_and_confirmed_to_the_person_alone(
    dispatched: DispatchedApp,
) -> None:
    user = dispatched.emulator.add_user(name="ann", tz="Europe/London")["id"]
    dispatched.run_job("sync-users")
    dispatched.run_job("pulses", PULSE_AT)
    dm = dispatched.actor.latest_message(dispatched.actor.dm_of(user))

    answer = dispatched.actor.click(user, message=dm, action_id=f"{ids.PULSE_SCORE}_4")
    dispatched.drain()

    assert answer.status == 200
    (reply,) = dispatched.emulator.calls_to(RESPONSE_CALL)
    assert reply.args["response_type"] == "ephemeral"
    assert dispatched.emulator.calls_to("chat.update") == []  # the DM itself never changes
    with dispatched.runtime.sessions() as session:
        (saved,) = session.scalars(select(PulseAnswer)).all()
        assert (saved.score, saved.pulse_date) == (4, PULSE_AT.date())
