"""What a lead sees on App Home: their team's last closed week, notes, the finding, the gap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.core.disclosure import (
    Audience,
    Figure,
    SurfaceAsk,
    last_closed_month,
    last_closed_week,
    next_month,
    surface,
)
from bot.core.weeks import iso_week_label
from bot.digest.content import workspace_finding
from bot.insights.experience_gap import ExperienceGap, experience_gap
from bot.insights.flowon import FlowOnFinding
from bot.insights.teamweeks import (
    WHOLE_WORKSPACE,
    TeamWeek,
    note_writers,
    shareable_notes,
    team_weeks,
)
from models import Team


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
