"""Retention: pulse answers, notes, extra answers and send records older than the setting go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.insights.rollup import invalidate_weeks
from models import (
    PulseAnswer,
    PulseExtraAnswer,
    PulseMonthlyAsked,
    PulseNote,
    PulseSend,
    PulseSendFlag,
    Workspace,
)


@dataclass(frozen=True)
class PurgeReport:
    """How many rows a purge removed, per kind."""

    answers: int
    notes: int
    extra_answers: int
    sends: int = 0
    traces: int = 0


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
    # Who was asked which day, and who got a monthly question, go with the answers.
    sends = session.execute(
        delete(PulseSend).where(
            PulseSend.workspace_id == workspace.id, PulseSend.pulse_date < cutoff
        )
    )
    # Flags normally go when their window closes; any left behind go with their sends.
    session.execute(
        delete(PulseSendFlag).where(
            PulseSendFlag.workspace_id == workspace.id, PulseSendFlag.pulse_date < cutoff
        )
    )
    traces = session.execute(
        delete(PulseMonthlyAsked).where(
            PulseMonthlyAsked.workspace_id == workspace.id,
            PulseMonthlyAsked.month < cutoff.replace(day=1),
        )
    )
    session.flush()
    return PurgeReport(
        answers=counts[0],
        notes=counts[1],
        extra_answers=counts[2],
        sends=int(getattr(sends, "rowcount", 0) or 0),
        traces=int(getattr(traces, "rowcount", 0) or 0),
    )


def retention_cutoff(today: date, retention_days: int) -> date:
    """The first pulse day still kept when ``retention_days`` days are kept."""
    return today - timedelta(days=max(retention_days, 1))
