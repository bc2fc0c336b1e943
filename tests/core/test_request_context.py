"""The request context and the leads_only / admins_only gates, through ``app.dispatch``.

As bolt-python's own tests do: the real app (every feature registered) is handed signed
``BoltRequest``s shaped like Slack's payloads; its Web API client talks to the emulator.
Database round trips are counted with a SQLAlchemy event listener on the app's engine.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, BoltContext, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine, event

from bot.admin.store import REFUSAL
from bot.app import build_parts, build_runtime
from bot.config import Settings
from bot.core import ids
from bot.core.context import RequestContext
from bot.core.features import Parts
from handlers.digest import NOT_A_LEAD as DIGEST_NOT_A_LEAD
from handlers.notes import NOT_A_LEAD as NOTES_NOT_A_LEAD
from models.db import make_engine, make_sessionmaker
from slack_emulator import SlackEmulator

SIGNING_SECRET = "request-context-secret"
TEAM = "T0SANDBOX"
LEAD, MEMBER = "ULEAD0001", "UMEMBER01"
T = TypeVar("T")


def wait_for(probe: Callable[[], T | None], what: str) -> T:
    """What ``probe`` finds once the app has done it (listeners finish after their ack)."""
    deadline = time.monotonic() + 10
    while not (found := probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
    return found


@pytest.fixture(scope="module")
def emulator() -> Iterator[SlackEmulator]:
    with SlackEmulator() as running:
        running.add_user(LEAD, name="lena")
        running.add_user(MEMBER, name="max")
        yield running


class QueryCount:
    """Statements the app sends to its database."""

    def __init__(self, engine: Engine) -> None:
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        self.statements.append(statement)


@pytest.fixture
def app_parts(db_url: str, emulator: SlackEmulator) -> Iterator[tuple[Parts, QueryCount]]:
    settings = Settings(
        slack_bot_token=emulator.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=emulator.api_url,
        database_url=db_url,
        cxpulse_secret="k" * 32,
        leads=(LEAD,),
    )
    engine = make_engine(db_url)
    runtime = build_runtime(settings, sessions=make_sessionmaker(engine))
    queries = QueryCount(engine)
    yield build_parts(settings, runtime=runtime), queries
    runtime.shutdown()
    engine.dispose()


def signed(body: str, content_type: str) -> BoltRequest:
    """A request as Slack sends it: signed with the app's signing secret."""
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    headers = {
        "content-type": [content_type],
        "x-slack-request-timestamp": [timestamp],
        "x-slack-signature": [signature],
    }
    return BoltRequest(body=body, headers=headers)


def interaction(emulator: SlackEmulator, user: str, kind: str, **fields: Any) -> BoltRequest:
    """An interactivity payload of ``kind`` (Slack's shape) from ``user``, with ``fields``."""
    payload = {
        "type": kind,
        "team": {"id": TEAM, "domain": "sandbox"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": emulator.app_id,
        "trigger_id": emulator.issue_trigger_id(TEAM, user),
        **fields,
    }
    body = urlencode({"payload": json.dumps(payload)})
    return signed(body, "application/x-www-form-urlencoded")


def click(emulator: SlackEmulator, user: str, action_id: str, value: str = "1") -> BoltRequest:
    """A button clicked in a DM."""
    return interaction(
        emulator,
        user,
        "block_actions",
        container={"type": "message", "message_ts": "1.2", "channel_id": "D1"},
        channel={"id": "D1", "name": "directmessage"},
        response_url=emulator.new_response_url(TEAM, user, "D1"),
        actions=[{"action_id": action_id, "block_id": "b", "type": "button", "value": value}],
    )


def submit(emulator: SlackEmulator, user: str, callback_id: str) -> BoltRequest:
    """A modal submitted with nothing filled in."""
    view = {
        "id": "V0CONTEXT",
        "hash": "1.abc",
        "team_id": TEAM,
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": "",
        "blocks": [],
        "state": {"values": {}},
    }
    return interaction(emulator, user, "view_submission", view=view)


def slash(emulator: SlackEmulator, user: str, text: str) -> BoltRequest:
    """`/cx text` as Slack posts a slash command."""
    body = urlencode(
        {
            "command": "/cx",
            "text": text,
            "team_id": TEAM,
            "team_domain": "sandbox",
            "channel_id": "C1",
            "user_id": user,
            "user_name": user.lower(),
            "api_app_id": emulator.app_id,
            "response_url": emulator.new_response_url(TEAM, user, "C1"),
            "trigger_id": emulator.issue_trigger_id(TEAM, user),
        }
    )
    return signed(body, "application/x-www-form-urlencoded")


def responses_to(emulator: SlackEmulator, before: int) -> list[dict[str, Any]]:
    return [post.body for post in emulator.responses[before:]]


# -- the context -------------------------------------------------------------------------------


def test_a_listener_that_only_acks_costs_no_database_round_trip(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator
) -> None:
    parts, queries = app_parts
    done = threading.Event()
    seen: list[object] = []

    def only_acks(ack: Ack, context: BoltContext) -> None:
        ack()
        seen.append(context.get("cx"))
        done.set()

    parts.app.action("context_only_acks")(only_acks)
    queries.statements.clear()
    response = parts.app.dispatch(click(emulator, MEMBER, "context_only_acks"))
    assert response.status == 200
    assert done.wait(10)
    assert isinstance(seen[0], RequestContext)  # the middleware put it there
    assert queries.statements == []


def test_the_context_is_built_once_and_each_value_read_once(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator
) -> None:
    parts, queries = app_parts
    done = threading.Event()
    counts: list[int] = []
    contexts: list[RequestContext] = []

    def middleware_sees(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        contexts.append(context["cx"])
        return next()

    def reads_twice(ack: Ack, cx: RequestContext) -> None:
        ack()
        contexts.append(cx)
        counts.append(len(queries.statements))
        first = (cx.config, cx.threshold, cx.is_lead, cx.person, cx.translator, cx.workspace_id)
        counts.append(len(queries.statements))
        again = (cx.config, cx.threshold, cx.is_lead, cx.person, cx.translator, cx.workspace_id)
        counts.append(len(queries.statements))
        assert again == first
        done.set()

    parts.app.action("context_reads", middleware=[middleware_sees])(reads_twice)
    queries.statements.clear()
    parts.app.dispatch(click(emulator, LEAD, "context_reads"))
    assert done.wait(10)
    assert contexts[0] is contexts[1]  # one context for the request, built before listeners
    before, after_first, after_second = counts
    assert before == 0
    assert after_first > before  # looked up on first use...
    assert after_second == after_first  # ...and kept
    cx = contexts[0]
    assert (cx.team_id, cx.user_id, cx.is_lead, cx.threshold) == (TEAM, LEAD, True, 5)


def test_who_and_where_come_from_bolt_for_every_kind_of_request(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator
) -> None:
    parts, _ = app_parts
    seen: list[tuple[str, str]] = []
    done = threading.Event()

    def record(ack: Ack, cx: RequestContext) -> None:
        seen.append((cx.team_id, cx.user_id))
        ack()
        done.set()

    parts.app.view("context_view")(record)
    parts.app.dispatch(submit(emulator, MEMBER, "context_view"))
    assert done.wait(10)
    assert seen == [(TEAM, MEMBER)]


# -- the gates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "refusal"),
    [("notes", NOTES_NOT_A_LEAD), ("digest", DIGEST_NOT_A_LEAD), ("admin", REFUSAL)],
)
def test_a_gated_cx_word_refuses_with_todays_text(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator, text: str, refusal: str
) -> None:
    parts, _ = app_parts
    before = len(emulator.responses)
    response = parts.app.dispatch(slash(emulator, MEMBER, text))
    assert response.status == 200
    posted = wait_for(lambda: responses_to(emulator, before), f"the /cx {text} refusal")
    assert posted == [{"response_type": "ephemeral", "text": refusal}]


def test_a_lead_passes_the_leads_only_gate(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator
) -> None:
    parts, _ = app_parts
    before = len(emulator.responses)
    parts.app.dispatch(slash(emulator, LEAD, "notes"))
    posted = wait_for(lambda: responses_to(emulator, before), "the lead's notes")
    assert posted[0]["text"] == "Anonymous notes"


def test_leads_only_on_a_button_answers_the_clicker_alone(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator
) -> None:
    parts, _ = app_parts
    before = len(emulator.responses)
    response = parts.app.dispatch(click(emulator, MEMBER, ids.NOTE_REPLY, value="1"))
    assert response.status == 200
    assert responses_to(emulator, before) == [
        {"response_type": "ephemeral", "replace_original": False, "text": NOTES_NOT_A_LEAD}
    ]


@pytest.mark.parametrize(
    ("callback_id", "block_id"),
    [(ids.ADMIN_VIEW, ids.ADMIN_VALUES), (ids.ADMIN_DIGEST_VIEW, ids.DIGEST_CHANNEL)],
)
def test_admins_only_on_a_modal_keeps_it_open_with_the_refusal(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator, callback_id: str, block_id: str
) -> None:
    parts, _ = app_parts
    response = parts.app.dispatch(submit(emulator, MEMBER, callback_id))
    assert response.status == 200
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {block_id: REFUSAL[:150]},
    }


def test_admins_only_on_a_button_does_nothing_for_others(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator
) -> None:
    parts, _ = app_parts
    emulator.reset_calls()
    response = parts.app.dispatch(click(emulator, MEMBER, ids.ADMIN_TEST_PULSE))
    assert response.status == 200
    assert emulator.calls_to("chat.postMessage") == []
    assert [call.method for call in emulator.calls] == ["users.info"]  # the admin check only


def test_admins_only_on_the_secret_button_pushes_the_refusal(
    app_parts: tuple[Parts, QueryCount], emulator: SlackEmulator
) -> None:
    parts, _ = app_parts
    emulator.reset_calls()
    parts.app.dispatch(click(emulator, MEMBER, ids.ADMIN_OUTCOMES_SECRET))
    pushed = emulator.calls_to("views.push")
    assert len(pushed) == 1
    assert REFUSAL in json.dumps(pushed[0].args)
