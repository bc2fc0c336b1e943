"""What leads expect, over signed HTTP: the 12-week chart, eNPS and second questions, alerts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from models import LeadChart
from slack_emulator import SlackEmulator
from tests.support import flowon_data as fd
from tests.support.stack import SandboxStack, opened_home

# Monday 20 April 2026: the last closed week is 6 April (2026-W15), the last closed month March.
NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
LAST_CLOSED = date(2026, 4, 6)
FIRST_SHOWN = LAST_CLOSED - timedelta(weeks=11)
WITHHELD = LAST_CLOSED - timedelta(weeks=3)  # 2026-W12: only 4 answered


@pytest.fixture
def leads(db_url: str) -> Iterator[tuple[SandboxStack, str, str]]:
    """A stack with two leads: of support (6 people) and of billing (4 people)."""
    emulator = SlackEmulator().start()
    lena = emulator.add_user(name="lena")["id"]
    bill = emulator.add_user(name="bill")["id"]
    with SandboxStack.start(
        db_url, now=NOW, migrate=False, emulator=emulator, leads=(lena, bill)
    ) as stack:
        yield stack, lena, bill


def _seed(stack: SandboxStack, lena: str, bill: str) -> None:
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        support, people = fd.team_with_people(session, ws, "support", 6, user_ids=[lena])
        billing, few = fd.team_with_people(session, ws, "billing", 4, user_ids=[bill])
        for k in range(14):
            week = LAST_CLOSED - timedelta(weeks=13 - k)
            answered = 4 if week == WITHHELD else 6
            fd.pulse_week(session, ws, support, people, week, [3 + k % 2] * answered)
            fd.pulse_week(session, ws, billing, few, week, [2] * 4)
        fd.moment(session, ws, support, LAST_CLOSED, "win", csat=5)
        # eNPS: February 0, March +50 for support; billing (4 people) answers too.
        fd.extra_answers(
            session, ws, support, people, date(2026, 2, 3), "enps", [10, 9, 8, 7, 6, 0]
        )
        fd.extra_answers(
            session, ws, support, people, date(2026, 3, 3), "enps", [10, 9, 9, 10, 8, 3]
        )
        fd.extra_answers(session, ws, billing, few, date(2026, 3, 3), "enps", [0, 0, 0, 0])
        # The last closed week's second questions.
        fd.extra_answers(session, ws, support, people, LAST_CLOSED, "workload", [4, 4, 5, 3, 4, 4])
        fd.extra_answers(
            session,
            ws,
            support,
            people,
            LAST_CLOSED + timedelta(days=1),
            "helped_customer",
            [1, 1, 1, 1, 0, 1],
        )
        fd.extra_answers(session, ws, billing, few, LAST_CLOSED, "workload", [1, 1, 1, 1])


def _uploads(stack: SandboxStack) -> list[Any]:
    return [c for c in stack.emulator.calls_to("files.completeUploadExternal") if c.ok]


def test_lead_home_shows_twelve_closed_weeks_as_a_chart_with_gaps_and_alt_text(
    leads: tuple[SandboxStack, str, str],
) -> None:
    stack, lena, _ = leads
    _seed(stack, lena, _)
    view = opened_home(stack, lena)
    (image,) = [b for b in view["blocks"] if b["type"] == "image"]
    (upload,) = _uploads(stack)
    file_id = upload.args["files"][0]["id"]
    assert image["slack_file"] == {"id": file_id}
    png = stack.emulator.uploaded_files[file_id]
    assert png.content is not None
    assert png.content.startswith(b"\x89PNG")
    assert png.channels == []  # private to the app: no public URL, no channel
    alt = image["alt_text"]
    assert alt == png.alt_txt
    assert "support" in alt
    assert "12 closed weeks" in alt
    assert "from the week of 19 January to the week of 6 April" in alt
    assert "withheld weeks: 16 March" in alt  # a gap, said so
    assert "participation" in alt

    # The same closed week: no new chart, whoever looks.
    again = opened_home(stack, lena)
    assert [b["slack_file"] for b in again["blocks"] if b["type"] == "image"] == [{"id": file_id}]
    assert len(_uploads(stack)) == 1
    # A week later a new week has closed: one new chart.
    stack.clock.set(NOW + timedelta(weeks=1))
    opened_home(stack, lena)
    assert len(_uploads(stack)) == 2
    with stack.runtime.sessions() as session:
        (row,) = session.scalars(select(LeadChart))
        assert row.last_week == LAST_CLOSED + timedelta(weeks=1)


def test_lead_home_shows_enps_and_second_questions_above_the_threshold_only(
    leads: tuple[SandboxStack, str, str],
) -> None:
    stack, lena, bill = leads
    _seed(stack, lena, bill)
    text = str(opened_home(stack, lena)["blocks"])
    assert "eNPS, March 2026: *+50*" in text
    assert "+50 vs February" in text
    assert "How manageable was your workload today?" in text
    assert "*4.0/5* from 6 people" in text
    assert "Did you help a customer today?" in text
    assert "83% yes" in text
    # Billing has 4 people: none of its figures appear, its lead sees why.
    billing = str(opened_home(stack, bill)["blocks"])
    assert "eNPS, March 2026: withheld" in billing
    assert "1.0/5" not in billing
    assert "-100" not in billing
    assert "every one of the last 12 closed weeks was withheld" in billing
    assert [b for b in opened_home(stack, bill)["blocks"] if b["type"] == "image"] == []


def test_a_failed_chart_upload_leaves_the_rest_of_the_home(
    leads: tuple[SandboxStack, str, str],
) -> None:
    stack, lena, bill = leads
    _seed(stack, lena, bill)
    stack.emulator.inject_fault("files.completeUploadExternal", "error", error="internal_error")
    view = opened_home(stack, lena)
    text = str(view["blocks"])
    assert "Your team: support" in text
    assert [b for b in view["blocks"] if b["type"] == "image"] == []
    assert "chart could not be made" in text
