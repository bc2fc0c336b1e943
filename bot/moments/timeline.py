"""A customer's backstory timeline: their moments, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Customer, CustomerMoment, Person, Team

PAGE_SIZE = 5


@dataclass(frozen=True)
class TimelineEntry:
    """One moment as the timeline shows it, with who logged it (they are attributed)."""

    moment_id: int
    happened_on: date
    touchpoint: str
    outcome: str
    what_happened: str
    backstory: str
    csat: int | None
    sentiment: float | None  # None: no scorer reads the story's language
    would_tell_story: bool
    logged_by: str | None  # the logger's Slack user id
    team_name: str | None
    source_permalink: str | None


@dataclass(frozen=True)
class TimelinePage:
    """One page of a customer's timeline and the totals over all their moments."""

    customer_id: int
    customer_name: str
    entries: list[TimelineEntry]
    offset: int
    total: int
    outcomes: dict[str, int]
    mean_csat: float | None
    would_tell: int

    @property
    def next_offset(self) -> int | None:
        """Where the next (older) page starts, or None on the last page."""
        end = self.offset + len(self.entries)
        return end if end < self.total else None


def customer_timeline(
    session: Session, *, customer: Customer, offset: int = 0, limit: int = PAGE_SIZE
) -> TimelinePage:
    """``customer``'s moments from ``offset``, newest first, with outcome counts and CSAT."""
    offset = max(0, offset)
    counts = dict(
        session.execute(
            select(CustomerMoment.outcome, func.count())
            .where(CustomerMoment.customer_id == customer.id)
            .group_by(CustomerMoment.outcome)
        ).all()
    )
    mean_csat, would_tell = session.execute(
        select(
            func.avg(CustomerMoment.csat),
            func.count().filter(CustomerMoment.would_tell_story.is_(True)),
        ).where(CustomerMoment.customer_id == customer.id)
    ).one()
    rows = session.execute(
        select(CustomerMoment, Person.slack_user_id, Team.name)
        .outerjoin(Person, Person.id == CustomerMoment.person_id)
        .outerjoin(Team, Team.id == CustomerMoment.team_id)
        .where(CustomerMoment.customer_id == customer.id)
        .order_by(
            CustomerMoment.happened_on.desc(),
            CustomerMoment.created_at.desc(),
            CustomerMoment.id.desc(),
        )
        .offset(offset)
        .limit(limit)
    ).all()
    entries = [
        TimelineEntry(
            moment_id=m.id,
            happened_on=m.happened_on,
            touchpoint=m.touchpoint,
            outcome=m.outcome,
            what_happened=m.what_happened,
            backstory=m.backstory,
            csat=m.csat,
            sentiment=m.sentiment,
            would_tell_story=m.would_tell_story,
            logged_by=user_id,
            team_name=team_name,
            source_permalink=m.source_permalink,
        )
        for m, user_id, team_name in rows
    ]
    return TimelinePage(
        customer_id=customer.id,
        customer_name=customer.name,
        entries=entries,
        offset=offset,
        total=sum(counts.values()),
        outcomes={o: int(counts.get(o, 0)) for o in ("win", "neutral", "problem")},
        mean_csat=float(mean_csat) if mean_csat is not None else None,
        would_tell=int(would_tell or 0),
    )
