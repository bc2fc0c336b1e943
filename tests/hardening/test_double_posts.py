"""No double posts: Slack posts, then the answer fails (5xx, dropped, cut, timeout).

For every path that posts (pulses, reminders, digests and their chart, celebrations and the
DMs to the celebrated, follow-ups, note replies and answers back) the emulator takes the
message and then fails the call. The app must end with exactly one message each.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.client import IncompleteRead, RemoteDisconnected
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse
from sqlalchemy import select

from bot.config import Settings
from bot.core import ids
from bot.core.posting import uncertain
from bot.core.slack import make_client, retry_handlers
from bot.digest.jobs import send_workspace_digests
from models import DigestSend
from slack_emulator import SlackEmulator
from slack_emulator.crash import CrashingClient, SimulatedCrash
from tests.support.celebrations import start_party
from tests.support.digest import start_digest_stack
from tests.support.faults import IMPATIENT, KINDS, post_then_fail
from tests.support.moments import only_moment, opened_view, valid_values
from tests.support.seeding import lead_clicks_reply_on_a_note
from tests.support.stack import SandboxStack
from tests.support.waiting import open_view, wait_until

pytestmark = pytest.mark.stack(slack_timeout_seconds=1)  # an injected 1.5 s stall is a timeout

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PULSE_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 10:00 in London
DIGEST_AT = datetime(2026, 3, 16, 9, 5, tzinfo=UTC)  # Monday 09:05 UTC


def texts(stack: SandboxStack, channel: str) -> list[str]:
    return [str(m.get("text")) for m in stack.emulator.messages(channel)]


@pytest.mark.parametrize("kind", KINDS)
def test_pulse(stack: SandboxStack, kind: str) -> None:
    user = stack.emulator.add_user(name="ann", tz="Europe/London")["id"]
    stack.run_job("sync-users")
    post_then_fail(stack.emulator, kind)
    stack.run_job("pulses", PULSE_AT)
    stack.run_job("pulses", PULSE_AT + timedelta(minutes=5))  # the next run finishes the job
    assert len(stack.emulator.messages(stack.actor.dm_of(user))) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_reminder(stack: SandboxStack, kind: str) -> None:
    user = stack.emulator.add_user(name="ann", tz="Europe/London")["id"]
    stack.run_job("sync-users")
    stack.run_job("pulses", PULSE_AT)
    post_then_fail(stack.emulator, kind)
    for minutes in (0, 15):
        stack.run_job("reminders", PULSE_AT + timedelta(hours=4, minutes=minutes))
    assert len(stack.emulator.messages(stack.actor.dm_of(user))) == 2  # the pulse, one nudge


@pytest.fixture
def digest_stack(db_url: str) -> Iterator[tuple[SandboxStack, str]]:
    with start_digest_stack(db_url, now=DIGEST_AT, **IMPATIENT) as (running, _, channel):
        yield running, channel


def digests_in(stack: SandboxStack, channel: str) -> tuple[int, int]:
    """(digest messages, chart uploads) in ``channel``."""
    messages = stack.emulator.messages(channel)
    charts = [m for m in messages if m.get("files")]
    return len(messages) - len(charts), len(charts)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["chat.postMessage", "files.completeUploadExternal"])
def test_digest_and_its_chart(
    digest_stack: tuple[SandboxStack, str], kind: str, method: str
) -> None:
    stack, channel = digest_stack
    post_then_fail(stack.emulator, kind, method)
    for minutes in (0, 5, 10):
        stack.run_job("digests", DIGEST_AT + timedelta(minutes=minutes))
    assert digests_in(stack, channel) == (1, 1)


def test_a_digest_taken_over_after_a_crash_looks_at_the_channel_first(
    digest_stack: tuple[SandboxStack, str],
) -> None:
    stack, channel = digest_stack
    dying = CrashingClient(
        crash_after=0, base_url=stack.emulator.api_url, token=stack.emulator.bot_token
    )
    with pytest.raises(SimulatedCrash):  # Slack took the digest; the process died
        send_workspace_digests(
            stack.runtime, dying, slack_team_id=stack.emulator.team_id, name="", now=DIGEST_AT
        )
    stack.run_job("digests", DIGEST_AT + timedelta(minutes=11))  # the claim is stale: taken over
    assert digests_in(stack, channel) == (1, 1)
    with stack.runtime.sessions() as session:
        assert session.scalars(select(DigestSend.status)).all() == ["sent"]


@pytest.mark.parametrize("kind", KINDS)
def test_celebration_and_the_dm_to_the_celebrated(db_url: str, kind: str) -> None:
    with start_party(db_url, **IMPATIENT) as party:
        # Both the channel post and the DM are taken by Slack and then fail.
        party.emulator.inject_fault("chat.postMessage", kind, 2, done=True, status=503, delay=1.5)
        party.stack.actor.slash_command(party.lead, f"celebrate <@{party.alice}> for a rescue")
        party.emulator.wait_for("response_url")
        party.drain()
        assert len(party.posts()) == 1
        assert len(party.dms(party.alice)) == 1
        assert len(party.celebrations()) == 1


def _log_with_followup(stack: SandboxStack, user: str) -> None:
    stack.actor.slash_command(user, "moment")
    values = valid_values(**{ids.MOMENT_FOLLOWUP: "2026-03-09"})
    assert stack.actor.submit_view(user, opened_view(stack), values).json is None
    stack.emulator.wait_for("chat.postEphemeral")


@pytest.mark.parametrize("kind", KINDS)
def test_followup(stack: SandboxStack, kind: str) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    _log_with_followup(stack, user)
    post_then_fail(stack.emulator, kind)
    for hour in (10, 11):  # the day after: due in every time zone
        stack.run_job("followups", datetime(2026, 3, 10, hour, 0, tzinfo=UTC))
    dm = stack.emulator.dm_channel(user) or user
    assert ["close the loop" in t for t in texts(stack, dm)] == [True]
    assert only_moment(stack).followup_sent_at is not None  # the claim was kept


@pytest.mark.parametrize("kind", KINDS)
def test_note_reply_and_answer_back(stack: SandboxStack, kind: str) -> None:
    lead, staff = lead_clicks_reply_on_a_note(stack)
    post_then_fail(stack.emulator, kind)
    modal = open_view(stack.emulator, ids.NOTE_REPLY_VIEW)
    stack.actor.submit_view(lead, modal, {ids.NOTE_REPLY_TEXT: "Let's fix the rota"})
    author_dm = wait_until(lambda: stack.emulator.dm_channel(staff[2]), what="the author's DM")
    reply = wait_until(lambda: stack.emulator.messages(author_dm), what="the reply")[-1]

    stack.actor.click(staff[2], message=reply, action_id=ids.NOTE_ANSWER)
    post_then_fail(stack.emulator, kind)
    answer = open_view(stack.emulator, ids.NOTE_ANSWER_VIEW)
    stack.actor.submit_view(staff[2], answer, {ids.NOTE_ANSWER_TEXT: "A rota would help"})
    lead_dm = wait_until(lambda: stack.emulator.dm_channel(lead), what="the lead's DM")
    wait_until(lambda: stack.emulator.messages(lead_dm), what="the answer back")
    stack.app.listener_runner.listener_executor.shutdown(wait=True)
    assert ["Let's fix the rota" in json.dumps(m) for m in stack.emulator.messages(author_dm)] == [
        True
    ]
    assert ["A rota would help" in json.dumps(m) for m in stack.emulator.messages(lead_dm)] == [
        True
    ]


def test_only_calls_that_cannot_repeat_work_are_retried_by_the_client() -> None:
    with SlackEmulator() as emulator:
        settings = Settings(slack_api_url=emulator.api_url, slack_bot_token=emulator.bot_token)
        client = make_client(settings)
        emulator.inject_fault("chat.postMessage", "ratelimited", retry_after=1)
        client.chat_postMessage(channel="general", text="after a 429")  # Slack did nothing
        emulator.inject_fault("users.list", "server_error", done=True, status=503)
        client.users_list()  # a read: asked again
        emulator.inject_fault("chat.postMessage", "server_error", done=True, status=503)
        with pytest.raises(SlackApiError):
            client.chat_postMessage(channel="general", text="once")  # not repeated blindly
        errors = [(c.method, c.error) for c in emulator.calls]
        assert errors == [
            ("chat.postMessage", "ratelimited"),
            ("chat.postMessage", None),
            ("users.list", "server_error"),
            ("users.list", None),
            ("chat.postMessage", "server_error"),
        ]
        assert [m["text"] for m in emulator.messages("general")] == ["after a 429", "once"]


def test_a_refused_connection_is_retried_for_any_method() -> None:
    request = HttpRequest(method="POST", url="http://127.0.0.1:9/api/chat.postMessage", headers={})
    refused = URLError(ConnectionRefusedError(111, "Connection refused"))
    handler = retry_handlers()[1]
    assert handler.can_retry(state=RetryState(), request=request, error=refused)
    dropped = URLError(ConnectionResetError(104, "Connection reset by peer"))
    assert not any(
        h.can_retry(state=RetryState(), request=request, error=dropped) for h in retry_handlers()
    )


def _api_error(status: int, error: str) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="chat.postMessage",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=status,
    )
    return SlackApiError(error, response)


@pytest.mark.parametrize(
    ("error", "maybe_posted"),
    [
        (_api_error(503, "service_unavailable"), True),
        (_api_error(200, "channel_not_found"), False),
        (_api_error(429, "ratelimited"), False),
        (TimeoutError("timed out"), True),
        (IncompleteRead(b"{", 10), True),
        (RemoteDisconnected("closed"), True),
        (URLError(ConnectionResetError(104, "reset")), True),
        (URLError(ConnectionRefusedError(111, "refused")), False),
        (ConnectionRefusedError(111, "refused"), False),
    ],
)
def test_which_failures_leave_a_post_uncertain(error: Exception, maybe_posted: bool) -> None:
    assert uncertain(error) is maybe_posted
