"""A person writing to the bot in its Messages tab gets a short, friendly pointer, once."""

from __future__ import annotations

from tests.support.dm_taps import dm_event
from tests.support.stack import SandboxStack


def drain(stack: SandboxStack) -> None:
    stack.app.listener_runner.listener_executor.shutdown(wait=True)


def test_a_dm_to_the_bot_gets_a_short_help_once(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    dm = stack.runtime.clients.default().conversations_open(users=user)["channel"]["id"]
    assert stack.actor.event(dm_event(user, dm, "hi, how do I log a moment?")).status == 200
    (reply,) = stack.emulator.wait_for("chat.postMessage")
    assert reply.args["channel"] == dm
    assert "/cx help" in reply.args["text"]
    assert len(reply.args["text"]) < 400
    assert stack.actor.resend(retry_num=1).status == 200  # Slack retries: no second reply
    drain(stack)
    assert len(stack.emulator.messages(dm)) == 1


def test_the_bots_own_messages_and_edits_get_no_answer(stack: SandboxStack) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    dm = stack.runtime.clients.default().conversations_open(users=user)["channel"]["id"]
    bot = stack.emulator.bot_user_id
    stack.actor.event(dm_event(bot, dm, "a pulse", bot_id="B0SANDBOX"))
    stack.actor.event(dm_event(user, dm, "edited", subtype="message_changed"))
    drain(stack)
    assert stack.emulator.calls_to("chat.postMessage") == []
