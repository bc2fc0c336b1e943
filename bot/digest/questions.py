"""What a digest shows of the pulse questions: eNPS (the month's first digest) and the week's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.core.disclosure import (
    Audience,
    Figure,
    SurfaceAsk,
    month_closed,
    question_figures,
    shown_week,
    surface,
)
from bot.insights.questions import MONTH, WEEK, QuestionResult, question_results
from bot.pulse.questions import ENPS


@dataclass(frozen=True)
class DigestQuestions:
    """eNPS for ``month`` (None: not the monthly edition) and second questions for ``week``."""

    month: date | None
    enps: QuestionResult | None
    week: date
    weekly: list[QuestionResult]


def monthly_month(week: date, now: datetime) -> date | None:
    """The month whose eNPS the digest for ``week`` reports, when it is the monthly edition.

    The month's first digest is the one for the first week that starts in a new month
    (its Monday is one of the month's first seven days); it reports the month before,
    once that month has closed.
    """
    if week.day > 7:
        return None
    month = (week.replace(day=1) - timedelta(days=1)).replace(day=1)
    return month if month_closed(month, now) else None


def digest_questions(
    session: Session,
    *,
    workspace_id: int,
    team_id: int | None,
    week: date,
    audience: Audience,
    now: datetime,
) -> DigestQuestions:
    """Results for the digest's scope (a team, or everyone), closed periods only."""
    closed_week = shown_week(week, now)

    def results(period: str, until: date, keys: tuple[str, ...] | None) -> list[QuestionResult]:
        return question_results(
            session,
            workspace_id=workspace_id,
            threshold=audience.limit,
            now=now,
            period=period,
            keys=keys,
            team_id=team_id,
            whole_workspace_only=team_id is None,
            until=until,
        )

    month = monthly_month(closed_week, now)
    found = results(MONTH, month, (ENPS,)) if month is not None else []
    return DigestQuestions(
        month=month,
        enps=found[0] if found else None,
        week=closed_week,
        weekly=results(WEEK, closed_week, None),
    )


@surface("digest_questions")
def digest_question_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """The digest's eNPS (monthly edition) and second questions, for the week asked now."""
    found = digest_questions(
        session,
        workspace_id=ask.workspace_id,
        team_id=ask.team_id,
        week=ask.now.date(),
        audience=ask.audience,
        now=ask.now,
    )
    return question_figures(
        "digest_questions", [*([found.enps] if found.enps else []), *found.weekly]
    )
