"""eNPS in the month's first digest, the week's second questions in every digest, over HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support import flowon_data as fd
from tests.support.digest import start_digest_stack
from tests.support.stack import SandboxStack

# Monday 13 April 2026 09:05: the latest closed week is 2026-W14 (30 March), which the
# digest reports; 6–12 April is still open until Thursday. The next Monday's digest reports
# 6–12 April, the month's first full week: the monthly edition (eNPS for March, closed).
MONTHLY = datetime(2026, 4, 13, 9, 5, tzinfo=UTC)
CLOSED_WEEK = date(2026, 3, 30)


@pytest.fixture
def digest_stack(db_url: str) -> Iterator[tuple[SandboxStack, str, str, str]]:
    with start_digest_stack(db_url, now=MONTHLY, leads=["lena", "bill"]) as (stack, leads, channel):
        lena, bill = leads
        with stack.runtime.transaction() as session:
            ws = fd.workspace(session)
            support, people = fd.team_with_people(session, ws, "support", 6, user_ids=[lena])
            billing, few = fd.team_with_people(session, ws, "billing", 4, user_ids=[bill])
            ops, three = fd.team_with_people(session, ws, "ops", 3)
            fd.extra_answers(session, ws, support, people, date(2026, 2, 4), "enps", [9] * 6)
            fd.extra_answers(session, ws, support, people, date(2026, 3, 4), "enps", [10] * 6)
            fd.extra_answers(session, ws, billing, few, date(2026, 3, 4), "enps", [0] * 4)
            fd.extra_answers(session, ws, ops, three, date(2026, 3, 4), "enps", [10, 10, 8])
            for team, members, value in ((support, people, 5), (billing, few, 1), (ops, three, 3)):
                fd.extra_answers(session, ws, team, members, CLOSED_WEEK, "tools", [value] * 6)
        yield stack, lena, bill, channel


def test_monthly_digest_has_enps_and_the_closed_weeks_second_questions(
    digest_stack: tuple[SandboxStack, str, str, str],
) -> None:
    stack, _, _, channel = digest_stack
    assert stack.run_job("digests", MONTHLY)[stack.emulator.team_id] == {"cx-digest": "sent"}
    text = str(stack.emulator.messages(channel)[0]["blocks"])
    # It reports the week of 30 March, which started in March: not the monthly edition.
    assert "eNPS" not in text
    assert "*Second questions, week of 30 March*" in text
    assert "2026-W" not in text
    assert "Did your tools help you serve customers today? *3.3/5* from 13 people" in text
    # The next Monday's digest reports April's first week: the monthly edition.
    stack.run_job("digests", MONTHLY + timedelta(weeks=1))
    later = str(stack.emulator.messages(channel)[-2]["blocks"])
    # Everyone: 13 people, 6 promoters of 10 ... (10+10+10+10+10+10, 0×4, 10, 10, 8): 8 promoters,
    # 4 detractors → (8 − 4) / 13 = +31; billing and ops together are 7 people, so it may show.
    assert "eNPS, March 2026: *+31* from 13 people" in later
    assert "*Second questions, week of 6 April*" in later


def test_a_team_of_four_never_appears_in_its_leads_digest_preview(
    digest_stack: tuple[SandboxStack, str, str, str],
) -> None:
    stack, lena, bill, _ = digest_stack
    # A week later the preview shows April's first week (closed): the monthly edition.
    stack.clock.set(MONTHLY + timedelta(weeks=1))
    stack.actor.slash_command(bill, "digest")
    deadline = time.monotonic() + 5
    while not stack.emulator.responses and time.monotonic() < deadline:
        time.sleep(0.02)
    body = str(stack.emulator.responses[0].body)
    assert "CX Pulse weekly: billing" in body
    assert "eNPS, March 2026: withheld" in body
    assert "1.0/5" not in body
    assert "-100" not in body
    stack.actor.slash_command(lena, "digest")
    deadline = time.monotonic() + 5
    while len(stack.emulator.responses) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    support = str(stack.emulator.responses[1].body)
    assert "eNPS, March 2026: *+100* from 6 people (+0 vs February)" in support


def test_the_digest_chart_has_alt_text_saying_what_it_shows(
    digest_stack: tuple[SandboxStack, str, str, str],
) -> None:
    stack = digest_stack[0]
    with stack.runtime.transaction() as session:
        ws = fd.workspace(session)
        team, people = fd.team_with_people(session, ws, "sales", 6)
        fd.pulse_week(session, ws, team, people, date(2026, 3, 23), [4] * 6)
        fd.pulse_week(session, ws, team, people, date(2026, 3, 30), [2] * 4)
        fd.moment(session, ws, team, date(2026, 3, 23), "win")
    stack.run_job("digests", MONTHLY)
    (png,) = stack.emulator.uploaded_files.values()
    alt = png.alt_txt or ""
    assert alt.startswith("Line chart of Everyone's mean mood (1–5) and customer win share by week")
    assert "from the week of 23 March to the week of 30 March" in alt
    assert "mean mood 4.0 (one week only)" in alt
    assert "withheld weeks: 30 March (fewer than 5 people answered; shown as a gap" in alt
    assert "2026-W" not in alt
