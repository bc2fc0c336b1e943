"""The weekly digest, `/cx digest` and the lead's App Home, over HTTP against the emulator."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_runtime, run_job
from bot.insights.reports import format_team_weeks, load_team_weeks
from models import DigestSend
from models.db import make_engine, make_sessionmaker
from tests.support import flowon_data as fd
from tests.support.digest import start_digest_stack
from tests.support.stack import SandboxStack

WEEK = date(2026, 3, 9)
# WEEK closes on Thursday 19 March (answers come in for 48 h, in every time zone): the
# first Monday digest that reports it is the one of 23 March.
MONDAY_9 = datetime(2026, 3, 23, 9, 5, tzinfo=UTC)


@pytest.fixture
def lead_stack(db_url: str) -> Iterator[tuple[SandboxStack, str, str]]:
    """A stack with one lead and a #cx-digest channel (by name) for the whole workspace."""
    with start_digest_stack(db_url, now=MONDAY_9, leads=["lena"]) as (stack, [lead], channel):
        yield stack, lead, channel


def _seed(stack: SandboxStack, lead: str, answered: int) -> None:
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        team, people = fd.team_with_people(session, ws, "support", answered + 1, user_ids=[lead])
        for week, base in ((WEEK - timedelta(weeks=1), 3), (WEEK, 4)):
            fd.pulse_week(session, ws, team, people, week, [base] * answered, days=2)
        fd.moment(
            session,
            ws,
            team,
            WEEK,
            "win",
            customer="Initech",
            what="rescued <b>launch</b>",
            would_tell=True,
            csat=5,
            sentiment=0.5,
        )
        fd.moment(
            session,
            ws,
            team,
            WEEK,
            "problem",
            customer="Globex",
            what="late refund",
            csat=2,
            sentiment=-0.4,
        )
        fd.celebration(session, ws, team, WEEK, ["customerfirst"])


def _eventually(read: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def _sends(stack: SandboxStack) -> list[DigestSend]:
    with stack.runtime.sessions() as session:
        return list(session.scalars(select(DigestSend)))


def test_digest_posts_once_per_channel_and_week_with_its_chart(
    lead_stack: tuple[SandboxStack, str, str],
) -> None:
    stack, lead, channel = lead_stack
    _seed(stack, lead, answered=6)
    stack.run_job("digests", MONDAY_9 - timedelta(minutes=10))
    assert stack.emulator.calls_to("chat.postMessage") == []

    first = stack.run_job("digests", MONDAY_9)
    again = stack.run_job("digests", MONDAY_9 + timedelta(minutes=5))
    assert first[stack.emulator.team_id] == {"cx-digest": "sent"}
    assert again[stack.emulator.team_id] == {"cx-digest": "already claimed"}

    (post,) = [c for c in stack.emulator.calls_to("chat.postMessage") if c.ok]
    assert post.args["channel"] == "#cx-digest"
    (upload,) = [c for c in stack.emulator.calls_to("files.completeUploadExternal") if c.ok]
    assert upload.args["channel_id"] == channel  # the name, resolved to its id
    (png,) = stack.emulator.uploaded_files.values()
    assert png.content is not None
    assert png.content.startswith(b"\x89PNG")
    assert png.channels == [channel]
    assert png.filename == "cxpulse-2026-W11.png"  # an identifier: the ISO week stays
    # What people read names the week by its Monday, like the lead's App Home.
    assert png.title == "Everyone: mood and win share by week, week of 9 March"
    assert "from the week of 2 March to the week of 9 March" in (png.alt_txt or "")

    digest, chart = stack.emulator.messages(channel)
    text = str(digest["blocks"])
    assert "CX Pulse weekly: Everyone, week of 9 March" in text
    assert "2026-W" not in text
    assert digest["text"].startswith("CX Pulse weekly digest for Everyone, week of 9 March: ")
    assert "Mean mood *4.0*/5 from 6 people (participation 86%), ↑ +1.0 vs last week" in text
    assert "rescued &lt;b&gt;launch&lt;/b&gt;" in text
    assert "Globex" in text
    assert "#customerfirst (1)" in text
    assert "invite them to the next all-hands" in text
    assert chart["files"][0]["id"] == png.id

    (send,) = _sends(stack)
    assert (send.status, send.channel_id, send.week_start) == ("sent", channel, WEEK)
    assert send.message_ts == digest["ts"]
    assert send.file_id == png.id


def test_two_instances_running_at_once_post_once(
    lead_stack: tuple[SandboxStack, str, str], db_url: str
) -> None:
    stack, lead, channel = lead_stack
    _seed(stack, lead, answered=5)
    other_engine = make_engine(db_url)
    other = build_runtime(stack.settings, sessions=make_sessionmaker(other_engine))
    runtimes = [stack.runtime, stack.runtime, other, other]
    barrier = threading.Barrier(len(runtimes))
    results: list[dict[str, Any]] = []

    def run(runtime: Any) -> None:
        barrier.wait()
        results.append(run_job("digests", runtime, MONDAY_9))

    threads = [threading.Thread(target=run, args=(r,)) for r in runtimes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other_engine.dispose()
    outcomes = sorted(r[stack.emulator.team_id]["cx-digest"] for r in results)
    assert outcomes == ["already claimed"] * 3 + ["sent"]
    assert len([c for c in stack.emulator.calls_to("chat.postMessage") if c.ok]) == 1
    assert len([c for c in stack.emulator.calls_to("files.completeUploadExternal") if c.ok]) == 1
    assert len(stack.emulator.messages(channel)) == 2
    assert [s.status for s in _sends(stack)] == ["sent"]


def test_a_failed_chart_upload_is_retried_without_posting_again(
    lead_stack: tuple[SandboxStack, str, str],
) -> None:
    stack, lead, _channel = lead_stack
    _seed(stack, lead, answered=5)
    stack.emulator.inject_fault("files.completeUploadExternal", "error", error="internal_error")
    first = stack.run_job("digests", MONDAY_9)
    assert first[stack.emulator.team_id]["cx-digest"] == "failed: internal_error"
    retry = stack.run_job("digests", MONDAY_9 + timedelta(minutes=5))
    assert retry[stack.emulator.team_id]["cx-digest"] == "sent"
    assert len([c for c in stack.emulator.calls_to("chat.postMessage") if c.ok]) == 1
    assert len([c for c in stack.emulator.calls_to("files.completeUploadExternal") if c.ok]) == 1
    assert [s.status for s in _sends(stack)] == ["sent"]


@pytest.mark.parametrize(
    ("answered", "shown", "shown_to_lead"), [(4, False, False), (5, True, False), (6, True, True)]
)
def test_mood_shows_nowhere_below_five_and_to_a_lead_inside_at_six(
    lead_stack: tuple[SandboxStack, str, str], answered: int, shown: bool, shown_to_lead: bool
) -> None:
    """The channel and the export need five; the lead, who answered too, five besides them."""
    stack, lead, channel = lead_stack
    _seed(stack, lead, answered=answered)
    mood = "Mean mood *4.0*/5"
    withheld = "Mood withheld: fewer than 5 people answered"
    withheld_for_lead = "Mood withheld: fewer than 5 people besides you answered"

    stack.run_job("digests", MONDAY_9)
    digest = str(stack.emulator.messages(channel)[0]["blocks"])
    assert (mood in digest, withheld in digest) == (shown, not shown)

    stack.actor.app_home_opened(lead)
    (call,) = stack.emulator.wait_for("views.publish")
    home = str(call.args["view"]["blocks"])
    assert "Your team: support" in home
    assert (mood in home, withheld_for_lead in home) == (shown_to_lead, not shown_to_lead)

    stack.actor.slash_command(lead, "digest")
    preview = _eventually(lambda: stack.emulator.responses)
    body = str(preview[0].body)
    assert preview[0].body["response_type"] == "ephemeral"
    assert "CX Pulse weekly: support, week of 9 March" in body
    assert (mood in body, withheld_for_lead in body) == (shown_to_lead, not shown_to_lead)

    with stack.runtime.sessions() as session:
        rows, _ = load_team_weeks(session, stack.settings, None, now=MONDAY_9)
    csv_lines = format_team_weeks(rows, "csv").splitlines()
    share = f"{answered / (answered + 1):.3f}"
    expected = f"support,2026-W11,{answered},4.0,{share}," if shown else "support,2026-W11,,,,"
    assert any(line.startswith(expected) for line in csv_lines), csv_lines


def test_non_leads_get_a_clear_answer_and_no_team_view(
    lead_stack: tuple[SandboxStack, str, str],
) -> None:
    stack, lead, _ = lead_stack
    _seed(stack, lead, answered=6)
    someone = stack.emulator.add_user(name="sam")["id"]
    stack.actor.slash_command(someone, "digest")
    (reply,) = _eventually(lambda: stack.emulator.responses)
    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["text"].startswith("Only leads can preview the digest")
    stack.actor.app_home_opened(someone)
    (call,) = stack.emulator.wait_for("views.publish")
    assert "Your team" not in str(call.args["view"]["blocks"])
