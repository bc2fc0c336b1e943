"""A listener's unexpected error: logged, and answered politely in the one error handler."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltContext, BoltRequest, Respond
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot.core import ids
from bot.core.apology import SORRY
from bot.core.errors import handle_error


class Recorder:
    """A WebClient stand-in that records chat.postMessage."""

    def __init__(self) -> None:
        self.posted: list[dict[str, Any]] = []

    def chat_postMessage(self, **kwargs: Any) -> None:
        self.posted.append(kwargs)


def submission(callback_id: str) -> dict[str, Any]:
    return {"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": callback_id}}


def test_error_before_ack_is_answered_inline(caplog: pytest.LogCaptureFixture) -> None:
    ack = Ack()
    answer = handle_error(
        RuntimeError("database went away"),
        submission(ids.ADMIN_VIEW),
        ack,
        None,
        Recorder(),
        BoltContext(),
    )
    assert answer is not None
    assert json.loads(answer.body) == {
        "response_action": "errors",
        "errors": {ids.ADMIN_VALUES: SORRY},
    }
    # Logged with its type and traceback (the redacting filter, installed at start, drops
    # the exception's text; tests/hardening/test_log_leaks.py checks that).
    assert "RuntimeError" in caplog.text
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_a_modal_without_a_block_for_it_turns_into_the_sorry_modal() -> None:
    answer = handle_error(
        RuntimeError("boom"),
        submission(ids.PULSE_SETTINGS_VIEW),
        Ack(),
        None,
        Recorder(),
        BoltContext(),
    )
    assert answer is not None
    body = json.loads(answer.body)
    assert body["response_action"] == "update"
    assert body["view"]["callback_id"] == ids.SORRY_VIEW
    assert SORRY in json.dumps(body["view"])


def test_error_after_ack_keeps_the_first_answer_and_apologises_by_dm() -> None:
    ack = Ack()
    ack()
    client = Recorder()
    answer = handle_error(
        RuntimeError("after"), submission(ids.ADMIN_VIEW), ack, None, client, BoltContext()
    )
    assert answer is None
    assert ack.response is not None
    assert ack.response.body == ""
    assert client.posted == [{"channel": "U1", "text": SORRY}]


def test_a_command_that_fails_before_its_ack_is_answered_ephemerally() -> None:
    body = {"command": "/cx", "user_id": "U1", "text": "pause 3"}
    answer = handle_error(RuntimeError("boom"), body, Ack(), None, Recorder(), BoltContext())
    assert answer is not None
    assert json.loads(answer.body) == {"response_type": "ephemeral", "text": SORRY}


def test_a_failed_event_is_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    client = Recorder()
    body = {"type": "event_callback", "event": {"type": "app_home_opened", "user": "U1"}}
    ack = Ack()
    ack()
    respond = Respond(response_url=None)
    assert handle_error(RuntimeError("boom"), body, ack, respond, client, BoltContext()) is None
    assert client.posted == []
    assert "RuntimeError" in caplog.text


def test_a_listener_failing_right_after_its_ack_still_gets_its_answer_to_slack() -> None:
    """Bolt's runner clears the ack of a listener that fails after acking; the error handler
    lets the request thread answer with the ack first (a plain Bolt App, Bolt's executor)."""
    # Slack unreachable at once (nothing listens on port 9): the apology fails fast too.
    app = App(
        client=WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/", retry_handlers=[]),
        request_verification_enabled=False,
        authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="x"),
    )
    app.error(handle_error)

    @app.command("/cx")
    def failing(ack: Ack) -> None:
        ack(text="on it")
        raise RuntimeError("the database went away")

    body = "command=%2Fcx&text=note&team_id=T1&user_id=U1&api_app_id=A1"
    headers = {"content-type": ["application/x-www-form-urlencoded"]}
    answers = [app.dispatch(BoltRequest(body=body, headers=headers)) for _ in range(20)]
    assert [(a.status, a.body) for a in answers] == [(200, "on it")] * 20
