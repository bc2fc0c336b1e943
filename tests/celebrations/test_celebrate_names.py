"""`/cx celebrate @name` when Slack sends the name as plain text (an app without escaping)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.workspace import roles
from slack_emulator import SlackEmulator
from tests.support.stack import START, SandboxStack

PLAIN = {
    "display_information": {"name": "CX Pulse"},
    "features": {
        "slash_commands": [{"command": "/cx", "description": "d", "should_escape": False}]
    },
}


@pytest.fixture
def plain_slack(db_url: str) -> Iterator[tuple[SandboxStack, dict[str, str]]]:
    roles.clear_cache()
    emulator = SlackEmulator(manifest=PLAIN).start()
    people = {
        name: emulator.add_user(name=name)["id"] for name in ("lee", "alex", "jo.smith", "jo.brown")
    }
    channel = emulator.add_channel("celebrations")
    settings: dict[str, Any] = {"leads": (people["lee"],), "celebrations_channel": channel}
    with SandboxStack.start(db_url, now=START, migrate=False, emulator=emulator, **settings) as st:
        st.run_job("sync-users")
        yield st, people | {"channel": channel}
    roles.clear_cache()


def test_a_plain_name_is_celebrated_as_the_person(
    plain_slack: tuple[SandboxStack, dict[str, str]],
) -> None:
    stack, ids = plain_slack
    # Picked from the @ menu, but the manifest doesn't ask Slack to escape: plain "@alex".
    reply = stack.actor.slash_command(ids["lee"], f"celebrate <@{ids['alex']}> for the save")
    assert reply.status == 200
    (post,) = stack.emulator.wait_for(
        "chat.postMessage", lambda c: c.args.get("channel") == ids["channel"]
    )
    assert f"<@{ids['alex']}>" in post.args["text"]
    stack.emulator.wait_for("response_url")


def test_an_ambiguous_plain_name_is_answered_and_nothing_posted(
    plain_slack: tuple[SandboxStack, dict[str, str]],
) -> None:
    stack, ids = plain_slack
    reply = stack.actor.slash_command(ids["lee"], "celebrate @jo for the rescue")
    assert reply.json is not None
    assert reply.json["response_type"] == "ephemeral"
    text = reply.json["text"]
    assert "@jo could be" in text
    assert f"<@{ids['jo.smith']}>" in text
    assert f"<@{ids['jo.brown']}>" in text
    stack.runtime.background.wait_idle(timeout=5)
    assert stack.emulator.calls_to("chat.postMessage") == []
    assert "<!" not in json.dumps(reply.json)
