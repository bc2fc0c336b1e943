"""Follow-ups: on its due date a moment's logger is reminded to close the loop, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Customer, CustomerMoment, Person, Workspace

# The reminder goes out from this local hour on the due date (the job runs hourly).
FOLLOWUP_LOCAL_TIME = time(9, 0)


@dataclass(frozen=True)
class DueFollowup:
    """A follow-up whose time has come, and what the reminder needs to say."""

    moment_id: int
    slack_user_id: str
    customer_name: str
    what_happened: str
    happened_on: date
    followup_on: date


class DoneResult(Enum):
    """What marking a follow-up done did."""

    DONE = "done"
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    UNKNOWN = "unknown"


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_due(followup_on: date, tz: str, now: datetime) -> bool:
    """True once it is the due date (from 09:00) or later in the logger's time zone."""
    local = now.astimezone(_zone(tz))
    return (local.date(), local.time()) >= (followup_on, FOLLOWUP_LOCAL_TIME)


def due_followups(session: Session, *, workspace: Workspace, now: datetime) -> list[DueFollowup]:
    """Unsent, not-done follow-ups of active people in ``workspace`` that are due at ``now``."""
    # No time zone is more than a day ahead of UTC: later dates cannot be due yet.
    horizon = now.date() + timedelta(days=1)
    rows = session.execute(
        select(CustomerMoment, Person.slack_user_id, Person.tz, Customer.name)
        .join(Person, Person.id == CustomerMoment.person_id)
        .join(Customer, Customer.id == CustomerMoment.customer_id)
        .where(
            CustomerMoment.workspace_id == workspace.id,
            CustomerMoment.followup_on.is_not(None),
            CustomerMoment.followup_on <= horizon,
            CustomerMoment.followup_sent_at.is_(None),
            CustomerMoment.followup_done_at.is_(None),
            Person.active.is_(True),
        )
        .order_by(CustomerMoment.followup_on, CustomerMoment.id)
    ).all()
    return [
        DueFollowup(
            moment_id=m.id,
            slack_user_id=user_id,
            customer_name=customer_name,
            what_happened=m.what_happened,
            happened_on=m.happened_on,
            followup_on=m.followup_on,
        )
        for m, user_id, tz, customer_name in rows
        if m.followup_on is not None and is_due(m.followup_on, tz, now)
    ]


def claim_followup(session: Session, *, moment_id: int, now: datetime) -> bool:
    """Mark the follow-up sent before sending; False if another run got there first."""
    result = session.execute(
        update(CustomerMoment)
        .where(
            CustomerMoment.id == moment_id,
            CustomerMoment.followup_sent_at.is_(None),
            CustomerMoment.followup_done_at.is_(None),
        )
        .values(followup_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def release_followup(session: Session, *, moment_id: int) -> None:
    """Undo a claim whose DM could not be sent, so the next run tries again."""
    session.execute(
        update(CustomerMoment)
        .where(CustomerMoment.id == moment_id)
        .values(followup_sent_at=None)
        .execution_options(synchronize_session=False)
    )


def mark_followup_done(
    session: Session, *, workspace: Workspace, moment_id: int, slack_user_id: str, now: datetime
) -> DoneResult:
    """Close the loop on a follow-up; only the person who logged the moment may."""
    moment = session.get(CustomerMoment, moment_id)
    if moment is None or moment.workspace_id != workspace.id or moment.followup_on is None:
        return DoneResult.UNKNOWN
    logger_id = (
        session.scalar(select(Person.slack_user_id).where(Person.id == moment.person_id))
        if moment.person_id is not None
        else None
    )
    if logger_id != slack_user_id:
        return DoneResult.NOT_YOURS
    if moment.followup_done_at is not None:
        return DoneResult.ALREADY
    moment.followup_done_at = now
    session.flush()
    return DoneResult.DONE
