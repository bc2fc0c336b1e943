"""Customers: matched by name case- and space-insensitively within one workspace, and each
customer's backstory timeline (their moments, newest first, a page at a time)."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Customer, CustomerMoment, Person, Team, Workspace
from models.upsert import insert_if_absent

NAME_MAX = 80
_KEY_MAX = 200  # the column's width
SELECT_LIMIT = 100  # Slack's limit on a static_select's options


def name_key(name: str) -> str:
    """The matching key: Unicode-normalised, case-folded, with every space removed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(folded.split())[:_KEY_MAX]


def clean_name(name: str) -> str:
    """The display name as typed, with runs of whitespace collapsed."""
    return " ".join(name.split())


def find_customer(session: Session, *, workspace: Workspace, name: str) -> Customer | None:
    """The workspace's customer whose name matches ``name``, if any."""
    key = name_key(name)
    if not key:
        return None
    return session.scalar(
        select(Customer).where(Customer.workspace_id == workspace.id, Customer.name_key == key)
    )


def get_customer(session: Session, *, workspace: Workspace, customer_id: int) -> Customer | None:
    """The customer with this id, only if it belongs to ``workspace``."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.workspace_id != workspace.id:
        return None
    return customer


def ensure_customer(
    session: Session, *, workspace: Workspace, name: str, now: datetime
) -> Customer:
    """The customer matching ``name``, created (with the name as typed) on first sight.

    Two people can log a moment for the same new customer at the same moment: the
    insert yields to whichever came first (``ON CONFLICT DO NOTHING``) and both
    moments land on that one customer, instead of one failing.
    """
    existing = find_customer(session, workspace=workspace, name=name)
    if existing is not None:
        return existing
    values = {
        "workspace_id": workspace.id,
        "name": clean_name(name),
        "name_key": name_key(name),
        "created_at": now,
    }
    insert_if_absent(session, Customer, values, keys=("workspace_id", "name_key"))
    created = find_customer(session, workspace=workspace, name=name)
    if created is None:  # only if the name has no key; callers check names first
        raise ValueError(f"cannot store a customer named {name!r}")
    return created


def recent_customers(
    session: Session, *, workspace: Workspace, limit: int = SELECT_LIMIT
) -> list[Customer]:
    """The workspace's customers, the one with the latest moment (or newest) first."""
    last = (
        select(CustomerMoment.customer_id, func.max(CustomerMoment.created_at).label("last_at"))
        .where(CustomerMoment.workspace_id == workspace.id)
        .group_by(CustomerMoment.customer_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(Customer)
            .outerjoin(last, last.c.customer_id == Customer.id)
            .where(Customer.workspace_id == workspace.id)
            .order_by(func.coalesce(last.c.last_at, Customer.created_at).desc(), Customer.id.desc())
            .limit(limit)
        )
    )


def closest_customers(
    session: Session, *, workspace: Workspace, name: str, limit: int = 3
) -> list[Customer]:
    """Customers whose names look like ``name``: containing it first, then by similarity."""
    key = name_key(name)
    if not key:
        return []
    customers = list(session.scalars(select(Customer).where(Customer.workspace_id == workspace.id)))
    by_key = {c.name_key: c for c in customers}
    containing = sorted((k for k in by_key if key in k or k in key), key=len)
    similar = difflib.get_close_matches(key, list(by_key), n=limit, cutoff=0.5)
    ordered = list(dict.fromkeys(containing + similar))
    return [by_key[k] for k in ordered[:limit]]


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
