"""The main flows over both ways Slack reaches the app: signed HTTP and Socket Mode."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.core import ids
from bot.demo.processes import new_emulator
from bot.workspace import roles
from models import Celebration, PulseAnswer
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.fixtures import TRANSPORTS
from tests.support.moments import only_moment, opened_view, valid_values
from tests.support.pulse import PULSE_AT
from tests.support.stack import START, SandboxStack
from tests.support.waiting import wait_until

# Each journey twice: over signed HTTP and over Socket Mode.
over_both = pytest.mark.parametrize("stack", TRANSPORTS, indirect=True)


@over_both
def test_help(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    reply = stack.actor.slash_command(user, "help")
    assert reply.status == 200
    assert reply.json is not None
    assert reply.json["response_type"] == "ephemeral"
    assert "/cx help" in json.dumps(reply.json["blocks"])
    # Its ack was timed by whichever transport carried it (after the answer went out).
    registry = stack.runtime.metrics.registry
    timed = {"kind": "command"}
    wait_until(lambda: registry.get_sample_value("cxpulse_slack_ack_seconds_count", timed))
    assert registry.get_sample_value("cxpulse_slack_ack_seconds_count", timed) == 1


@over_both
def test_pulse_tap(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ann", tz="Europe/London")["id"]
    stack.run_job("sync-users")
    stack.run_job("pulses", PULSE_AT)
    message = stack.actor.latest_message(stack.actor.dm_of(user))
    assert stack.actor.click(user, message=message, action_id="pulse_score_4").status == 200
    # Confirmed only to the person; the DM is never edited (tests/privacy/).
    (reply,) = stack.emulator.wait_for(RESPONSE_CALL)
    assert reply.args["response_type"] == "ephemeral"
    assert stack.emulator.calls_to("chat.update") == []
    with stack.runtime.sessions() as session:
        assert [a.score for a in session.scalars(select(PulseAnswer))] == [4]


@over_both
def test_moment_modal(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    reply = stack.actor.submit_view(user, view, valid_values(**{ids.MOMENT_WHAT: ""}))
    # A bad field is answered inline, in the ack itself (HTTP body or Socket Mode payload).
    assert reply.json is not None
    assert reply.json["response_action"] == "errors"
    assert ids.MOMENT_WHAT in reply.json["errors"]
    reply = stack.actor.submit_view(user, view, valid_values())
    assert (reply.json or {}).get("response_action") is None
    stack.emulator.wait_for("chat.postEphemeral")
    assert only_moment(stack).customer.name == "Globex"


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket_mode"])
def test_celebrate(db_url: str, socket_mode: bool) -> None:
    roles.clear_cache()
    emulator = new_emulator()
    lead = emulator.add_user(name="lee")["id"]
    alex = emulator.add_user(name="alex")["id"]
    channel = emulator.add_channel("celebrations")
    with SandboxStack.start(
        db_url,
        now=START,
        migrate=False,
        emulator=emulator,
        socket_mode=socket_mode,
        leads=(lead,),
        celebrations_channel="celebrations",
    ) as stack:
        reply = stack.actor.slash_command(lead, f"celebrate <@{alex}> for a rescued renewal")
        assert reply.status == 200
        (post,) = emulator.wait_for(
            "chat.postMessage", lambda c: c.args.get("channel") in (channel, "celebrations")
        )
        assert f"<@{alex}>" in post.args["text"]
        with stack.runtime.sessions() as session:
            assert len(list(session.scalars(select(Celebration)))) == 1
    roles.clear_cache()


@over_both
def test_app_home_opened(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="gus")["id"]
    assert stack.actor.app_home_opened(user).status == 200
    (call,) = stack.emulator.wait_for("views.publish")
    assert call.args["user_id"] == user
    assert call.args["view"]["type"] == "home"


def test_socket_mode_survives_a_dropped_socket_and_a_refresh(db_url: str) -> None:
    with SandboxStack.start(db_url, now=START, migrate=False, socket_mode=True) as stack:
        sockets = stack.emulator.socket_mode
        user = stack.emulator.add_user(name="ada")["id"]
        assert stack.actor.slash_command(user, "help").json is not None

        opened = sockets.connections_opened
        sockets.drop()
        # The next command waits for the app to notice and reconnect, as Slack queues it.
        reply = stack.actor.slash_command(user, "help")
        assert reply.json is not None
        assert "/cx help" in json.dumps(reply.json["blocks"])
        assert sockets.connections_opened > opened

        opened = sockets.connections_opened
        sockets.request_refresh()
        sockets.wait_connected(newer_than=opened)
        assert stack.actor.slash_command(user, "help").json is not None
        assert len(stack.emulator.calls_to("apps.connections.open")) == 3
