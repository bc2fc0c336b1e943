"""Which Slack requests were already handled: a replayed submission or a retried event is not
worked on twice. Claimed before the work, in its own transaction; given back when the work
did not happen (a submission answered with errors), so Slack's next delivery is handled.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from models import HandledRequest
from models.upsert import dialect_insert

KEEP_FOR = timedelta(days=2)  # Slack retries within minutes; a modal stays open for hours


def _stored(key: str) -> str:
    """What is kept of a key: a digest, so no Slack view or event id sits in the database."""
    return hashlib.sha256(key.encode()).hexdigest()


def claim_request(session: Session, *, key: str, today: date) -> bool:
    """Record ``key`` as handled; False when it already was (a replay or a retry)."""
    stmt = (
        dialect_insert(session, HandledRequest.__table__)
        .values(key=_stored(key), handled_on=today)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(HandledRequest.__table__.c.key)
    )
    return session.execute(stmt).first() is not None


def release_request(session: Session, *, key: str) -> None:
    """Forget ``key``: its work did not happen, so the next delivery must do it."""
    session.execute(delete(HandledRequest).where(HandledRequest.key == _stored(key)))


def purge_handled(session: Session, *, today: date) -> int:
    """Delete records too old for Slack to deliver their request again; how many went."""
    result = session.execute(
        delete(HandledRequest).where(HandledRequest.handled_on < today - KEEP_FOR)
    )
    return int(getattr(result, "rowcount", 0) or 0)
