"""What App Home shows, as data: a lead's closed week, notes, finding, gap and questions,
and a person's own pulse history (30-day trend, streak, what's next).

Services only (no Slack): publishing and the chart upload are in ``delivery.py``,
the chart itself in ``chart.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.disclosure import (
    Audience,
    Figure,
    SurfaceAsk,
    last_closed_month,
    last_closed_week,
    next_month,
    question_figures,
    surface,
)
from bot.core.weeks import iso_week_label
from bot.digest.store import workspace_finding
from bot.insights.experience_gap import ExperienceGap, experience_gap
from bot.insights.flowon import FlowOnFinding
from bot.insights.questions import MONTH, WEEK, QuestionResult, question_results
from bot.insights.teamweeks import (
    WHOLE_WORKSPACE,
    TeamWeek,
    note_writers,
    shareable_notes,
    team_weeks,
)
from bot.pulse.anonymity import skipped_days, week_keys
from bot.pulse.answers import SKIP_DAYS, scores_since, streak_for
from bot.pulse.questions import ENPS
from bot.pulse.schedule import PulsePlan, local_date, next_pulse, plan_for
from bot.workspace.config import WorkspaceConfig
from bot.workspace.store import find_person
from models import Person, PulsePreference, PulseSend, Team


def lead_team(session: Session, *, slack_team_id: str, slack_user_id: str) -> Team | None:
    """The team a lead belongs to (None: the lead sees the whole workspace)."""
    person = find_person(session, slack_team_id=slack_team_id, slack_user_id=slack_user_id)
    return session.get(Team, person.team_id) if person and person.team_id else None


def scope_name(team: Team | None) -> str:
    """What a lead's figures are of: their team, or the whole workspace."""
    return team.name if team else WHOLE_WORKSPACE


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


@dataclass(frozen=True)
class LeadView:
    """A lead's team (or the whole workspace) for the last closed week and the one before."""

    scope: str
    week_start: date
    threshold: int
    this_week: TeamWeek | None
    last_week: TeamWeek | None
    notes: list[str] | None
    finding: FlowOnFinding
    gap: ExperienceGap
    # The lead is in the group: figures need one more respondent than ``threshold``.
    viewer_in_group: bool = False


def compute_lead_view(
    session: Session,
    *,
    workspace_id: int,
    team: Team | None,
    audience: Audience,
    now: datetime,
    min_team_weeks: int,
    own_key: str | None,
) -> LeadView:
    """The newest closed week, above the gate's limit for this lead; notes by enough writers.

    A lead inside the group they look at knows their own answer: the figures then need
    one respondent more, so what is left after subtracting it still meets the threshold.
    """
    team_id = team.id if team else None
    week = last_closed_week(now)
    rows = team_weeks(
        session,
        workspace_id=workspace_id,
        threshold=audience.limit,
        since=week - timedelta(weeks=1),
        until=week,
        team_id=team_id,
        by_team=team is not None,
    )
    by_week = {r.week_start: r for r in rows}
    finding, _ = workspace_finding(
        session,
        workspace_id=workspace_id,
        until=week,
        threshold=audience.shown_threshold,
        min_team_weeks=min_team_weeks,
    )
    return LeadView(
        scope=team.name if team else WHOLE_WORKSPACE,
        week_start=week,
        threshold=audience.shown_threshold,
        this_week=by_week.get(week),
        last_week=by_week.get(week - timedelta(weeks=1)),
        notes=shareable_notes(
            session,
            workspace_id=workspace_id,
            week_start=week,
            threshold=audience.limit,
            team_id=team_id,
        ),
        finding=finding,
        gap=experience_gap(
            session,
            workspace_id=workspace_id,
            day=next_month(last_closed_month(now)),
            # With the lead's own key the gap knows whether they guessed (+1 exactly then).
            threshold=audience.shown_threshold if own_key else audience.limit,
            own_key=own_key,
            team_id=team_id,
        ),
        viewer_in_group=audience.viewer_in_group,
    )


@surface("lead_home")
def lead_home_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """The figures of a lead's Home section: mood of two weeks, notes, the leads' guess."""
    team = session.get(Team, ask.team_id) if ask.team_id else None
    view = compute_lead_view(
        session,
        workspace_id=ask.workspace_id,
        team=team,
        audience=ask.audience,
        now=ask.now,
        min_team_weeks=10,
        own_key=ask.own_key,
    )
    out = [
        Figure(
            "lead_home", iso_week_label(r.week_start), r.team, "mood", r.respondents, r.mean_mood
        )
        for r in (view.this_week, view.last_week)
        if r is not None and r.mean_mood is not None and r.respondents is not None
    ]
    if view.notes:
        writers = sum(
            note_writers(
                session,
                workspace_id=ask.workspace_id,
                week_start=view.week_start,
                team_id=ask.team_id,
                limit=ask.audience.limit,
            ).values()
        )
        label = iso_week_label(view.week_start)
        out.append(Figure("lead_home", label, view.scope, "notes", writers, "|".join(view.notes)))
    if view.gap.leads_mean is not None:
        month = f"{view.gap.month:%Y-%m}"
        out.append(
            Figure("lead_home", month, "leads", "guess", view.gap.leads, view.gap.leads_mean)
        )
    return out


TREND_DAYS = 30


@dataclass(frozen=True)
class PulseSummary:
    """One person's own pulse picture."""

    plan: PulsePlan
    today: date
    pulse_days: list[date]
    scores: dict[date, int]
    streak: int
    next_at: datetime | None


def pulse_summary(
    session: Session,
    *,
    secret: str,
    team_id: str,
    person: Person,
    config: WorkspaceConfig,
    now: datetime,
) -> PulseSummary:
    """The person's last 30 days of pulses and answers (their own key only), streak and plan."""
    plan = plan_for(person, session.get(PulsePreference, person.id), config)
    today = local_date(now, plan.tz)
    since = today - timedelta(days=TREND_DAYS - 1)
    # A handful of weekly keys covers the 30 days; nothing else of theirs is looked at.
    keys = week_keys(secret, team_id, person.slack_user_id, since=since, until=today)
    pulse_days = list(
        session.scalars(
            select(PulseSend.pulse_date)
            .where(
                PulseSend.person_id == person.id,
                PulseSend.pulse_date >= since,
                PulseSend.status.in_(("sent", "claimed", "closed")),
            )
            .order_by(PulseSend.pulse_date)
        )
    )
    scores = scores_since(session, keys=keys, since=since)
    # A skipped day is no pulse day (it is only a keyed flag, found by recomputing it).
    skipped = skipped_days(
        session,
        secret=secret,
        slack_team_id=team_id,
        slack_user_id=person.slack_user_id,
        days=pulse_days[-SKIP_DAYS:],
    )
    pulse_days = [day for day in pulse_days if day not in skipped]
    # Answers whose send record is gone (e.g. retention) still count as pulse days.
    pulse_days = sorted(set(pulse_days) | set(scores))
    streak = streak_for(
        session,
        secret=secret,
        team_id=team_id,
        user_id=person.slack_user_id,
        person_id=person.id,
        as_of=today,
        allow_open_today=True,
    )
    return PulseSummary(plan, today, pulse_days, scores, streak, next_pulse(plan, now))
