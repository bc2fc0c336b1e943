"""No double posts, continued: the drop-alert DM, the moment DMs and the lead's private chart.

As in ``test_double_posts``, Slack does the call and then its answer fails (5xx, dropped,
cut, timeout); the app must end with exactly one message or upload each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.core import ids
from models import DropAlert
from slack_emulator import SlackEmulator
from tests.support import flowon_data as fd
from tests.support.faults import IMPATIENT, KINDS, post_then_fail
from tests.support.moments import opened_view, valid_values
from tests.support.stack import SandboxStack
from tests.support.waiting import wait_until

pytestmark = pytest.mark.stack(slack_timeout_seconds=1)  # an injected 1.5 s stall is a timeout

# The four post-then-fail kinds, and a 5xx before Slack did anything (the app cannot tell
# which: it must look, then post once).
FAILURES = [*KINDS, "not_posted"]
NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)  # last closed week: 6 April
LAST_CLOSED = date(2026, 4, 6)


@pytest.fixture
def lead_stack(db_url: str) -> Iterator[tuple[SandboxStack, str]]:
    """A lead of a team of eight with thirteen closed weeks; the last one fell hard."""
    emulator = SlackEmulator().start()
    lead = emulator.add_user(name="lena")["id"]
    with SandboxStack.start(
        db_url, now=NOW, migrate=False, emulator=emulator, leads=(lead,), **IMPATIENT
    ) as running:
        with running.runtime.transaction() as session:
            ws = fd.workspace(session)
            team, people = fd.team_with_people(session, ws, "support", 8, user_ids=[lead])
            for k in range(13):
                week = LAST_CLOSED - timedelta(weeks=12 - k)
                fd.pulse_week(session, ws, team, people, week, [1 if k == 12 else 4 + k % 2] * 8)
        yield running, lead


def fail_next_post(stack: SandboxStack, failure: str) -> None:
    if failure == "not_posted":
        stack.emulator.inject_fault("chat.postMessage", "server_error", status=503)
    else:
        post_then_fail(stack.emulator, failure)


def dm_messages(stack: SandboxStack, user: str) -> list[dict[str, object]]:
    dm = stack.emulator.dm_channel(user)
    return list(stack.emulator.messages(dm)) if dm else []


def settled(stack: SandboxStack) -> None:
    """Every listener the app started has finished (a second post would have been made)."""
    stack.app.listener_runner.listener_executor.shutdown(wait=True)


@pytest.mark.parametrize("failure", FAILURES)
def test_drop_alert(lead_stack: tuple[SandboxStack, str], failure: str) -> None:
    stack, lead = lead_stack
    fail_next_post(stack, failure)
    for minutes in (0, 60):
        stack.run_job("drop-alerts", NOW + timedelta(minutes=minutes))
    assert len(dm_messages(stack, lead)) == 1
    with stack.runtime.sessions() as session:
        assert session.scalars(select(DropAlert.leads_told)).all() == [1]


@pytest.mark.parametrize("failure", FAILURES)
def test_moment_confirmation_dm_when_the_ephemeral_fails(stack: SandboxStack, failure: str) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.slash_command(user, "moment")
    view = opened_view(stack)
    stack.emulator.inject_fault("chat.postEphemeral", "error", error="channel_not_found")
    fail_next_post(stack, failure)
    assert stack.actor.submit_view(user, view, valid_values()).json is None
    wait_until(lambda: dm_messages(stack, user), what="the confirmation DM")
    settled(stack)
    assert len(dm_messages(stack, user)) == 1


@pytest.mark.parametrize("failure", FAILURES)
def test_apology_dm_when_the_moment_form_cannot_open(stack: SandboxStack, failure: str) -> None:
    user = stack.emulator.add_user(name="ada")["id"]
    stack.actor.app_home_opened(user)
    stack.emulator.wait_for("views.publish")
    stack.emulator.inject_fault("views.open", "error", error="expired_trigger_id")
    fail_next_post(stack, failure)
    stack.actor.click(user, view=stack.emulator.home_views[user], action_id=ids.HOME_LOG_MOMENT)
    wait_until(lambda: dm_messages(stack, user), what="the apology DM")
    settled(stack)
    assert len(dm_messages(stack, user)) == 1


def completed_uploads(stack: SandboxStack) -> list[str]:
    """Ids of files whose upload Slack completed (whatever the app was told)."""
    return [f.id for f in stack.emulator.uploaded_files.values() if f.completed]


@pytest.mark.parametrize("kind", KINDS)
def test_lead_chart(lead_stack: tuple[SandboxStack, str], kind: str) -> None:
    stack, lead = lead_stack
    post_then_fail(stack.emulator, kind, "files.completeUploadExternal")
    for count in (1, 2, 3):  # the lead opens the Home tab again until the chart shows
        stack.actor.app_home_opened(lead)
        stack.emulator.wait_for("views.publish", count=count)
        settled_home = stack.emulator.home_views[lead]
        if any(b["type"] == "image" for b in settled_home["blocks"]):
            break
    (file_id,) = completed_uploads(stack)
    images = [b for b in stack.emulator.home_views[lead]["blocks"] if b["type"] == "image"]
    assert [b["slack_file"] for b in images] == [{"id": file_id}]


def test_lead_chart_without_files_read_still_shows(lead_stack: tuple[SandboxStack, str]) -> None:
    stack, lead = lead_stack
    # An install from before the app asked for files:read: it cannot look, so it uploads.
    stack.emulator.inject_fault("files.list", "error", error="missing_scope")
    stack.actor.app_home_opened(lead)
    stack.emulator.wait_for("views.publish")
    (file_id,) = completed_uploads(stack)
    images = [b for b in stack.emulator.home_views[lead]["blocks"] if b["type"] == "image"]
    assert [b["slack_file"] for b in images] == [{"id": file_id}]
