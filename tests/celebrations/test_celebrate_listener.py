"""`/cx celebrate @name` through ``app.dispatch(BoltRequest)``: the same app, no server."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Celebration
from tests.support.dispatch import DispatchedApp

LEAD, ALEX = "U0LEE", "U0ALEX"

pytestmark = pytest.mark.stack(leads=(LEAD,), celebrations_channel="celebrations")


def test_a_lead_celebrates_someone_in_the_channel_once(dispatched: DispatchedApp) -> None:
    dispatched.emulator.add_user(LEAD, name="lee")
    dispatched.emulator.add_user(ALEX, name="alex")
    channel = dispatched.emulator.add_channel("celebrations")

    reply = dispatched.actor.slash_command(LEAD, f"celebrate <@{ALEX}> for a rescued renewal")
    dispatched.drain()

    assert reply.status == 200
    (post,) = [
        call
        for call in dispatched.emulator.calls_to("chat.postMessage")
        if call.args.get("channel") in (channel, "celebrations")
    ]
    assert f"<@{ALEX}>" in post.args["text"]
    assert "rescued renewal" in post.args["text"]
    with dispatched.runtime.sessions() as session:
        (saved,) = session.scalars(
            select(Celebration).options(selectinload(Celebration.recipients))
        ).all()
        assert saved.celebrated_by == LEAD
        assert [r.slack_user_id for r in saved.recipients] == [ALEX]
        assert saved.message_ts == dispatched.emulator.messages(channel)[-1]["ts"]


def test_someone_who_is_not_a_lead_is_refused_and_nothing_is_saved(
    dispatched: DispatchedApp,
) -> None:
    dispatched.emulator.add_user(ALEX, name="alex")
    bea = dispatched.emulator.add_user(name="bea")["id"]
    dispatched.emulator.add_channel("celebrations")

    reply = dispatched.actor.slash_command(ALEX, f"celebrate <@{bea}> for the save")
    dispatched.drain()

    assert reply.status == 200
    (answer,) = dispatched.emulator.calls_to("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert f"Celebrations are posted by leads (<@{LEAD}>)" in answer.args["text"]
    assert dispatched.emulator.calls_to("chat.postMessage") == []
    with dispatched.runtime.sessions() as session:
        assert session.scalars(select(Celebration)).all() == []
