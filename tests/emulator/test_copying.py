"""The emulator hands out copies of its messages: changing one never changes Slack's state."""

from __future__ import annotations

from slack_emulator.copying import plain_copy


def test_plain_copy_is_equal_and_shares_nothing() -> None:
    message = {"ts": "1.2", "blocks": [{"type": "section", "text": {"text": "hi"}}], "n": 3}
    copied = plain_copy(message)
    assert copied == message
    copied["blocks"][0]["text"]["text"] = "changed"
    copied["blocks"].append({})
    assert message == {"ts": "1.2", "blocks": [{"type": "section", "text": {"text": "hi"}}], "n": 3}
