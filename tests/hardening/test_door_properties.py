"""Any bytes at any HTTP door: a status below 500 and nothing of the body in the log.

Property-based (Hypothesis), on SQLite and PostgreSQL: arbitrary bodies and header values,
signed and unsigned, at `POST /slack/events`, `POST /outcomes`, `GET`/`POST /story/<token>`,
`/healthz` and the OAuth paths. Every hostile body carries a canary that must never be logged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core import ids
from bot.demo.stack import SandboxStack
from bot.stories.limits import RateLimiter
from bot.stories.web import StoryPages
from tests.e2e.conftest import START
from tests.e2e.oauth import oauth_stack
from tests.hardening.doors import (
    CANARY,
    OUTCOMES_SECRET,
    guarded,
    leaked,
    outcomes_headers,
    send,
    slack_signed,
)
from tests.hardening.hostile import hostile_text, json_values
from tests.stories.story_helpers import ask_for_link, fetch, log_a_moment

AGENT_EMAIL = "alice.agent@example.com"
DOORS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
# Text that is hard on a database or a parser: NUL, lone surrogates' UTF-8 neighbours, long.
nasty_text = st.one_of(
    hostile_text,
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(lambda s: f"{s}\x00{s}"),
    st.sampled_from(["\x00", "x" * 5000, "é" * 3000, "\ud7ff\ue000", "%00", "\\u0000"]),
)
header_value = st.one_of(
    st.text(max_size=60).filter(lambda s: "\r" not in s and "\n" not in s),
    st.binary(max_size=60).filter(lambda b: b"\r" not in b and b"\n" not in b),
)
content_types = st.sampled_from(
    ["application/json", "application/x-www-form-urlencoded", "text/plain", "", "ünï/cødé"]
)


def with_canary(text: str) -> str:
    return f"{text}{CANARY}-body{text[:20]}"


@pytest.fixture
def stack(db_url: str) -> Iterator[SandboxStack]:
    with SandboxStack.start(
        db_url, now=START, migrate=False, outcomes_secret=OUTCOMES_SECRET
    ) as running:
        running.emulator.add_user("U0ALICE", name="alice", email=AGENT_EMAIL)
        running.run_job("sync-users")
        assert running.wsgi is not None
        for _, pages in running.wsgi.routes:
            if isinstance(pages, StoryPages):  # room for every example: limits are tested apart
                pages.per_address = RateLimiter(limit=100_000, window_seconds=600)
        yield running


def _check(answer_status: int, caplog: pytest.LogCaptureFixture, *bodies: bytes | str) -> None:
    assert answer_status < 500
    assert leaked(caplog, f"{CANARY}-body", *bodies) == []


slack_bodies = st.one_of(
    st.binary(max_size=300).map(lambda b: b + f"{CANARY}-body".encode()),
    json_values.map(
        lambda v: json.dumps({"type": "event_callback", "x": v, "c": CANARY + "-body"})
    ),
    nasty_text.map(lambda t: json.dumps({"type": "block_actions", "user": {"id": with_canary(t)}})),
    nasty_text.map(
        lambda t: urlencode(
            {
                "command": "/cx",
                "text": "celebrate <@U0ALICE> " + with_canary(t),
                "user_id": "U0ALICE",
                "team_id": "T0",
                "channel_id": "C0",
            }
        )
    ),
    nasty_text.map(lambda t: "payload=" + quote(with_canary(t))),
).map(lambda b: b if isinstance(b, bytes) else b.encode("utf-8", "surrogatepass"))


NESTED = b"[" * 5000 + b"]" * 5000
CELEBRATE_NUL = urlencode(
    {
        "command": "/cx",
        "text": f"celebrate <@U0ALICE> great\x00 work {CANARY}-body",
        "user_id": "U0ALICE",
        "team_id": "T0SANDBOX",
        "channel_id": "C0",
    }
).encode()
# How a request is signed: properly, a forged signature at a fresh time, or forged throughout.
SIGNING = ["signed", "forged", "garbage"]


@DOORS
@given(
    body=slack_bodies,
    content_type=content_types,
    signing=st.sampled_from(SIGNING),
    signature=header_value,
    timestamp=header_value,
)
@example(NESTED, "application/json", "signed", "", "")
@example(CELEBRATE_NUL, "application/x-www-form-urlencoded", "signed", "", "")
@example(CELEBRATE_NUL, "application/x-www-form-urlencoded", "forged", "v0=é", "")
def test_slack_events_door(
    stack: SandboxStack,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
    signing: str,
    signature: str | bytes,
    timestamp: str | bytes,
) -> None:
    guarded(caplog).clear()
    headers: dict[str, str | bytes] = {"Content-Type": content_type}
    if signing != "garbage":
        headers |= slack_signed(stack, body)
    if signing == "forged":
        headers["X-Slack-Signature"] = signature
    if signing == "garbage":
        headers |= {"X-Slack-Signature": signature, "X-Slack-Request-Timestamp": timestamp}
    answer = send(stack, "POST", "/slack/events", body=body, headers=headers)
    stack.runtime.background.wait_idle(timeout=10)
    _check(answer.status, caplog, body)


def _row(**changes: Any) -> dict[str, Any]:
    row = {
        "when": "2026-03-02T09:30:00Z",
        "agent": AGENT_EMAIL,
        "kind": "csat",
        "score": 5,
        "customer": f"Acme {CANARY}-body",
        "comment": "Thank you!",
        "external_id": "zd-1",
    }
    return row | changes


row_fields = st.sampled_from(
    ["when", "agent", "kind", "score", "customer", "comment", "external_id", "source", "nope"]
)
outcome_bodies = st.one_of(
    st.binary(max_size=300).map(lambda b: b + f"{CANARY}-body".encode()),
    json_values.map(lambda v: json.dumps([_row(), v]).encode()),
    st.lists(
        st.dictionaries(row_fields, st.one_of(nasty_text, json_values), max_size=4).map(
            lambda changes: _row(**changes)
        ),
        min_size=1,
        max_size=5,
    ).map(lambda rows: json.dumps(rows).encode()),
    st.integers(min_value=1, max_value=50_000).map(
        lambda depth: b"[" * depth + f'"{CANARY}-body"'.encode() + b"]" * depth
    ),
)


@DOORS
@given(
    body=outcome_bodies,
    signing=st.sampled_from(SIGNING),
    signature=header_value,
    timestamp=header_value,
)
@example(json.dumps([_row(), _row(external_id="zd-2", comment="x\x00")]).encode(), "signed", "", "")
@example(NESTED, "signed", "", "")
@example(json.dumps(_row()).encode(), "forged", "v0=ü", "")
def test_outcomes_door(
    stack: SandboxStack,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    signing: str,
    signature: str | bytes,
    timestamp: str | bytes,
) -> None:
    guarded(caplog).clear()
    headers = outcomes_headers(stack, body)
    if signing == "forged":
        headers["X-CXPulse-Signature"] = signature
    if signing == "garbage":
        headers |= {"X-CXPulse-Signature": signature, "X-CXPulse-Timestamp": timestamp}
    answer = send(stack, "POST", "/outcomes", body=body, headers=headers)
    _check(answer.status, caplog, body, AGENT_EMAIL)


form_fields = st.dictionaries(
    st.sampled_from(["csrf", "rating", "what_happened", "backstory", "consent", "x"]),
    nasty_text.map(with_canary),
    max_size=5,
)


@DOORS
@given(
    token=st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.hex())),
    fields=form_fields,
    raw=st.one_of(st.none(), st.binary(max_size=500)),
    cookie=header_value,
    valid=st.booleans(),
    method=st.sampled_from(["GET", "POST", "HEAD", "PUT"]),
)
@example("x", {"what_happened": f"a\x00b {CANARY}-body"}, None, "", True, "POST")
@example("x" * 20_000, {}, None, "", False, "GET")
@example("x", {"csrf": "ünï"}, None, "", True, "POST")
def test_story_door(
    stack: SandboxStack,
    caplog: pytest.LogCaptureFixture,
    token: str,
    fields: dict[str, str],
    raw: bytes | None,
    cookie: str | bytes,
    valid: bool,
    method: str,
) -> None:
    guarded(caplog).clear()
    path = "/story/" + quote(token, safe="")
    headers: dict[str, str | bytes] = {"Cookie": cookie}
    if valid:  # a real, open link with its page's cookie and CSRF field: the form is stored
        user = stack.emulator.add_user(name="ada")["id"]
        moment = log_a_moment(
            stack, user, **{ids.MOMENT_WHAT: "Refund late", ids.MOMENT_OUTCOME: "problem"}
        )
        real = ask_for_link(stack, user, moment)
        page = fetch(stack, f"/story/{real}")
        path, headers = f"/story/{real}", {"Cookie": page.cookie}
        fields = {"csrf": page.csrf, "rating": "3", "consent": "yes"} | fields
        method = "POST"
    body = raw if raw is not None else urlencode(fields).encode("utf-8", "surrogatepass")
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    answer = send(stack, method, path, body=body if method == "POST" else b"", headers=headers)
    _check(answer.status, caplog, body, *fields.values())


@pytest.fixture
def oauth_app(db_url: str) -> Iterator[SandboxStack]:
    """The app in OAuth mode: its install and redirect paths are doors too."""
    with oauth_stack(db_url) as running:
        yield running


@DOORS
@given(
    path=st.one_of(
        st.sampled_from(["/healthz", "/slack/install", "/slack/oauth_redirect", "/", "/outcomes"]),
        st.text(max_size=80).map(lambda t: "/" + quote(t, safe="/?=&")),
    ),
    query=st.text(max_size=80),
    method=st.sampled_from(["GET", "POST", "HEAD", "DELETE", "OPTIONS"]),
    header=header_value,
)
def test_every_other_path_with_oauth_on(
    oauth_app: SandboxStack, path: str, query: str, method: str, header: str | bytes
) -> None:
    with_query = f"{path}?{urlencode({'code': query, 'state': query})}"
    answer = send(oauth_app, method, with_query, headers={"Cookie": header})
    assert answer.status < 500
