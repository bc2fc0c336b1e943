"""Attack: subtract figures shown side by side to isolate a withheld group.

"Everyone 3.3 from 6" beside "Support 3.8 from 5" gives away the one Sales answer
(20 − 19 = 1). Whatever the digest (channel and `/cx digest`), App Home and the export
show for a week, no difference of shown figures may describe fewer people than the
threshold; the experience gap is shown only for a closed month with enough leads; a
lead looking at the group they belong to can subtract their own answer.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.core.disclosure import Audience
from bot.digest.store import compute_digest
from bot.home.store import compute_lead_view
from bot.insights.teamweeks import WHOLE_WORKSPACE, TeamWeek, team_weeks
from models import PulseAnswer, PulseExtraAnswer, Team, Workspace
from tests.support import flowon_data as fd

WEEK = date(2026, 3, 9)
NOW = datetime(2026, 3, 19, 9, tzinfo=UTC)  # the week of WEEK has closed (the gate's rule)
OUTSIDE = Audience(5)
INSIDE = Audience(5, viewer_in_group=True)
THRESHOLD = 5


def _answers(session: Session, ws: Workspace, team: Team, scores: list[int]) -> None:
    for score in scores:
        session.add(
            PulseAnswer(
                workspace_id=ws.id,
                respondent_key=secrets.token_hex(32),
                team_id=team.id,
                pulse_date=WEEK,
                week_start=WEEK,
                score=score,
            )
        )


def _seed(session: Session) -> tuple[Workspace, Team, Team]:
    ws = fd.workspace(session)
    support, _ = fd.team_with_people(session, ws, "Support", 5)
    sales, _ = fd.team_with_people(session, ws, "Sales", 1)
    _answers(session, ws, support, [4, 4, 4, 4, 3])
    _answers(session, ws, sales, [1])
    session.commit()
    return ws, support, sales


def _shown(rows: list[TeamWeek | None]) -> dict[str, tuple[int, float]]:
    return {
        r.team: (r.respondents, r.mean_mood)
        for r in rows
        if r is not None and r.week_start == WEEK and r.respondents and r.mean_mood is not None
    }


def _isolated(shown: dict[str, tuple[int, float]], teams: list[str]) -> int | None:
    """People behind "everyone minus the teams shown", if both sides are shown."""
    if WHOLE_WORKSPACE not in shown:
        return None
    rest = shown[WHOLE_WORKSPACE][0] - sum(shown[t][0] for t in teams if t in shown)
    return rest


def test_no_figure_shown_anywhere_isolates_a_withheld_team(session: Session) -> None:
    ws, support, _ = _seed(session)
    kw = {"workspace_id": ws.id, "now": NOW, "min_team_weeks": 10, "audience": OUTSIDE}
    shown = {}
    shown |= _shown([compute_digest(session, team=None, week=WEEK, **kw).this_week])  # channel
    shown |= _shown([compute_digest(session, team=support, week=WEEK, **kw).this_week])
    shown |= _shown(team_weeks(session, workspace_id=ws.id, threshold=THRESHOLD))  # export
    shown |= _shown(team_weeks(session, workspace_id=ws.id, threshold=THRESHOLD, by_team=False))
    lead = compute_lead_view(session, team=support, own_key=None, **kw)  # a lead outside
    shown |= _shown([lead.this_week])
    rest = _isolated(shown, ["Support", "Sales", "(no team)"])
    assert rest is None or rest == 0 or rest >= THRESHOLD, shown


def test_a_lead_inside_the_group_cannot_subtract_their_own_answer(session: Session) -> None:
    ws, support, _ = _seed(session)
    kw = {"workspace_id": ws.id, "now": NOW, "min_team_weeks": 10, "audience": INSIDE}
    inside = compute_lead_view(session, team=support, own_key=None, **kw)
    # Five answered; minus the lead's own, four: fewer than the threshold.
    assert inside.this_week is None or inside.this_week.mean_mood is None
    preview = compute_digest(session, team=support, week=WEEK, **kw)
    assert preview.this_week is None or preview.this_week.mean_mood is None


def test_the_experience_gap_is_shown_only_for_a_closed_month_with_enough_leads(
    session: Session,
) -> None:
    ws, support, _ = _seed(session)
    for i in range(5):  # February: five leads answered (closed month)
        session.add(
            PulseExtraAnswer(
                workspace_id=ws.id,
                respondent_key=secrets.token_hex(32),
                team_id=None,
                pulse_date=date(2026, 2, 2 + i),
                week_start=date(2026, 2, 2),
                question_key="experience_gap",
                value=3,
            )
        )
    for value, day in ((5, 2), (1, 3), (5, 4), (5, 5), (2, 6), (4, 9)):  # March: still open
        session.add(
            PulseExtraAnswer(
                workspace_id=ws.id,
                respondent_key=secrets.token_hex(32),
                team_id=None,
                pulse_date=date(2026, 3, day),
                week_start=date(2026, 3, 2) + timedelta(weeks=day // 7),
                question_key="experience_gap",
                value=value,
            )
        )
    session.commit()
    kw = {"workspace_id": ws.id, "now": NOW, "min_team_weeks": 10, "audience": OUTSIDE}
    gap = compute_lead_view(session, team=support, own_key=None, **kw).gap
    assert gap.month == date(2026, 2, 1)  # never the month still being answered
    assert gap.leads_mean == 3.0


def test_a_month_of_weekly_keys_counts_people_not_keys(session: Session) -> None:
    """Three people answering four weeks have twelve weekly keys: still three people."""
    from datetime import UTC, datetime

    from bot.insights.questions import question_results

    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "Support", 3)
    for week in range(4):
        day = date(2026, 2, 2) + timedelta(weeks=week)
        fd.extra_answers(session, ws, team, people, day, "workload", [2, 4, 5])
    session.commit()
    now = datetime(2026, 3, 18, 12, tzinfo=UTC)
    shown = question_results(
        session, workspace_id=ws.id, threshold=THRESHOLD, now=now, period="month"
    )
    assert [r for r in shown if r.question_key == "workload"] == []
