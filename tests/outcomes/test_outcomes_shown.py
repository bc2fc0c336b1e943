"""Where customer-reported outcomes are shown: experience gap, digest, lead App Home."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.core.disclosure import Audience
from bot.digest.store import compute_digest
from bot.digest.views import build_digest_blocks, customers_line
from bot.home.views import gap_line
from bot.insights.experience_gap import experience_gap
from bot.insights.teamweeks import team_weeks
from bot.outcomes.rows import agent_index, generic_row
from bot.outcomes.store import store_outcomes
from models import PulseExtraAnswer
from tests.support.outcome_data import NOW, Agents, agents

WEEK = date(2026, 3, 9)
CLOSED = datetime(2026, 3, 19, 9, tzinfo=UTC)  # WEEK has closed (Thursday after)


def _store(session: Session, workspace_id: int, rows: list[dict[str, object]]) -> None:
    checked = [generic_row({"external_id": f"s{i}", **r}, line=i) for i, r in enumerate(rows)]
    index = agent_index(session, workspace_id=workspace_id)
    store_outcomes(
        session, workspace_id=workspace_id, source="csv", rows=checked, index=index, now=NOW
    )


def _support_digest(session: Session, a: Agents) -> str:
    """The support team's digest for WEEK, as the JSON text of its blocks."""
    data = compute_digest(
        session,
        workspace_id=a.ws.id,
        week=WEEK,
        team=a.support,
        audience=Audience(5),
        now=CLOSED,
        min_team_weeks=10,
    )
    return json.dumps(build_digest_blocks(data))


def test_experience_gap_puts_customers_own_ratings_beside_the_leads_belief(
    session: Session,
) -> None:
    a = agents(session)
    for i in range(5):  # five leads guessed 4.6 on average for March
        session.add(
            PulseExtraAnswer(
                workspace_id=a.ws.id,
                respondent_key=f"lead{i}",
                pulse_date=date(2026, 3, 3),
                week_start=date(2026, 3, 2),
                question_key="experience_gap",
                value=5 if i < 3 else 4,
            )
        )
    _store(
        session,
        a.ws.id,
        [
            {"when": "2026-03-03", "agent": "U0ALICE", "kind": "csat", "score": 3},  # 0.5
            {"when": "2026-03-20", "agent": "U0BOB", "kind": "thumbs", "score": "bad"},  # 0
            {"when": "2026-03-21", "agent": "U0BOB", "kind": "nps", "score": 10},  # 1.0
            {"when": "2026-04-01", "agent": "U0BOB", "kind": "csat", "score": 5},  # April
        ],
    )
    session.commit()
    # Shown for the last closed month: March, seen in April.
    gap = experience_gap(session, workspace_id=a.ws.id, day=date(2026, 4, 2), threshold=5)
    assert gap.leads_mean == pytest.approx(4.6)
    assert gap.customer_responses == 3
    # Mean 0.5 on 0–1 is 3.0 on the leads' 1–5 scale.
    assert gap.customer_rating == pytest.approx(1 + 4 * 0.5)
    assert gap.customer_nps == pytest.approx(100.0)
    team = experience_gap(
        session, workspace_id=a.ws.id, day=date(2026, 4, 1), threshold=5, team_id=a.support.id
    )
    assert (team.customer_responses, team.customer_rating) == (1, pytest.approx(3.0))
    line = gap_line(gap, 5)
    assert "4.6" in line
    assert "3.0" in line
    assert "3 customer ratings" in line
    assert "+100" in line


def test_digest_and_lead_lines_show_what_customers_said(session: Session) -> None:
    a = agents(session)
    _store(
        session,
        a.ws.id,
        [
            {
                "when": WEEK.isoformat(),
                "agent": "U0ALICE",
                "kind": "csat",
                "score": 5,
                "customer": "jo@customer.example",
                "comment": "<!channel> Loved it, write me at jo@customer.example *now*",
            },
            {
                "when": WEEK.isoformat(),
                "agent": "U0ALICE",
                "kind": "nps",
                "score": 2,
                "customer": "Initech",
                "comment": "=cmd|' /C calc'!A0 too slow",
            },
        ],
    )
    session.commit()
    (week,) = team_weeks(session, workspace_id=a.ws.id, threshold=5, team_id=a.support.id)
    line = customers_line(week)
    assert "2 customer ratings" in line
    assert "CSAT *5.0*/5" in line  # the CSAT 5 alone: an NPS answer is not a CSAT
    assert "NPS *-100*" in line
    assert customers_line(None).startswith("No customer ratings")

    text = _support_digest(session, a)
    assert "2 customer ratings" in text
    assert "Loved it" in text
    assert "too slow" in text
    assert "@" not in text.replace("@here", "")  # no email, neither the customer's nor in text
    assert "<!channel>" not in text
    assert "&lt;!channel&gt;" in text
    assert "alice" not in text.lower()  # agents are never named beside a rating


def test_digest_quotes_only_the_reported_week_and_team(session: Session) -> None:
    a = agents(session)
    _store(
        session,
        a.ws.id,
        [
            {
                "when": WEEK.isoformat(),
                "agent": "U0BOB",
                "kind": "csat",
                "score": 1,
                "comment": "billing's customer",
            },
            {
                "when": (WEEK - timedelta(days=3)).isoformat(),
                "agent": "U0ALICE",
                "kind": "csat",
                "score": 1,
                "comment": "last week's",
            },
        ],
    )
    session.commit()
    text = _support_digest(session, a)
    assert "billing's customer" not in text
    assert "last week's" not in text


def test_the_gap_is_shown_for_the_last_closed_month() -> None:
    from bot.core.disclosure import last_closed_month

    # Closed once no answer for it can arrive: three days after its last day.
    assert last_closed_month(datetime(2026, 3, 4, tzinfo=UTC)) == date(2026, 2, 1)
    assert last_closed_month(datetime(2026, 3, 3, 23, tzinfo=UTC)) == date(2026, 1, 1)
    assert last_closed_month(datetime(2026, 1, 15, tzinfo=UTC)) == date(2025, 12, 1)


def test_the_lead_app_home_shows_what_customers_said(session: Session) -> None:
    from bot.home.store import compute_lead_view
    from bot.home.views import build_lead_home_blocks

    a = agents(session)
    _store(
        session,
        a.ws.id,
        [
            {"when": WEEK.isoformat(), "agent": "U0ALICE", "kind": "csat", "score": 4},
            {"when": "2026-02-20", "agent": "U0ALICE", "kind": "nps", "score": 10},
        ],
    )
    session.commit()
    view = compute_lead_view(
        session,
        workspace_id=a.ws.id,
        team=a.support,
        audience=Audience(5),
        now=CLOSED,
        min_team_weeks=10,
        own_key=None,
    )
    text = json.dumps(build_lead_home_blocks(view))
    assert "1 customer rating" in text
    assert "CSAT *4.0*/5" in text  # one scale: mean CSAT on 1–5
    # The experience gap is February's (the last closed month): one NPS 10.
    assert "February 2026" in text
    assert "+100" in text
