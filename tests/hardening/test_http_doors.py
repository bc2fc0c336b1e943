"""The bytes an outside attacker tried at each HTTP door (issue 26, finding 6): a 4xx, no leak.

Each test is one reported failure: NUL characters on PostgreSQL, non-ASCII signatures and
CSRF values, deeply nested JSON, story tokens of any length counted by the rate limiter.
"""

from __future__ import annotations

import io
import json
import tracemalloc
from typing import Any

import pytest
from sqlalchemy import select

from bot.core import ids
from bot.stories.limits import RateLimiter
from models import CustomerOutcome, CustomerStory
from tests.support.doors import (
    CANARY,
    OUTCOMES_SECRET,
    guarded,
    leaked,
    outcomes_headers,
    send,
    slack_signed,
)
from tests.support.outcome_data import webhook_rating
from tests.support.stack import SandboxStack
from tests.support.stories import ask_for_link, fetch, log_a_moment

AGENT_EMAIL = "alice.agent@example.com"

pytestmark = pytest.mark.stack(
    outcomes_secret=OUTCOMES_SECRET,
    public_url="https://cx.example.test",
    users=[("U0ALICE", "alice", AGENT_EMAIL)],
)
FORM = "application/x-www-form-urlencoded"


def _row(external_id: str, **changes: Any) -> dict[str, Any]:
    return webhook_rating(AGENT_EMAIL, external_id, **changes)


def _outcomes(stack: SandboxStack) -> list[CustomerOutcome]:
    with stack.runtime.sessions() as session:
        return list(session.scalars(select(CustomerOutcome).order_by(CustomerOutcome.id)))


def test_a_nul_in_one_outcomes_row_refuses_that_row_and_keeps_the_others(
    stack: SandboxStack, caplog: pytest.LogCaptureFixture
) -> None:
    guarded(caplog)
    customer = f"Acme\x00{CANARY}-customer"
    rows = [
        _row("zd-1"),
        _row("zd-2", customer=customer, comment=f"{CANARY}-comment\x00"),
        _row("zd-3"),
    ]
    body = json.dumps(rows).encode()
    answer = send(stack, "POST", "/outcomes", body=body, headers=outcomes_headers(stack, body))
    assert answer.status == 400, answer.body
    reply = answer.json()
    assert reply["imported"] == 2
    assert [p["row"] for p in reply["problems"]] == [2]
    assert "NUL" in reply["problems"][0]["reason"]
    assert sorted(o.external_id for o in _outcomes(stack)) == ["zd-1", "zd-3"]
    assert leaked(caplog, f"{CANARY}-customer", f"{CANARY}-comment", AGENT_EMAIL) == []


def test_a_retried_batch_with_a_nul_row_stores_nothing_twice(stack: SandboxStack) -> None:
    rows = [_row("zd-1"), _row("zd-2", comment="bad\x00")]
    body = json.dumps(rows).encode()
    for _ in range(2):
        answer = send(stack, "POST", "/outcomes", body=body, headers=outcomes_headers(stack, body))
        assert answer.status == 400
    assert [o.external_id for o in _outcomes(stack)] == ["zd-1"]


def test_a_non_ascii_outcomes_signature_is_a_401(stack: SandboxStack) -> None:
    body = json.dumps(_row("zd-1")).encode()
    headers = outcomes_headers(stack, body)
    headers["X-CXPulse-Signature"] = "v0=é✓".encode()
    answer = send(stack, "POST", "/outcomes", body=body, headers=headers)
    assert answer.status == 401, answer.body
    assert _outcomes(stack) == []


def test_a_non_ascii_slack_signature_is_a_401(stack: SandboxStack) -> None:
    body = b"command=%2Fcx&text=help&user_id=U0ALICE&team_id=T0&channel_id=C0"
    headers = {**slack_signed(stack, body), "Content-Type": FORM}
    headers["X-Slack-Signature"] = "v0=ünïcødé".encode()
    answer = send(stack, "POST", "/slack/events", body=body, headers=headers)
    assert answer.status == 401, answer.body


@pytest.mark.parametrize("depth", [10_000, 200_000])
def test_deeply_nested_json_is_a_400_at_slack_and_outcomes(stack: SandboxStack, depth: int) -> None:
    body = b"[" * depth + b"]" * depth
    headers = {**slack_signed(stack, body), "Content-Type": "application/json"}
    assert send(stack, "POST", "/slack/events", body=body, headers=headers).status == 400
    if len(body) <= 1024 * 1024:
        headers = outcomes_headers(stack, body)
        assert send(stack, "POST", "/outcomes", body=body, headers=headers).status == 400
    nested_payload = b"payload=" + b"%5B" * depth
    headers = {**slack_signed(stack, nested_payload), "Content-Type": FORM}
    assert send(stack, "POST", "/slack/events", body=nested_payload, headers=headers).status == 400


def _story_link(stack: SandboxStack) -> str:
    user = stack.emulator.add_user(name="ada")["id"]
    confirmation = log_a_moment(
        stack, user, **{ids.MOMENT_WHAT: "Refund delayed", ids.MOMENT_OUTCOME: "problem"}
    )
    return ask_for_link(stack, user, confirmation)


def test_a_nul_in_the_story_form_is_dropped_and_the_story_kept(
    stack: SandboxStack, caplog: pytest.LogCaptureFixture
) -> None:
    guarded(caplog)
    token = _story_link(stack)
    page = fetch(stack, f"/story/{token}")
    form = {
        "csrf": page.csrf,
        "rating": "4",
        "what_happened": f"They\x00 fixed it {CANARY}-story",
        "backstory": "",
        "consent": "yes",
    }
    done = fetch(stack, f"/story/{token}", form=form, headers={"Cookie": page.cookie})
    assert done.status == 200, done.text
    assert "Thank you" in done.text
    with stack.runtime.sessions() as session:
        (told,) = session.scalars(select(CustomerStory).where(CustomerStory.rating.is_not(None)))
        assert told.what_happened == f"They fixed it {CANARY}-story"
    assert leaked(caplog, f"{CANARY}-story") == []


def test_a_non_ascii_csrf_value_is_a_403(stack: SandboxStack) -> None:
    token = _story_link(stack)
    page = fetch(stack, f"/story/{token}")
    form = {"csrf": "ünïcødé", "rating": "4", "what_happened": "Fine", "consent": "yes"}
    done = fetch(stack, f"/story/{token}", form=form, headers={"Cookie": page.cookie})
    assert done.status == 403, done.text


def test_a_malformed_story_token_never_counts_against_a_link(stack: SandboxStack) -> None:
    # The per-link limit is 30 in 10 minutes: a token that cannot be a link is not a link.
    for _ in range(35):
        assert fetch(stack, "/story/not-a-link.at-all").status == 404


def test_the_limiter_holds_little_for_huge_keys() -> None:
    limiter = RateLimiter(limit=30, window_seconds=600)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(20):
            limiter.allow(str(i) * 200_000)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 64 * 1024, held


def test_the_limiter_forgets_the_oldest_keys_beyond_its_cap() -> None:
    limiter = RateLimiter(limit=1, window_seconds=600, max_keys=3)
    for key in ("a", "b", "c", "d"):
        assert limiter.allow(key)
    assert not limiter.allow("d")
    assert limiter.allow("a")  # forgotten: the cap bounds memory, not the count of "a"


def _wsgi(
    stack: SandboxStack, path: str, body: bytes, length: str, headers: dict[str, bytes | str]
) -> tuple[str, bytes]:
    """One request straight into the app's WSGI callable, ``Content-Length`` as given.

    waitress refuses most bad lengths before the app sees them; another WSGI server or a proxy
    need not, so each door's own answer is checked here.
    """
    assert stack.wsgi is not None
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_LENGTH": length,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
    }
    for name, value in headers.items():
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        environ["HTTP_" + name.upper().replace("-", "_")] = text
    environ["CONTENT_TYPE"] = environ.pop("HTTP_CONTENT_TYPE", FORM)
    seen: list[str] = []
    answer = b"".join(stack.wsgi(environ, lambda status, _headers, _exc=None: seen.append(status)))
    return seen[0], answer


@pytest.mark.parametrize(
    ("length", "status"),
    [
        *[("twelve", "400"), ("-5", "400"), ("5e3", "400"), ("٥", "400"), ("500", "400")],
        *[("99999999", "413"), ("9" * 5000, "413")],
    ],
)
@pytest.mark.parametrize("door", ["slack", "outcomes", "story"])
def test_every_door_answers_a_bad_content_length_the_same_way(
    stack: SandboxStack, door: str, length: str, status: str
) -> None:
    body = b"command=%2Fcx&text=help"
    headers: dict[str, bytes | str] = {}
    path = "/story/anything"
    if door == "slack":
        path, headers = "/slack/events", slack_signed(stack, body)
    if door == "outcomes":
        body = json.dumps([_row("zd-len")]).encode()
        path, headers = "/outcomes", outcomes_headers(stack, body)
    answered, text = _wsgi(stack, path, body, length, headers)
    assert answered.split()[0] == status
    if status == "400":  # the answer names the problem: a bad length, or a body cut short
        assert b"Content-Length" in text
    assert _outcomes(stack) == []
