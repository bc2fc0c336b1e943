"""`POST /outcomes` over HTTP: signed like Slack's requests, sized, idempotent, out of the way."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.outcomes.web import OutcomesEndpoint, rotate_secret, sign
from models import CustomerOutcome, Workspace
from tests.support.outcome_data import webhook_rating
from tests.support.stack import SandboxStack

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SECRET = "env-outcomes-secret"

pytestmark = pytest.mark.stack(
    outcomes_secret=SECRET,
    users=[("U0ALICE", "alice", "alice@example.com"), ("U0BOB", "bob", "bob@example.com")],
)


def _row(external_id: str, **changes: Any) -> dict[str, Any]:
    return webhook_rating("alice@example.com", external_id, **changes)


def _post(
    stack: SandboxStack,
    body: bytes,
    *,
    secret: str | None = SECRET,
    at: datetime | None = None,
    query: str = "",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    ts = str(int((at or stack.clock()).timestamp()))
    sent = {"Content-Type": "application/json"}
    if secret is not None:
        sent |= {"X-CXPulse-Timestamp": ts, "X-CXPulse-Signature": sign(secret, ts, body)}
    sent |= headers or {}
    url = stack.server.url + "/outcomes" + query
    request = urllib.request.Request(url, data=body, headers=sent, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _stored(stack: SandboxStack) -> list[CustomerOutcome]:
    with stack.runtime.sessions() as session:
        return list(session.scalars(select(CustomerOutcome).order_by(CustomerOutcome.id)))


def test_a_signed_row_is_stored_and_matched(stack: SandboxStack) -> None:
    status, answer = _post(stack, json.dumps(_row("zd-1")).encode())
    assert status == 200, answer
    assert (answer["imported"], answer["duplicates"], answer["unmatched"]) == (1, 0, 0)
    (row,) = _stored(stack)
    assert (row.source, row.external_id, row.kind, row.scaled) == ("webhook", "zd-1", "csat", 1.0)
    assert row.person_id is not None
    assert row.team_id is not None


def test_unsigned_wrongly_signed_and_stale_requests_get_401(stack: SandboxStack) -> None:
    body = json.dumps(_row("zd-2")).encode()
    assert _post(stack, body, secret=None)[0] == 401
    assert _post(stack, body, secret="not-the-secret")[0] == 401
    stale = stack.clock() - timedelta(minutes=5, seconds=5)
    status, answer = _post(stack, body, at=stale)
    assert status == 401
    assert "stale" in answer["error"]
    assert _post(stack, body, at=stack.clock() + timedelta(minutes=6))[0] == 401
    # The signature covers the body: the same headers on another body are refused.
    ts = str(int(stack.clock().timestamp()))
    forged = {"X-CXPulse-Timestamp": ts, "X-CXPulse-Signature": sign(SECRET, ts, body)}
    other = json.dumps(_row("zd-2", score=1)).encode()
    assert _post(stack, other, secret=None, headers=forged)[0] == 401
    assert _stored(stack) == []


def test_a_replayed_request_adds_nothing(stack: SandboxStack) -> None:
    body = json.dumps([_row("zd-3"), _row("zd-4", kind="nps", score=9)]).encode()
    assert _post(stack, body)[1]["imported"] == 2
    stack.clock.set(stack.clock() + timedelta(minutes=1))
    status, answer = _post(stack, body)
    assert status == 200
    assert (answer["imported"], answer["duplicates"]) == (0, 2)
    # Replayed later than five minutes on, with its original signature: refused as stale.
    ts = str(int((stack.clock() - timedelta(minutes=1)).timestamp()))
    stack.clock.set(stack.clock() + timedelta(minutes=10))
    old = {"X-CXPulse-Timestamp": ts, "X-CXPulse-Signature": sign(SECRET, ts, body)}
    assert _post(stack, body, secret=None, headers=old)[0] == 401
    assert len(_stored(stack)) == 2


def test_a_body_over_one_megabyte_gets_413(stack: SandboxStack) -> None:
    big = json.dumps([_row(f"big-{i}", comment="x" * 4000) for i in range(300)]).encode()
    assert len(big) > 1024 * 1024
    status, answer = _post(stack, big)
    assert status == 413
    assert "1 MB" in answer["error"]
    assert _stored(stack) == []


def test_bad_rows_are_listed_and_good_rows_kept(stack: SandboxStack) -> None:
    rows = [
        _row("ok-1"),
        _row("bad-1", score=9),
        _row("ok-2", agent="dave@example.com", kind="thumbs", score="bad"),
        "not an object",
        _row("bad-2", when="last tuesday"),
    ]
    status, answer = _post(stack, json.dumps(rows).encode())
    assert status == 400
    assert answer["imported"] == 2
    assert answer["unmatched"] == 1
    problems = {p["row"]: p["reason"] for p in answer["problems"]}
    assert set(problems) == {2, 4, 5}
    assert "1–5" in problems[2]
    assert "object" in problems[4]
    assert "when" in problems[5]
    assert {r.external_id for r in _stored(stack)} == {"ok-1", "ok-2"}
    assert _post(stack, b"{not json")[0] == 400
    assert _post(stack, b"42")[0] == 400
    many = _post(stack, json.dumps([{}] * 5000).encode())
    assert many[0] == 400
    assert len(many[1]["problems"]) == 100
    assert "5000 of 5000" in many[1]["error"]


def _rotate(stack: SandboxStack) -> str:
    """The admin rotates the workspace's outcomes secret: the new one."""
    with stack.runtime.transaction() as session:
        ws = session.scalars(select(Workspace)).one()
        return rotate_secret(
            session,
            workspace_id=ws.id,
            key=stack.settings.cxpulse_secret or "",
            user_id="UADMIN",
            now=stack.clock(),
        )


def test_the_workspace_secret_from_admin_signs_and_rotates(stack: SandboxStack) -> None:
    first = _rotate(stack)
    body = json.dumps(_row("ws-1")).encode()
    assert _post(stack, body, secret=first, query="?workspace=T0SANDBOX")[0] == 200
    second = _rotate(stack)
    assert second != first
    body = json.dumps(_row("ws-2")).encode()
    assert _post(stack, body, secret=first)[0] == 401
    assert _post(stack, body, secret=second)[0] == 200
    assert _post(stack, body, secret=second, query="?workspace=T0NOSUCH")[0] == 401


def test_outcome_requests_never_hold_up_slack(stack: SandboxStack) -> None:
    assert stack.wsgi is not None
    (endpoint,) = [
        served for _, served in stack.wsgi.routes if isinstance(served, OutcomesEndpoint)
    ]
    taken = [endpoint.slots.acquire(blocking=False) for _ in range(endpoint.capacity)]
    assert all(taken)
    try:
        status, answer = _post(stack, json.dumps(_row("busy-1")).encode())
        assert status == 503
        assert "retry" in answer["error"].lower()
        # While every outcome slot is taken, Slack's requests are still answered.
        answered = stack.actor.slash_command("U0ALICE", "help")
        assert answered.status == 200
    finally:
        for _ in taken:
            endpoint.slots.release()
    assert _post(stack, json.dumps(_row("busy-1")).encode())[0] == 200


def test_a_pushed_zendesk_row_and_the_zendesk_export_are_one_outcome(stack: SandboxStack) -> None:
    from bot.outcomes.formats import import_file
    from tests.support.outcome_data import FIXTURES

    with stack.runtime.transaction() as session:
        ws = session.scalars(select(Workspace)).one()
        path = FIXTURES / "zendesk.csv"
        import_file(session, workspace_id=ws.id, path=path, fmt=None, now=stack.clock())
    pushed = _row("1002", agent="bob@example.com", kind="thumbs", score="bad", source="zendesk")
    status, answer = _post(stack, json.dumps(pushed).encode())
    assert status == 200
    assert (answer["imported"], answer["duplicates"]) == (0, 1)
