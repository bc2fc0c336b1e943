"""The Slack-client actor builds and signs requests exactly as Slack sends them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from slack_emulator import SlackClientActor, SlackEmulator

WRAPPER_SCHEMA = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "slack"
    / "slack_common_event_wrapper_schema.json"
)


class _Recorder(ThreadingHTTPServer):
    """An app stand-in that records each request and answers 200 `{}`."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.requests: list[tuple[dict[str, str], str]] = []


class _RecordingHandler(BaseHTTPRequestHandler):
    server: _Recorder

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.requests.append((dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def actor(emulator: SlackEmulator, recorder: _Recorder) -> SlackClientActor:
    return SlackClientActor(emulator, f"http://127.0.0.1:{recorder.server_address[1]}/slack/events")


def _payload(recorder: _Recorder) -> dict[str, Any]:
    """Return the interactivity payload of the last request."""
    payload: dict[str, Any] = json.loads(parse_qs(recorder.requests[-1][1])["payload"][0])
    return payload


BLOCKS = [
    {
        "type": "actions",
        "block_id": "choices",
        "elements": [
            {
                "type": "button",
                "action_id": "yes",
                "text": {"type": "plain_text", "text": "Yes"},
                "value": "y",
            },
            {
                "type": "static_select",
                "action_id": "score",
                "placeholder": {"type": "plain_text", "text": "Score"},
                "options": [
                    {"text": {"type": "plain_text", "text": str(n)}, "value": str(n)}
                    for n in range(1, 6)
                ],
            },
        ],
    }
]


def test_requests_are_signed_like_slack(
    emulator: SlackEmulator, actor: SlackClientActor, recorder: _Recorder
) -> None:
    user = emulator.add_user(name="ada")["id"]
    actor.slash_command(user, "help", retry_num=1)
    headers, body = recorder.requests[-1]
    verifier = SignatureVerifier(emulator.signing_secret)
    assert verifier.is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    assert headers["X-Slack-Retry-Num"] == "1"
    assert headers["X-Slack-Retry-Reason"] == "http_timeout"
    actor.slash_command(user, "help", sign=False)
    assert "X-Slack-Signature" not in recorder.requests[-1][0]


def test_slash_command_form(
    emulator: SlackEmulator, actor: SlackClientActor, recorder: _Recorder
) -> None:
    user = emulator.add_user(name="ada")["id"]
    actor.slash_command(user, "pulse now")
    form = {k: v[0] for k, v in parse_qs(recorder.requests[-1][1]).items()}
    assert form["command"] == "/cx"
    assert form["text"] == "pulse now"
    assert form["user_name"] == "ada"
    assert form["channel_id"] == emulator.general_channel().id
    assert form["channel_name"] == "general"
    assert form["response_url"].startswith(emulator.base_url + "/response/")
    assert form["trigger_id"] in emulator.state.triggers
    assert recorder.requests[-1][0]["Content-Type"] == "application/x-www-form-urlencoded"


def test_click_uses_what_the_app_posted(
    emulator: SlackEmulator, client: WebClient, actor: SlackClientActor, recorder: _Recorder
) -> None:
    user = emulator.add_user(name="ada")["id"]
    posted = client.chat_postMessage(channel=user, text="Pulse", blocks=BLOCKS)
    message = actor.latest_message(actor.dm_of(user))
    actor.click(user, message=message, action_id="yes")
    payload = _payload(recorder)
    assert payload["type"] == "block_actions"
    assert payload["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": posted["channel"],
        "is_ephemeral": False,
    }
    [action] = payload["actions"]
    assert (action["action_id"], action["block_id"], action["value"]) == ("yes", "choices", "y")
    assert payload["message"]["ts"] == posted["ts"]
    assert payload["user"]["id"] == user
    actor.click(user, message=message, action_id="score", value="4")
    assert _payload(recorder)["actions"][0]["selected_option"]["value"] == "4"


def test_click_refuses_a_button_that_does_not_exist(
    emulator: SlackEmulator, client: WebClient, actor: SlackClientActor, recorder: _Recorder
) -> None:
    user = emulator.add_user(name="ada")["id"]
    client.chat_postMessage(channel=user, text="Pulse", blocks=BLOCKS)
    message = actor.latest_message(actor.dm_of(user))
    with pytest.raises(AssertionError, match="no element with action_id='no'") as raised:
        actor.click(user, message=message, action_id="no")
    assert "action_id='yes'" in str(raised.value)  # lists what is there
    with pytest.raises(AssertionError, match=r"not an option|no element"):
        actor.click(user, message=message, action_id="score", value="9")
    assert recorder.requests == []


MOOD_OPTIONS = [{"text": {"type": "plain_text", "text": t}, "value": t} for t in ("good", "bad")]
MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "checkin",
    "private_metadata": "week=12",
    "title": {"type": "plain_text", "text": "Check-in"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "mood",
            "label": {"type": "plain_text", "text": "Mood"},
            "element": {
                "type": "static_select",
                "action_id": "pick",
                "options": MOOD_OPTIONS,
            },
        },
        {
            "type": "input",
            "block_id": "note",
            "optional": True,
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "text", "initial_value": "none"},
        },
        {
            "type": "input",
            "block_id": "when",
            "label": {"type": "plain_text", "text": "When"},
            "element": {"type": "datepicker", "action_id": "day"},
        },
        {
            "type": "input",
            "block_id": "who",
            "optional": True,
            "label": {"type": "plain_text", "text": "Who"},
            "element": {"type": "multi_users_select", "action_id": "people"},
        },
    ],
}


def _open(emulator: SlackEmulator, client: WebClient, user: str) -> dict[str, Any]:
    trigger = emulator.issue_trigger_id(emulator.team_id, user)
    view: dict[str, Any] = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    return view


def test_submit_view_builds_state_like_slack(
    emulator: SlackEmulator, client: WebClient, actor: SlackClientActor, recorder: _Recorder
) -> None:
    user = emulator.add_user(name="ada")["id"]
    view = _open(emulator, client, user)
    reply = actor.submit_view(
        user, view, {"mood": "good", "when": "2026-03-02", "who": {"people": [user]}}
    )
    assert reply.status == 200
    payload = _payload(recorder)
    assert payload["type"] == "view_submission"
    assert payload["view"]["id"] == view["id"]
    assert payload["view"]["private_metadata"] == "week=12"
    assert payload["view"]["state"]["values"] == {
        "mood": {
            "pick": {
                "type": "static_select",
                "selected_option": MOOD_OPTIONS[0],
            }
        },
        "note": {"text": {"type": "plain_text_input", "value": "none"}},
        "when": {"day": {"type": "datepicker", "selected_date": "2026-03-02"}},
        "who": {"people": {"type": "multi_users_select", "selected_users": [user]}},
    }
    assert view["id"] not in emulator.open_views  # an empty 200 closes the modal


def test_submit_view_refuses_what_slack_would_refuse(
    emulator: SlackEmulator, client: WebClient, actor: SlackClientActor, recorder: _Recorder
) -> None:
    user = emulator.add_user(name="ada")["id"]
    view = _open(emulator, client, user)
    with pytest.raises(AssertionError, match="not in the view"):
        actor.submit_view(user, view, {"mood": "good", "when": "2026-03-02", "nope": "x"})
    with pytest.raises(AssertionError, match="required input 'when'"):
        actor.submit_view(user, view, {"mood": "good"})
    with pytest.raises(AssertionError, match="not an option"):
        actor.submit_view(user, view, {"mood": "meh", "when": "2026-03-02"})
    assert recorder.requests == []


def test_event_envelope_matches_slacks_schema(
    emulator: SlackEmulator, actor: SlackClientActor, recorder: _Recorder
) -> None:
    user = emulator.add_user(name="ada")["id"]
    actor.app_home_opened(user)
    actor.event({"type": "team_join", "user": {"id": user}})
    first, second = (json.loads(body) for _, body in recorder.requests)
    assert first["event"]["type"] == "app_home_opened"
    assert first["event_id"] != second["event_id"]
    assert second["authorizations"][0]["user_id"] == emulator.bot_user_id
    if WRAPPER_SCHEMA.exists():
        import jsonschema  # type: ignore[import-untyped]

        schema = json.loads(WRAPPER_SCHEMA.read_text(encoding="utf-8"))
        jsonschema.validate(first, schema)
        jsonschema.validate(second, schema)


def test_message_shortcut_payload(
    emulator: SlackEmulator, client: WebClient, actor: SlackClientActor, recorder: _Recorder
) -> None:
    user = emulator.add_user(name="ada")["id"]
    posted = client.chat_postMessage(channel="general", text="The customer loved it")
    message = actor.latest_message("general")
    actor.message_shortcut(user, "log_moment", message, posted["channel"])
    payload = _payload(recorder)
    assert payload["type"] == "message_action"
    assert payload["callback_id"] == "log_moment"
    assert payload["message"]["text"] == "The customer loved it"
    assert payload["channel"] == {"id": posted["channel"], "name": "general"}
    assert payload["trigger_id"] in emulator.state.triggers
