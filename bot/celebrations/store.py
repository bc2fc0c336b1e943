"""Celebrations: claim one per Slack request, record where it was posted, sum up a week.

No Slack imports. Parsing and checking the text lives in ``parse.py`` and is
re-exported here, so callers import everything celebration-related from one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.celebrations.parse import (
    MAX_PEOPLE,
    MAX_REASON_CHARS,
    CelebrationError,
    ParsedCelebration,
    Piece,
    check_celebration,
    from_form,
    parse_celebration,
)
from bot.core.weeks import week_start
from bot.workspace.store import ensure_workspace
from models import (
    Celebration,
    CelebrationRecipient,
    CelebrationValue,
    Customer,
    CustomerMoment,
    Person,
)

__all__ = [
    "MAX_PEOPLE",
    "MAX_REASON_CHARS",
    "CelebrationError",
    "LinkedMoment",
    "ParsedCelebration",
    "Piece",
    "check_celebration",
    "claim_celebration",
    "discard_celebration",
    "from_form",
    "linked_moment",
    "parse_celebration",
    "record_post",
]


@dataclass(frozen=True)
class LinkedMoment:
    """The customer moment a celebration came from, as the post and the modal show it."""

    id: int
    customer: str
    outcome: str
    what_happened: str
    logged_by: str | None  # Slack user id of whoever logged it, if still known


def linked_moment(session: Session, *, slack_team_id: str, moment_id: int) -> LinkedMoment | None:
    """The moment ``moment_id`` if it belongs to this workspace."""
    workspace = ensure_workspace(session, slack_team_id=slack_team_id)
    row = session.execute(
        select(CustomerMoment, Customer.name, Person.slack_user_id)
        .join(Customer, Customer.id == CustomerMoment.customer_id)
        .outerjoin(Person, Person.id == CustomerMoment.person_id)
        .where(CustomerMoment.id == moment_id, CustomerMoment.workspace_id == workspace.id)
    ).first()
    if row is None:
        return None
    moment, customer, logged_by = row
    return LinkedMoment(moment.id, customer, moment.outcome, moment.what_happened, logged_by)


def _shared_team(session: Session, workspace_id: int, user_ids: Sequence[str]) -> int | None:
    """The team every celebrated person is in, when they share one (for team digests)."""
    teams = set(
        session.scalars(
            select(Person.team_id).where(
                Person.workspace_id == workspace_id, Person.slack_user_id.in_(user_ids)
            )
        )
    )
    return teams.pop() if len(teams) == 1 else None


def claim_celebration(
    session: Session,
    *,
    slack_team_id: str,
    celebrated_by: str,
    recipients: Sequence[str],
    parsed: ParsedCelebration,
    request_key: str,
    now: datetime,
    timezone: str = "UTC",
    moment_id: int | None = None,
) -> Celebration | None:
    """Store a celebration for ``request_key``; None when that request was already claimed.

    The unique request key is what makes Slack's retries and double submits harmless:
    only the delivery that inserts the row goes on to post. Call it in a transaction of
    its own: when a concurrent delivery wins the race, the flush raises IntegrityError.
    """
    workspace = ensure_workspace(session, slack_team_id=slack_team_id)
    existing = session.scalar(select(Celebration.id).where(Celebration.request_key == request_key))
    if existing is not None:
        return None
    local_day = now.astimezone(ZoneInfo(timezone)).date()
    celebration = Celebration(
        workspace_id=workspace.id,
        celebrated_by=celebrated_by,
        team_id=_shared_team(session, workspace.id, recipients),
        reason=parsed.reason_text,
        moment_id=moment_id,
        request_key=request_key,
        week_start=week_start(local_day),
        created_at=now,
        recipients=[CelebrationRecipient(slack_user_id=u) for u in dict.fromkeys(recipients)],
        values=[CelebrationValue(value=v) for v in parsed.values],
    )
    session.add(celebration)
    session.flush()
    return celebration


def record_post(session: Session, *, celebration_id: int, channel_id: str, message_ts: str) -> None:
    """Remember where the celebration was posted."""
    celebration = session.get(Celebration, celebration_id)
    if celebration is not None:
        celebration.channel_id = channel_id
        celebration.message_ts = message_ts


def discard_celebration(session: Session, *, celebration_id: int) -> None:
    """Forget a claimed celebration that could not be posted, so the lead can try again."""
    celebration = session.get(Celebration, celebration_id)
    if celebration is not None:
        session.delete(celebration)
