"""app_home_opened through ``app.dispatch(BoltRequest)``: the same app, no server (fast)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.settings.store import pause
from models import Person
from tests.support.dispatch import DispatchedApp
from tests.support.stack import START


def test_opening_the_home_publishes_it_from_what_the_database_holds(
    dispatched: DispatchedApp,
) -> None:
    user = dispatched.emulator.add_user(name="gus", tz="Europe/London")["id"]
    dispatched.run_job("sync-users")
    with dispatched.runtime.transaction() as session:
        person = session.scalars(select(Person).where(Person.slack_user_id == user)).one()
        pause(session, person=person, days=3, today=START.date(), now=START)

    answer = dispatched.actor.app_home_opened(user)
    dispatched.drain()

    assert answer.status == 200
    (call,) = dispatched.emulator.calls_to("views.publish")
    assert call.args["user_id"] == user
    assert call.args["view"]["type"] == "home"
    last_day = START.date() + timedelta(days=2)
    shown = str(call.args["view"]["blocks"])
    assert "Paused until" in shown
    assert f"{last_day:%a} {last_day.day} {last_day:%b}" in shown
