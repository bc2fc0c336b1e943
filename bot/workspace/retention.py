"""Retention: pulse answers, notes and extra answers older than the setting are deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.insights.rollup import invalidate_weeks
from models import PulseAnswer, PulseExtraAnswer, PulseNote, Workspace


@dataclass(frozen=True)
class PurgeReport:
    """How many rows a purge removed, per kind."""

    answers: int
    notes: int
    extra_answers: int


def purge_before(session: Session, *, workspace: Workspace, cutoff: date) -> PurgeReport:
    """Delete ``workspace``'s answers, notes and extra answers from days before ``cutoff``.

    Aggregates already reported (digests sent, exports made) are separate rows or
    files and are not touched; the rollup of the weeks it empties is dropped (and
    refilled from what is left), so later digests count only answers still kept.
    """
    purged_weeks = session.scalars(
        select(PulseAnswer.week_start)
        .distinct()
        .where(
            PulseAnswer.workspace_id == workspace.id,
            PulseAnswer.week_start < cutoff,
            PulseAnswer.pulse_date < cutoff,
        )
    )
    invalidate_weeks(session, workspace_id=workspace.id, weeks=list(purged_weeks))
    counts = []
    for model in (PulseAnswer, PulseNote, PulseExtraAnswer):
        result = session.execute(
            delete(model).where(model.workspace_id == workspace.id, model.pulse_date < cutoff)
        )
        counts.append(int(getattr(result, "rowcount", 0) or 0))
    session.flush()
    return PurgeReport(answers=counts[0], notes=counts[1], extra_answers=counts[2])


def retention_cutoff(today: date, retention_days: int) -> date:
    """The first pulse day still kept when ``retention_days`` days are kept."""
    return today - timedelta(days=max(retention_days, 1))
