"""The emulator's Socket Mode, as Slack documents it, driven by slack_sdk's own client."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from slack_emulator import SlackClientActor, SlackEmulator
from slack_emulator.socket_mode import SocketModeError


class Recorder:
    """A Socket Mode app that records raw messages and acks each request."""

    def __init__(self, emulator: SlackEmulator, *, answer: dict[str, Any] | None = None) -> None:
        self.raw: list[dict[str, Any]] = []
        self.requests: list[SocketModeRequest] = []
        self.answer = answer
        self.ack = True
        self.seen = threading.Event()
        web = WebClient(base_url=emulator.api_url)
        # ping_interval: how soon the client notices a dropped socket on its own.
        self.client = SocketModeClient(
            app_token=emulator.app_token, web_client=web, ping_interval=1
        )
        self.client.message_listeners.append(self._on_message)
        self.client.socket_mode_request_listeners.append(self._on_request)

    def _on_message(self, client: Any, message: dict[str, Any], raw: str | None) -> None:
        self.raw.append(message)

    def _on_request(self, client: SocketModeClient, request: SocketModeRequest) -> None:
        self.requests.append(request)
        if self.ack:
            client.send_socket_mode_response(
                SocketModeResponse(envelope_id=request.envelope_id, payload=self.answer)
            )
        self.seen.set()


@pytest.fixture
def recorder(emulator: SlackEmulator) -> Iterator[Recorder]:
    app = Recorder(emulator, answer={"text": "hi"})
    app.client.connect()
    emulator.socket_mode.wait_connected()
    yield app
    app.client.close()


def test_apps_connections_open_needs_the_app_level_token(emulator: SlackEmulator) -> None:
    web = WebClient(base_url=emulator.api_url)
    url = web.apps_connections_open(app_token=emulator.app_token)["url"]
    assert url.startswith("ws://127.0.0.1:")
    assert "ticket=" in url
    with pytest.raises(SlackApiError) as bot_token:
        web.apps_connections_open(app_token=emulator.bot_token)
    assert bot_token.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as wrong:
        web.apps_connections_open(app_token="xapp-1-A0OTHER-nope")
    assert wrong.value.response["error"] == "invalid_auth"


def test_a_ticket_opens_one_connection_only(emulator: SlackEmulator) -> None:
    url = WebClient(base_url=emulator.api_url).apps_connections_open(app_token=emulator.app_token)[
        "url"
    ]
    with connect(url) as first:
        hello = json.loads(first.recv(timeout=5))
    assert hello["type"] == "hello"
    assert hello["connection_info"] == {"app_id": emulator.app_id}
    assert hello["num_connections"] == 1
    with pytest.raises(InvalidStatus):
        connect(url)
    with pytest.raises(InvalidStatus):
        connect(url.replace("ticket=", "ticket=x"))


def test_slash_command_envelope_and_ack_payload(
    emulator: SlackEmulator, recorder: Recorder
) -> None:
    actor = SlackClientActor(emulator, socket_mode=True)
    response = actor.slash_command("U1", "help")
    assert response.status == 200
    assert response.json == {"text": "hi"}
    envelope = recorder.raw[-1]
    assert envelope["type"] == "slash_commands"
    assert envelope["accepts_response_payload"] is True
    assert envelope["payload"]["command"] == "/cx"
    assert envelope["payload"]["text"] == "help"
    assert isinstance(envelope["envelope_id"], str)
    assert recorder.raw[0]["type"] == "hello"


def test_event_envelope_carries_retry_fields(emulator: SlackEmulator, recorder: Recorder) -> None:
    recorder.answer = None
    actor = SlackClientActor(emulator, socket_mode=True)
    response = actor.app_home_opened("U1")
    assert (response.status, response.json) == (200, None)
    actor.resend(retry_num=2)
    first, again = recorder.raw[-2:]
    assert first["type"] == again["type"] == "events_api"
    assert first["accepts_response_payload"] is False
    assert (first["retry_attempt"], first["retry_reason"]) == (0, "")
    assert (again["retry_attempt"], again["retry_reason"]) == (2, "timeout")
    assert first["payload"]["type"] == "event_callback"
    assert first["payload"]["event"]["type"] == "app_home_opened"


def test_interactive_envelope(emulator: SlackEmulator, recorder: Recorder) -> None:
    actor = SlackClientActor(emulator, socket_mode=True)
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": "m",
        "title": {"type": "plain_text", "text": "M"},
        "blocks": [],
    }
    actor.submit_view("U1", view)
    envelope = recorder.raw[-1]
    assert envelope["type"] == "interactive"
    assert envelope["payload"]["type"] == "view_submission"
    assert envelope["accepts_response_payload"] is True


def test_a_request_nobody_acks_fails(emulator: SlackEmulator, recorder: Recorder) -> None:
    recorder.ack = False
    actor = SlackClientActor(emulator, socket_mode=True, timeout=1)
    with pytest.raises(SocketModeError, match="no ack"):
        actor.slash_command("U1", "help")


def test_refresh_request_makes_the_client_reconnect(
    emulator: SlackEmulator, recorder: Recorder
) -> None:
    opened = emulator.socket_mode.connections_opened
    emulator.socket_mode.request_refresh()
    emulator.socket_mode.wait_connected(newer_than=opened)
    actor = SlackClientActor(emulator, socket_mode=True)
    assert actor.slash_command("U1", "help").json == {"text": "hi"}
    assert emulator.socket_mode.open_connections == 1
    assert len(emulator.calls_to("apps.connections.open")) == 2


def test_a_dropped_socket_is_reopened(emulator: SlackEmulator, recorder: Recorder) -> None:
    opened = emulator.socket_mode.connections_opened
    emulator.socket_mode.drop()
    emulator.socket_mode.wait_connected(timeout=15, newer_than=opened)
    actor = SlackClientActor(emulator, socket_mode=True)
    assert actor.slash_command("U1", "help").json == {"text": "hi"}


def test_socket_mode_has_no_url_verification(emulator: SlackEmulator) -> None:
    actor = SlackClientActor(emulator, socket_mode=True)
    with pytest.raises(ValueError, match="url_verification"):
        actor.url_verification("c")


RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "slack_payloads"


def test_envelopes_have_the_shape_slack_recorded(
    emulator: SlackEmulator, recorder: Recorder
) -> None:
    """Our envelopes carry the same fields as those in python-slack-sdk's recorded ones."""
    slash, event = json.loads((RECORDED / "socket_mode_envelopes.json").read_text())
    actor = SlackClientActor(emulator, socket_mode=True)
    actor.slash_command("U1", "help")
    ours = recorder.raw[-1]
    assert set(ours) == set(slash)
    assert set(slash["payload"]) <= set(ours["payload"])
    recorder.answer = None
    actor.event({"type": "app_mention", "user": "U1", "text": "hi", "channel": "C1"})
    ours = recorder.raw[-1]
    assert set(ours) == set(event)
    assert ours["accepts_response_payload"] == event["accepts_response_payload"]
    missing = set(event["payload"]) - set(ours["payload"]) - {"event_context"}
    assert not missing, missing


def test_an_event_cut_off_before_its_ack_comes_again_with_retry_attempt(
    emulator: SlackEmulator, recorder: Recorder
) -> None:
    """As Slack does: an unacknowledged event is redelivered on the app's next connection."""
    recorder.ack = False
    recorder.answer = None
    actor = SlackClientActor(emulator, socket_mode=True, timeout=30)
    done: list[Any] = []
    sender = threading.Thread(target=lambda: done.append(actor.app_home_opened("U1")))
    sender.start()
    assert recorder.seen.wait(10)
    recorder.ack = True
    emulator.socket_mode.drop()
    sender.join(timeout=30)
    assert [r.status for r in done] == [200]
    events = [m for m in recorder.raw if m.get("type") == "events_api"]
    assert [e["retry_attempt"] for e in events] == [0, 1]
    assert events[1]["retry_reason"] == "timeout"
    assert events[0]["payload"] == events[1]["payload"]
