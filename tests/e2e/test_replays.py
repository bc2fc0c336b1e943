"""Replays and retries: one signed request delivered twice does its work once."""

from __future__ import annotations

import json

from bot.core import ids
from tests.support.moments import counts, opened_view, valid_values
from tests.support.seeding import lead_clicks_reply_on_a_note
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view


def replay(stack: SandboxStack) -> int:
    """Deliver the last request again, byte for byte and freshly signed; its HTTP status."""
    assert stack.actor.last_request is not None
    body, content_type = stack.actor.last_request
    return stack.actor.send(body, content_type).status


def drain(stack: SandboxStack) -> None:
    """Wait for every listener the app started (Bolt runs them after acking)."""
    stack.app.listener_runner.listener_executor.shutdown(wait=True)
    assert stack.runtime.background.wait_idle(timeout=5)  # the Home publishes off-thread


def test_a_replayed_moment_submission_stores_one_moment(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    assert stack.actor.submit_view(user, view, valid_values()).status == 200
    stack.emulator.wait_for("chat.postEphemeral")
    assert replay(stack) == 200
    drain(stack)
    assert counts(stack) == (1, 1)
    assert len(stack.emulator.calls_to("chat.postEphemeral")) == 1


def test_a_submission_answered_with_errors_can_be_fixed_and_sent(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    bad = stack.actor.submit_view(user, view, valid_values(**{ids.MOMENT_WHEN: "2099-01-01"}))
    assert bad.json is not None
    assert bad.json["response_action"] == "errors"
    assert stack.actor.submit_view(user, view, valid_values()).status == 200  # same view, hash
    stack.emulator.wait_for("chat.postEphemeral")
    drain(stack)
    assert counts(stack) == (1, 1)


def test_a_replayed_note_reply_is_sent_once(stack: SandboxStack) -> None:
    lead, staff = lead_clicks_reply_on_a_note(stack)
    modal = open_view(stack.emulator, ids.NOTE_REPLY_VIEW)
    stack.actor.submit_view(lead, modal, {ids.NOTE_REPLY_TEXT: "Let's fix the rota"})
    stack.emulator.wait_for("chat.postMessage")
    assert replay(stack) == 200
    drain(stack)
    author_dm = stack.actor.dm_of(staff[2])
    sent = [m for m in stack.emulator.messages(author_dm) if "fix the rota" in json.dumps(m)]
    assert len(sent) == 1


def test_a_slack_retry_of_an_event_does_not_repeat_its_work(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    assert stack.actor.app_home_opened(user).status == 200
    stack.emulator.wait_for("views.publish")
    for attempt in (1, 2):
        assert stack.actor.resend(retry_num=attempt).status == 200
    drain(stack)
    assert len(stack.emulator.calls_to("views.publish")) == 1
