"""A minimal Bolt app, served by waitress, driven by the actor against the emulator."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress.server import create_server

from slack_emulator import SlackClientActor, SlackEmulator

BUTTON = {
    "type": "actions",
    "block_id": "ping",
    "elements": [
        {
            "type": "button",
            "action_id": "pong",
            "text": {"type": "plain_text", "text": "Pong"},
            "value": "p",
        }
    ],
}


def _build_app(emulator: SlackEmulator) -> App:
    client = WebClient(base_url=emulator.api_url, token=emulator.bot_token)
    app = App(token=emulator.bot_token, signing_secret=emulator.signing_secret, client=client)

    @app.command("/cx")
    def cx(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        if command["text"] == "modal":
            client.views_open(
                trigger_id=command["trigger_id"],
                view={
                    "type": "modal",
                    "title": {"type": "plain_text", "text": "Hello"},
                    "blocks": [BUTTON],
                },
            )
        else:
            client.chat_postMessage(channel=command["user_id"], text="Ping", blocks=[BUTTON])

    @app.action("pong")
    def pong(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Ponged", replace_original=True)

    return app


@pytest.fixture
def actor(emulator: SlackEmulator) -> Iterator[SlackClientActor]:
    """The Bolt app served on a free port, and an actor aimed at it."""
    server = create_server(
        SlackRequestHandler(_build_app(emulator)), host="127.0.0.1", port=0, threads=4
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    port = server.socket.getsockname()[1]  # type: ignore[union-attr]
    yield SlackClientActor(emulator, f"http://127.0.0.1:{port}/slack/events")
    server.close()


def test_signed_command_reaches_the_app(emulator: SlackEmulator, actor: SlackClientActor) -> None:
    user = emulator.add_user(name="ada")["id"]
    assert actor.slash_command(user, "ping").status == 200
    emulator.wait_for("chat.postMessage")
    message = actor.latest_message(actor.dm_of(user))
    assert actor.click(user, message=message, action_id="pong").status == 200
    emulator.wait_for("response_url")
    assert actor.latest_message(actor.dm_of(user))["text"] == "Ponged"


def test_trigger_from_the_command_opens_a_modal(
    emulator: SlackEmulator, actor: SlackClientActor
) -> None:
    user = emulator.add_user(name="ada")["id"]
    actor.slash_command(user, "modal")
    [call] = emulator.wait_for("views.open")
    assert call.args["view"]["title"]["text"] == "Hello"


def test_unsigned_or_badly_signed_requests_are_refused(
    emulator: SlackEmulator, actor: SlackClientActor
) -> None:
    user = emulator.add_user(name="ada")["id"]
    assert actor.slash_command(user, "ping", sign=False).status == 401
    assert actor.slash_command(user, "ping", signing_secret="wrong").status == 401
    assert actor.slash_command(user, "ping", timestamp=1).status == 401
    assert emulator.calls_to("chat.postMessage") == []
