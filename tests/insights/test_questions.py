"""eNPS and second-question results: closed periods, the threshold, no figure that subtracts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from bot.insights.questions import (
    last_closed_month,
    last_closed_week,
    question_results,
)
from tests.support import flowon_data as fd

MARCH_9 = date(2026, 3, 9)  # a Monday: workload is asked that day? (any bank key works)
APRIL_20 = datetime(2026, 4, 20, 9, tzinfo=UTC)


def test_enps_per_closed_month_with_change_against_the_month_before(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "support", 6)
    # February: 2 promoters, 2 passives, 2 detractors → 0; March: 4 promoters, 1 passive,
    # 1 detractor → +50.
    fd.extra_answers(session, ws, team, people, date(2026, 2, 3), "enps", [10, 9, 8, 7, 6, 0])
    fd.extra_answers(session, ws, team, people, date(2026, 3, 3), "enps", [10, 9, 9, 10, 8, 3])
    session.commit()

    rows = question_results(
        session, workspace_id=ws.id, threshold=5, now=APRIL_20, period="month", count=2
    )
    enps = {(r.team, r.period_start): r for r in rows if r.question_key == "enps"}
    march = enps[("support", date(2026, 3, 1))]
    assert (march.respondents, march.value, march.previous) == (6, 50.0, 0.0)
    assert march.change == 50.0
    assert march.label == "2026-03"
    assert enps[("Everyone", date(2026, 3, 1))].value == 50.0


def test_an_open_month_and_an_open_week_are_not_shown(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "support", 6)
    fd.extra_answers(session, ws, team, people, date(2026, 4, 1), "enps", [10] * 6)
    fd.extra_answers(session, ws, team, people, date(2026, 4, 14), "workload", [4] * 6)
    session.commit()
    assert last_closed_month(APRIL_20) == date(2026, 3, 1)
    assert last_closed_week(APRIL_20) == date(2026, 4, 6)
    for period in ("month", "week"):
        assert (
            question_results(session, workspace_id=ws.id, threshold=5, now=APRIL_20, period=period)
            == []
        )


def test_kinds_scale_mean_and_yes_share(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "support", 5)
    fd.extra_answers(session, ws, team, people, MARCH_9, "workload", [5, 4, 4, 3, 2])
    fd.extra_answers(session, ws, team, people, MARCH_9, "helped_customer", [1, 1, 1, 0, 1])
    session.commit()
    rows = question_results(
        session, workspace_id=ws.id, threshold=5, now=APRIL_20, period="week", count=8
    )
    by_key = {r.question_key: r for r in rows if r.team == "support"}
    assert by_key["workload"].value == pytest.approx(3.6)
    assert by_key["helped_customer"].value == pytest.approx(80.0)
    assert by_key["workload"].label == "2026-W11"
    assert by_key["workload"].previous is None


def test_a_team_of_four_never_appears_and_the_workspace_does_not_give_it_away(
    session: Session,
) -> None:
    ws = fd.workspace(session)
    big, big_people = fd.team_with_people(session, ws, "support", 6)
    small, small_people = fd.team_with_people(session, ws, "billing", 4)
    fd.extra_answers(session, ws, big, big_people, MARCH_9, "workload", [4] * 6)
    fd.extra_answers(session, ws, small, small_people, MARCH_9, "workload", [1] * 4)
    session.commit()
    rows = question_results(
        session, workspace_id=ws.id, threshold=5, now=APRIL_20, period="week", count=8
    )
    teams = {r.team for r in rows}
    assert "billing" not in teams
    # Everyone (10) and support (6) together would give billing's mean away (40 - 24 = 16 / 4):
    # the whole-workspace figure goes, the team leads act on stays.
    assert teams == {"support"}


def test_two_small_teams_together_keep_the_workspace_figure_and_the_big_team(
    session: Session,
) -> None:
    ws = fd.workspace(session)
    big, big_people = fd.team_with_people(session, ws, "support", 6)
    for name in ("billing", "sales"):
        team, people = fd.team_with_people(session, ws, name, 3)
        fd.extra_answers(session, ws, team, people, MARCH_9, "workload", [2] * 3)
    fd.extra_answers(session, ws, big, big_people, MARCH_9, "workload", [4] * 6)
    session.commit()
    rows = question_results(
        session, workspace_id=ws.id, threshold=5, now=APRIL_20, period="week", count=8
    )
    # Billing and sales together are 6 people: subtracting isolates no group under 5.
    assert {r.team for r in rows} == {"Everyone", "support"}


def test_threshold_setting_is_never_below_three(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "support", 2)
    fd.extra_answers(session, ws, team, people, MARCH_9, "workload", [4, 4])
    session.commit()
    assert (
        question_results(
            session, workspace_id=ws.id, threshold=1, now=APRIL_20, period="week", count=8
        )
        == []
    )
