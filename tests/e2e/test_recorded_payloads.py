"""Slack's own recorded payloads (from its SDK test suites) replayed at the app, signed.

Only the ids that route a request to this workspace, person, channel, message or modal
are changed (tests/fixtures/slack_payloads/SOURCE lists them); every other field stays
as Slack's SDKs recorded it, so the app is tested against Slack, not against our emulator.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from bot.core import ids
from models import PulseAnswer, Workspace
from slack_emulator.webhooks import RESPONSE_CALL
from tests.support.moments import opened_view
from tests.support.oauth import install, oauth_stack
from tests.support.pulse import PULSE_AT
from tests.support.stack import SandboxStack
from tests.support.waiting import wait_until

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "slack_payloads"


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def post_interactive(stack: SandboxStack, payload: dict[str, Any]) -> Any:
    body = urlencode({"payload": json.dumps(payload)})
    return stack.actor.send(body, "application/x-www-form-urlencoded")


def post_event(stack: SandboxStack, envelope: dict[str, Any]) -> Any:
    return stack.actor.send(json.dumps(envelope), "application/json")


def _route_team(payload: dict[str, Any], stack: SandboxStack, user: str) -> None:
    """Point Slack's recorded team, enterprise and app at the sandbox workspace."""
    team = stack.emulator.team_id
    payload["api_app_id"] = stack.emulator.app_id
    payload["team"] = {**payload["team"], "id": team}
    # The sandbox workspace is not part of an Enterprise Grid org.
    payload["team"].pop("enterprise_id", None)
    payload["team"].pop("enterprise_name", None)
    payload["user"] = {**payload["user"], "id": user, "team_id": team}


def test_url_verification_as_recorded(stack: SandboxStack) -> None:
    challenge = recorded("url_verification.json")
    reply = post_event(stack, challenge)
    assert reply.status == 200
    assert reply.json == {"challenge": challenge["challenge"]}


def test_slash_command(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="primary-owner")["id"]
    form = dict(recorded("slash_command.json")["form"])
    team = stack.emulator.team_id
    channel = stack.emulator.general_channel().id
    form.update(
        team_id=team,
        channel_id=channel,
        user_id=user,
        command="/cx",
        api_app_id=stack.emulator.app_id,
        response_url=stack.emulator.new_response_url(team, user, channel),
        trigger_id=stack.emulator.issue_trigger_id(team, user),
    )
    del form["enterprise_id"], form["enterprise_name"]
    reply = stack.actor.send(urlencode(form), "application/x-www-form-urlencoded")
    assert reply.status == 200
    assert reply.json is not None
    assert reply.json["response_type"] == "ephemeral"
    blocks = json.dumps(reply.json["blocks"])
    assert "`Hi`" in blocks  # Slack's recorded text: not a /cx word, so the help says so
    assert "/cx help" in blocks


def test_block_actions_tap_on_the_pulse(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="primary-owner", tz="Europe/London")["id"]
    stack.run_job("sync-users")
    stack.run_job("pulses", PULSE_AT)
    dm = stack.actor.dm_of(user)
    message = stack.actor.latest_message(dm)
    block = next(b for b in message["blocks"] if b["type"] == "actions")
    button = block["elements"][3]
    payload = recorded("block_actions.json")
    _route_team(payload, stack, user)
    payload["container"].update(message_ts=message["ts"], channel_id=dm)
    payload["channel"] = {"id": dm, "name": "directmessage"}
    payload["response_url"] = stack.emulator.new_response_url(
        stack.emulator.team_id, user, dm, message["ts"]
    )
    payload["actions"][0].update(
        action_id=button["action_id"], block_id=block["block_id"], value=button["value"]
    )
    # As recorded, the click came from an ephemeral message, so Slack sent no `message`.
    assert "message" not in payload
    assert post_interactive(stack, payload).status == 200
    # Confirmed through the payload's response_url, ephemerally; the DM is never edited.
    (reply,) = stack.emulator.wait_for(RESPONSE_CALL)
    assert reply.args["response_type"] == "ephemeral"
    assert stack.emulator.calls_to("chat.update") == []
    with stack.runtime.sessions() as session:
        assert [a.score for a in session.scalars(select(PulseAnswer))] == [4]


def test_view_submission_of_a_modal_the_app_does_not_know_as_recorded(
    stack: SandboxStack,
) -> None:
    """Slack's recorded submission, routed to the moment modal with its own fields."""
    user = stack.emulator.add_user(name="primary-owner")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    payload = recorded("view_submission.json")
    _route_team(payload, stack, user)
    payload["trigger_id"] = stack.emulator.issue_trigger_id(stack.emulator.team_id, user)
    payload["view"].update(
        id=view["id"], callback_id=ids.MOMENT_MODAL, team_id=payload["team"]["id"]
    )
    payload["view"]["private_metadata"] = view.get("private_metadata", "")
    reply = post_interactive(stack, payload)
    # The recorded state has none of the modal's fields: the app answers inline, no crash.
    assert reply.status == 200
    assert reply.json is not None
    assert reply.json["response_action"] == "errors"


def test_message_shortcut(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="test-test")["id"]
    payload = recorded("message_shortcut.json")
    _route_team(payload, stack, user)
    channel = stack.emulator.general_channel().id
    payload.update(
        callback_id=ids.MOMENT_SHORTCUT,
        trigger_id=stack.emulator.issue_trigger_id(stack.emulator.team_id, user),
        channel={"id": channel, "name": "general"},
        response_url=stack.emulator.new_response_url(stack.emulator.team_id, user, channel),
    )
    payload["message"]["team"] = stack.emulator.team_id
    assert post_interactive(stack, payload).status == 200
    view = opened_view(stack)
    assert view["callback_id"] == ids.MOMENT_MODAL
    assert "test" in json.dumps(view["blocks"])


def test_app_home_opened(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="home")["id"]
    envelope = recorded("app_home_opened.json")
    envelope.update(team_id=stack.emulator.team_id, api_app_id=stack.emulator.app_id)
    del envelope["enterprise_id"]
    envelope["event"].update(user=user)
    envelope["event"].pop("channel")  # the recorded DM id is not a channel of this workspace
    assert post_event(stack, envelope).status == 200
    (call,) = stack.emulator.wait_for("views.publish")
    assert call.args["user_id"] == user


def _uninstall_event(name: str, team_id: str, stack: SandboxStack) -> dict[str, Any]:
    envelope = copy.deepcopy(recorded(name))
    envelope.update(team_id=team_id, api_app_id=stack.emulator.app_id)
    # The recorded payloads share one event_id; Slack's are unique per event, and the app
    # drops a repeated event_id as Slack's retry of an event it already handled.
    envelope["event_id"] = f"Ev{team_id}{name.split('.')[0].upper()}"
    del envelope["enterprise_id"]
    return envelope


def _inactive(stack: SandboxStack, team_id: str) -> bool | None:
    with stack.runtime.sessions() as session:
        ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
        return (ws is not None and not ws.active) or None


def test_app_uninstalled_and_tokens_revoked(db_url: str) -> None:
    with oauth_stack(db_url) as stack:
        install(stack, "TAAA", "Acme")
        install(stack, "TBBB", "Bolt Co")
        stack.run_job("sync-users")
        envelope = _uninstall_event("app_uninstalled.json", "TBBB", stack)
        assert post_event(stack, envelope).status == 200
        wait_until(lambda: _inactive(stack, "TBBB"), what="TBBB marked inactive")

        revoked = _uninstall_event("tokens_revoked.json", "TAAA", stack)
        revoked["event"]["tokens"] = {"bot": ["UBOTAAA"]}
        # Both recorded fixtures carry event_id "Ev111"; two different events never share
        # one in Slack, and the second would be taken for a redelivery of the first.
        revoked["event_id"] = "Ev222"
        assert post_event(stack, revoked).status == 200
        wait_until(lambda: _inactive(stack, "TAAA"), what="TAAA marked inactive")
