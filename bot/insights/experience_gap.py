"""The experience gap: what leads believe customers would rate them, beside what customers gave.

What customers gave is, first, their own ratings from the help desk (``customer_outcome``,
each on 0–1, shown on the leads' 1–5 scale, with the month's NPS), then the CSAT staff
typed on moments.

Leads answer "How would your customers rate you this month?" (1–5) as a pulse extra
answer with question key ``experience_gap`` (kept at month precision, no team). The
leads' mean is shown only for a closed month (a live mean would move with each new
guess, and the difference gives the guess away) and only when at least the threshold
of leads answered, one more when the viewing lead answered too; otherwise each lead
sees only their own guess (under their own monthly key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Float, case, cast, distinct, func, select
from sqlalchemy.orm import Session

from bot.core.disclosure import effective_threshold
from models import CustomerMoment, CustomerOutcome, PulseExtraAnswer

QUESTION_KEY = "experience_gap"


@dataclass(frozen=True)
class ExperienceGap:
    """One month's guesses and customer CSAT; None where nothing can be shown."""

    month: date
    leads_mean: float | None
    own_guess: int | None
    customers_csat: float | None
    csat_count: int
    # Customers' own ratings that month: how many, their mean on 1–5, NPS over NPS answers.
    customer_responses: int = 0
    customer_rating: float | None = None
    customer_nps: float | None = None
    # Leads behind ``leads_mean`` (0 when it is withheld).
    leads: int = 0


def month_bounds(day: date) -> tuple[date, date]:
    """The first day of ``day``'s month and the first day of the next."""
    first = day.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def experience_gap(
    session: Session,
    *,
    workspace_id: int,
    day: date,
    threshold: int,
    own_key: str | None = None,
    team_id: int | None = None,
) -> ExperienceGap:
    """The gap for the last closed month before ``day``: leads' mean (or own guess), CSAT."""
    first, following = month_bounds(month_bounds(day)[0] - timedelta(days=1))
    in_month = (
        PulseExtraAnswer.workspace_id == workspace_id,
        PulseExtraAnswer.question_key == QUESTION_KEY,
        PulseExtraAnswer.pulse_date >= first,
        PulseExtraAnswer.pulse_date < following,
    )
    leads, mean = session.execute(
        select(
            func.count(distinct(PulseExtraAnswer.respondent_key)),
            func.avg(cast(PulseExtraAnswer.value, Float)),
        ).where(*in_month)
    ).one()
    own = None
    if own_key is not None:
        own = session.scalar(
            select(PulseExtraAnswer.value)
            .where(*in_month, PulseExtraAnswer.respondent_key == own_key)
            .order_by(PulseExtraAnswer.pulse_date.desc())
            .limit(1)
        )
    csat = select(
        func.avg(cast(CustomerMoment.csat, Float)), func.count(CustomerMoment.csat)
    ).where(
        CustomerMoment.workspace_id == workspace_id,
        CustomerMoment.happened_on >= first,
        CustomerMoment.happened_on < following,
    )
    if team_id is not None:
        csat = csat.where(CustomerMoment.team_id == team_id)
    csat_mean, csat_count = session.execute(csat).one()
    needed = effective_threshold(threshold) + (1 if own is not None else 0)
    responses, rating, nps = _customers_said(
        session, workspace_id=workspace_id, first=first, following=following, team_id=team_id
    )
    return ExperienceGap(
        month=first,
        leads_mean=float(mean) if leads >= needed and mean else None,
        own_guess=own,
        customers_csat=float(csat_mean) if csat_mean is not None else None,
        csat_count=int(csat_count),
        customer_responses=responses,
        customer_rating=rating,
        customer_nps=nps,
        leads=int(leads) if leads >= needed and mean else 0,
    )


def _customers_said(
    session: Session, *, workspace_id: int, first: date, following: date, team_id: int | None
) -> tuple[int, float | None, float | None]:
    """(ratings, mean on 1–5, NPS) of customers' own ratings in [first, following)."""
    o = CustomerOutcome
    nps = o.kind == "nps"
    stmt = select(
        func.count(o.id),
        func.avg(o.scaled),
        func.sum(case((nps, 1), else_=0)),
        func.sum(case((nps & (o.score >= 9), 1), else_=0)),
        func.sum(case((nps & (o.score <= 6), 1), else_=0)),
    ).where(o.workspace_id == workspace_id, o.happened_on >= first, o.happened_on < following)
    if team_id is not None:
        stmt = stmt.where(o.team_id == team_id)
    n, mean, answers, promoters, detractors = session.execute(stmt).one()
    rating = None if mean is None else 1 + 4 * float(mean)
    score = 100 * (int(promoters) - int(detractors)) / int(answers) if answers else None
    return int(n), rating, score
