"""The digest finds its way into its channel: it joins a public one, or asks to be invited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from slack_emulator import SlackEmulator
from tests.support.stack import SandboxStack

MONDAY_9 = datetime(2026, 3, 16, 9, 5, tzinfo=UTC)


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    with SlackEmulator() as running:
        yield running


def start(db_url: str, emulator: SlackEmulator, admin: str) -> SandboxStack:
    return SandboxStack.start(
        db_url,
        now=MONDAY_9,
        migrate=False,
        emulator=emulator,
        digest_channels=("#cx-digest",),
        admins=(admin,),
    )


def test_the_digest_joins_a_public_channel_it_is_not_in(
    db_url: str, emulator: SlackEmulator
) -> None:
    admin = emulator.add_user(name="ann", is_admin=True)["id"]
    channel = emulator.add_channel("cx-digest", bot_is_member=False)
    with start(db_url, emulator, admin) as stack:
        report = stack.run_job("digests")
        assert report[emulator.team_id] == {"cx-digest": "sent"}
        assert [c.args["channel"] for c in emulator.calls_to("conversations.join")] == [channel]
        messages = emulator.messages(channel)
        assert len(messages) == 2  # the digest and its chart
        assert emulator.dm_channel(admin) is None  # nobody had to be bothered


def test_a_private_channel_asks_the_admin_to_invite_the_bot_once(
    db_url: str, emulator: SlackEmulator
) -> None:
    admin = emulator.add_user(name="ann", is_admin=True)["id"]
    channel = emulator.add_channel("cx-digest", is_private=True, bot_is_member=False)
    with start(db_url, emulator, admin) as stack:
        first = stack.run_job("digests")
        assert first[emulator.team_id]["cx-digest"].startswith("failed: not_in_channel")
        stack.run_job("digests", MONDAY_9 + timedelta(minutes=5))
        stack.run_job("digests", MONDAY_9 + timedelta(minutes=10))
        stack.run_job("digests", MONDAY_9 + timedelta(minutes=15))
        assert emulator.messages(channel) == []
        [asked] = emulator.messages(emulator.dm_channel(admin) or "")
        assert "/invite @CX Pulse" in asked["text"]
        assert "#cx-digest" in asked["text"]

        emulator.workspace().channels[channel].members.add(emulator.bot_user_id)  # invited
        later = stack.run_job("digests", MONDAY_9 + timedelta(minutes=20))
        assert later[emulator.team_id] == {"cx-digest": "sent"}
        assert len(emulator.messages(channel)) == 2
