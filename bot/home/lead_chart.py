"""Which chart a lead's App Home shows: the data, and the stored file (one per team and week).

Services only (no Slack): the upload itself is in ``chart_delivery.py``. A chart is
drawn and uploaded at most once per team and closed week: the first Home that needs
it claims the ``lead_chart`` row, everyone else reuses the stored file id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.core.disclosure import (
    Audience,
    Figure,
    SurfaceAsk,
    last_closed_month,
    last_closed_week,
    question_figures,
    surface,
)
from bot.core.weeks import iso_week_label
from bot.insights.questions import MONTH, WEEK, QuestionResult, question_results
from bot.insights.teamweeks import WHOLE_WORKSPACE, TeamWeek, team_weeks
from bot.pulse.questions import ENPS
from bot.workspace.people import find_person
from models import LeadChart, Team
from models.rollup import WHOLE_WORKSPACE_KEY
from models.upsert import dialect_insert

CHART_WEEKS = 12
# A claim whose upload never finished (a crash) is taken over after this long.
CLAIM_STALE_AFTER = timedelta(minutes=5)
PENDING = ""  # file_id of a claimed chart whose upload has not finished


@dataclass(frozen=True)
class ChartData:
    """One team's (or everyone's) last closed weeks, withheld weeks included as such."""

    scope: str
    team_key: int
    weeks: list[date]
    rows: dict[date, TeamWeek]
    threshold: int
    # Weeks need one respondent more than ``threshold`` (the viewer is in the group).
    besides_you: bool = False

    @property
    def last_week(self) -> date:
        """The newest closed week shown."""
        return self.weeks[-1]

    @property
    def anything_shown(self) -> bool:
        """False when every week's mood was withheld: no chart is worth drawing."""
        return any(r.mean_mood is not None for r in self.rows.values())


def lead_team(session: Session, *, slack_team_id: str, slack_user_id: str) -> Team | None:
    """The team a lead belongs to (None: the lead sees the whole workspace)."""
    person = find_person(session, slack_team_id=slack_team_id, slack_user_id=slack_user_id)
    return session.get(Team, person.team_id) if person and person.team_id else None


def scope_name(team: Team | None) -> str:
    """What a lead's figures are of: their team, or the whole workspace."""
    return team.name if team else WHOLE_WORKSPACE


def chart_audience(threshold: int) -> Audience:
    """Who a chart is drawn for: one file is shared by every lead of its scope, who are
    (or may be) in the group, so it always needs one respondent more."""
    return Audience(threshold, viewer_in_group=True)


def chart_data(
    session: Session, *, workspace_id: int, team: Team | None, threshold: int, now: datetime
) -> ChartData:
    """The last ``CHART_WEEKS`` closed weeks of ``team`` (or the whole workspace)."""
    audience = chart_audience(threshold)
    last = last_closed_week(now)
    weeks = [last - timedelta(weeks=k) for k in range(CHART_WEEKS - 1, -1, -1)]
    rows = team_weeks(
        session,
        workspace_id=workspace_id,
        threshold=audience.limit,
        since=weeks[0],
        until=last,
        team_id=team.id if team else None,
        by_team=team is not None,
    )
    return ChartData(
        scope=team.name if team else WHOLE_WORKSPACE,
        team_key=team.id if team else WHOLE_WORKSPACE_KEY,
        weeks=weeks,
        rows={r.week_start: r for r in rows if team is None or r.team_id == team.id},
        threshold=audience.shown_threshold,
        besides_you=audience.viewer_in_group,
    )


@surface("lead_chart")
def chart_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """The chart's weeks (and so its alt text): mood and participation per closed week."""
    team = session.get(Team, ask.team_id) if ask.team_id else None
    data = chart_data(
        session,
        workspace_id=ask.workspace_id,
        team=team,
        threshold=ask.audience.threshold,
        now=ask.now,
    )
    return [
        Figure(
            "lead_chart", iso_week_label(r.week_start), r.team, "mood", r.respondents, r.mean_mood
        )
        for r in data.rows.values()
        if r.mean_mood is not None and r.respondents is not None
    ]


def stored_chart(session: Session, *, workspace_id: int, team_key: int) -> LeadChart | None:
    """The team's chart row, if any (``file_id`` is empty while an upload is under way)."""
    return session.get(LeadChart, (workspace_id, team_key))


def claim_chart(
    session: Session,
    *,
    workspace_id: int,
    team_key: int,
    last_week: date,
    alt_text: str,
    now: datetime,
) -> bool:
    """Claim drawing the chart for ``last_week``; True only for the one caller that won."""
    row = stored_chart(session, workspace_id=workspace_id, team_key=team_key)
    values = {"last_week": last_week, "file_id": PENDING, "alt_text": alt_text, "created_at": now}
    if row is None:
        stmt = (
            dialect_insert(session, LeadChart.__table__)
            .values(workspace_id=workspace_id, team_key=team_key, **values)
            .on_conflict_do_nothing(index_elements=["workspace_id", "team_key"])
            .returning(LeadChart.team_key)
        )
        return session.execute(stmt).first() is not None
    stale = row.file_id == PENDING and row.created_at <= now - CLAIM_STALE_AFTER
    if row.last_week >= last_week and not stale:
        return False
    # Conditional on the row as read: a caller that claimed it meanwhile changed it.
    won = session.execute(
        update(LeadChart)
        .where(
            LeadChart.workspace_id == workspace_id,
            LeadChart.team_key == team_key,
            LeadChart.last_week == row.last_week,
            LeadChart.file_id == row.file_id,
            LeadChart.created_at == row.created_at,
        )
        .values(**values)
        .returning(LeadChart.team_key)
        .execution_options(synchronize_session=False)
    ).first()
    return won is not None


def record_chart(session: Session, *, workspace_id: int, team_key: int, file_id: str) -> None:
    """The claimed chart is uploaded: remember its file id."""
    session.execute(
        update(LeadChart)
        .where(LeadChart.workspace_id == workspace_id, LeadChart.team_key == team_key)
        .values(file_id=file_id)
        .execution_options(synchronize_session=False)
    )


def release_chart(session: Session, *, workspace_id: int, team_key: int) -> None:
    """The upload failed: forget the claim so the next Home tries again."""
    session.execute(
        delete(LeadChart).where(
            LeadChart.workspace_id == workspace_id,
            LeadChart.team_key == team_key,
            LeadChart.file_id == PENDING,
        )
    )


def current_file(
    session: Session, *, workspace_id: int, team_key: int, last_week: date
) -> LeadChart | None:
    """The uploaded chart for ``last_week``, if there is one."""
    row = session.scalar(
        select(LeadChart).where(
            LeadChart.workspace_id == workspace_id,
            LeadChart.team_key == team_key,
            LeadChart.last_week == last_week,
            LeadChart.file_id != PENDING,
        )
    )
    return row


@dataclass(frozen=True)
class LeadQuestions:
    """The lead's team's eNPS for the last closed month and second questions for the week."""

    month: date
    enps: QuestionResult | None
    week: date
    weekly: list[QuestionResult]


def lead_questions(
    session: Session, *, workspace_id: int, team: Team | None, audience: Audience, now: datetime
) -> LeadQuestions:
    """Question results for the lead's team (or everyone), above the gate's limit only."""
    team_id = team.id if team else None

    def results(period: str, keys: tuple[str, ...] | None) -> list[QuestionResult]:
        return question_results(
            session,
            workspace_id=workspace_id,
            threshold=audience.limit,
            now=now,
            period=period,
            keys=keys,
            team_id=team_id,
            whole_workspace_only=team is None,
        )

    monthly = results(MONTH, (ENPS,))
    return LeadQuestions(
        month=last_closed_month(now),
        enps=monthly[0] if monthly else None,
        week=last_closed_week(now),
        weekly=results(WEEK, None),
    )


@surface("lead_questions")
def lead_question_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """eNPS of the last closed month and the last closed week's second questions."""
    team = session.get(Team, ask.team_id) if ask.team_id else None
    found = lead_questions(
        session, workspace_id=ask.workspace_id, team=team, audience=ask.audience, now=ask.now
    )
    return question_figures(
        "lead_questions", [*([found.enps] if found.enps else []), *found.weekly]
    )
