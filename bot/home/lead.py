"""What a lead sees on App Home: their team's recent weeks, notes, the finding, the gap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.digest.content import workspace_finding
from bot.insights.experience_gap import ExperienceGap, experience_gap
from bot.insights.flowon import FlowOnFinding
from bot.insights.teamweeks import (
    WHOLE_WORKSPACE,
    TeamWeek,
    effective_threshold,
    shareable_notes,
    team_weeks,
)
from models import Team


@dataclass(frozen=True)
class LeadView:
    """A lead's team (or the whole workspace) for the last full week and the one before."""

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
    week: date,
    today: date,
    threshold: int,
    min_team_weeks: int,
    own_key: str | None,
    viewer_in_group: bool = False,
) -> LeadView:
    """Aggregates above the threshold only; notes only when enough people wrote one.

    A lead inside the group they look at knows their own answer: the figures then need
    one respondent more, so what is left after subtracting it still meets the threshold.
    """
    team_id = team.id if team else None
    shown_threshold = effective_threshold(threshold)
    threshold = shown_threshold + (1 if viewer_in_group else 0)
    rows = team_weeks(
        session,
        workspace_id=workspace_id,
        threshold=threshold,
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
        threshold=shown_threshold,
        min_team_weeks=min_team_weeks,
    )
    return LeadView(
        scope=team.name if team else WHOLE_WORKSPACE,
        week_start=week,
        threshold=shown_threshold,
        this_week=by_week.get(week),
        last_week=by_week.get(week - timedelta(weeks=1)),
        notes=shareable_notes(
            session,
            workspace_id=workspace_id,
            week_start=week,
            threshold=threshold,
            team_id=team_id,
        ),
        finding=finding,
        gap=experience_gap(
            session,
            workspace_id=workspace_id,
            day=today,
            threshold=shown_threshold,
            own_key=own_key,
            team_id=team_id,
        ),
        viewer_in_group=viewer_in_group,
    )
