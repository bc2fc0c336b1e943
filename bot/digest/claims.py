"""Claiming a digest send (once per workspace, channel and week) and recording its progress.

The claim is an INSERT under a unique key, committed before anything is posted:
a second run, or a second instance, fails the insert and skips the channel. A
claim left behind by a crash (no progress for ``STALE_AFTER``) or a failed send
(fewer than ``MAX_ATTEMPTS``) may be taken over, by one claimer only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models import DigestSend

STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
NOT_INVITED = "not_in_channel"


def claim_key(channel: str, team: str | None) -> str:
    """What a send is unique on besides the week: the channel, and the team if any."""
    key = channel.strip().lstrip("#")
    return f"{key}|{team}" if team else key


def claim_digest(
    sessions: sessionmaker[Session],
    *,
    workspace_id: int,
    key: str,
    week: date,
    team_id: int | None,
    claimed_by: str,
    now: datetime,
) -> DigestSend | None:
    """The claimed send for this channel and week, or None when someone else has it."""
    try:
        with sessions.begin() as session:
            row = DigestSend(
                workspace_id=workspace_id,
                channel=key,
                week_start=week,
                team_id=team_id,
                claimed_by=claimed_by,
                claimed_at=now,
                attempts=1,
            )
            session.add(row)
        return row
    except IntegrityError:
        pass
    with sessions.begin() as session:
        found = session.scalar(
            select(DigestSend).where(
                DigestSend.workspace_id == workspace_id,
                DigestSend.channel == key,
                DigestSend.week_start == week,
            )
        )
        if found is None or not _can_take_over(found, now):
            return None
        row = found
        taken = session.execute(
            update(DigestSend)
            .where(
                DigestSend.id == row.id,
                DigestSend.status == row.status,
                DigestSend.claimed_at == row.claimed_at,
            )
            .values(claimed_by=claimed_by, claimed_at=now, attempts=row.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        session.refresh(row)
        return row


def _can_take_over(row: DigestSend, now: datetime) -> bool:
    # Waiting to be invited into a private channel is not a failing send: it goes out
    # whenever the invitation comes that week, however many runs it waited.
    out_of_attempts = row.attempts >= MAX_ATTEMPTS and row.error != NOT_INVITED
    if row.status == "sent" or out_of_attempts:
        return False
    return row.status == "failed" or row.claimed_at <= now - STALE_AFTER


def record_progress(session: Session, *, send_id: int, **changes: object) -> None:
    """Store what was done so far (message posted, chart uploaded, sent, failed)."""
    session.execute(
        update(DigestSend)
        .where(DigestSend.id == send_id)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
