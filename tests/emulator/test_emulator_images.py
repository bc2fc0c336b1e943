"""Image blocks as Slack checks them: alt text, one source, a `slack_file` the app can see."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_emulator import SlackEmulator

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _image(**fields: Any) -> list[dict[str, Any]]:
    return [{"type": "image", **fields}]


def _home(client: WebClient, user: str, blocks: list[dict[str, Any]]) -> Any:
    return client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})


def _messages(client: WebClient, user: str, blocks: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(SlackApiError) as raised:
        _home(client, user, blocks)
    data = raised.value.response.data
    assert data["error"] == "invalid_arguments"
    return list(data["response_metadata"]["messages"])


def test_a_private_upload_shows_in_app_home_by_slack_file_id(
    emulator: SlackEmulator, client: WebClient
) -> None:
    user = emulator.add_user(name="lena")["id"]
    uploaded = client.files_upload_v2(
        content=PNG, filename="chart.png", title="Chart", alt_txt="Mood by week"
    )
    file_id = uploaded["file"]["id"]
    assert emulator.uploaded_files[file_id].channels == []  # shared nowhere
    assert emulator.uploaded_files[file_id].alt_txt == "Mood by week"
    reply = _home(client, user, _image(slack_file={"id": file_id}, alt_text="Mood by week"))
    assert reply["ok"] is True
    url = client.files_upload_v2(content=PNG, filename="b.png")["file"]["url_private"]
    assert _home(client, user, _image(slack_file={"url": url}, alt_text="b"))["ok"] is True


def test_image_blocks_slack_would_refuse(emulator: SlackEmulator, client: WebClient) -> None:
    user = emulator.add_user(name="lena")["id"]
    csv = client.files_upload_v2(content=b"a,b\n", filename="rows.csv")["file"]["id"]
    png = client.files_upload_v2(content=PNG, filename="c.png")["file"]["id"]
    assert any("alt_text" in m for m in _messages(client, user, _image(slack_file={"id": png})))
    both = _image(slack_file={"id": png}, image_url="https://x.invalid/c.png", alt_text="c")
    assert _messages(client, user, both)
    assert _messages(client, user, _image(alt_text="nothing to show"))
    assert _messages(client, user, _image(slack_file={"id": "F0NOPE"}, alt_text="c"))
    assert _messages(client, user, _image(slack_file={"id": csv}, alt_text="c"))
    assert _messages(client, user, _image(slack_file={"id": png}, alt_text="x" * 2001))


def test_accessibility_label_length_is_checked(emulator: SlackEmulator, client: WebClient) -> None:
    user = emulator.add_user(name="lena")["id"]
    button = {
        "type": "button",
        "action_id": "a",
        "text": {"type": "plain_text", "text": "1"},
        "accessibility_label": "y" * 76,
    }
    assert _messages(client, user, [{"type": "actions", "elements": [button]}])
