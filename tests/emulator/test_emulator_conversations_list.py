"""conversations.list in the emulator: what the bot can see, paged like Slack."""

from __future__ import annotations

from slack_sdk import WebClient

from slack_emulator import SlackEmulator


def test_lists_public_channels_and_only_private_ones_the_bot_is_in(
    emulator: SlackEmulator, client: WebClient
) -> None:
    public = emulator.add_channel("celebrations", bot_is_member=False)
    secret = emulator.add_channel("secret", is_private=True, bot_is_member=False)
    inner = emulator.add_channel("leads", is_private=True)
    emulator.add_user(name="ann")
    client.conversations_open(users=emulator.add_user(name="bea")["id"])

    default = client.conversations_list()
    assert public in {c["id"] for c in default["channels"]}
    assert all(not c["is_private"] for c in default["channels"])

    both = client.conversations_list(types="public_channel,private_channel")
    ids = {c["id"] for c in both["channels"]}
    assert {public, inner} <= ids
    assert secret not in ids
    assert all(not c.get("is_im") for c in both["channels"])
    shown = next(c for c in both["channels"] if c["id"] == public)
    assert (shown["name"], shown["is_member"]) == ("celebrations", False)


def test_pages_with_a_cursor(emulator: SlackEmulator, client: WebClient) -> None:
    made = {emulator.add_channel(f"c{n}") for n in range(5)}
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = client.conversations_list(limit=2, cursor=cursor)
        pages += 1
        seen += [c["id"] for c in page["channels"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert made <= set(seen)
    assert len(seen) == len(set(seen)) == len(made) + 1  # and #general
    assert pages == 3
