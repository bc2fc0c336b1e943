"""Recording what happened to each claimed pulse: sent, failed for good, or retry later."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from bot.pulse.sends import CLAIM_STALE_AFTER
from models import Person, PulseSend


@dataclass(frozen=True)
class SendOutcome:
    """What happened to one claim: sent (with the message), or failed and why."""

    send_id: int
    person_id: int
    channel_id: str | None = None
    message_ts: str | None = None
    error: str | None = None
    permanent: bool = False

    @property
    def sent(self) -> bool:
        """True when the message is in Slack."""
        return self.message_ts is not None


def _table(model: type[PulseSend] | type[Person]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def record_outcomes(
    session: Session,
    *,
    outcomes: Sequence[SendOutcome],
    now: datetime,
    stale_after: timedelta = CLAIM_STALE_AFTER,
) -> None:
    """Store delivery results: sent, failed for good (person unreachable), or released.

    A transient failure leaves the row ``claimed`` but backdates it, so the next
    run takes it over at once (and checks Slack before posting again).
    """
    sent = [o for o in outcomes if o.sent]
    if sent:
        # One executemany per table for the common case (a run may send thousands).
        sends, people = _table(PulseSend), _table(Person)
        session.execute(
            update(sends)
            .where(sends.c.id == bindparam("b_send"))
            .values(
                status="sent",
                sent_at=now,
                channel_id=bindparam("b_channel"),
                message_ts=bindparam("b_ts"),
                error=None,
            ),
            [{"b_send": o.send_id, "b_channel": o.channel_id, "b_ts": o.message_ts} for o in sent],
        )
        session.execute(
            update(people)
            .where(
                people.c.id == bindparam("b_person"),
                people.c.dm_channel_id.is_distinct_from(bindparam("b_channel")),
            )
            .values(dm_channel_id=bindparam("b_channel")),
            [{"b_person": o.person_id, "b_channel": o.channel_id} for o in sent],
        )
    for outcome in outcomes:
        if outcome.sent:
            continue
        if outcome.permanent:
            session.execute(
                update(PulseSend)
                .where(PulseSend.id == outcome.send_id)
                .values(status="failed", error=(outcome.error or "")[:64])
            )
            session.execute(
                update(Person)
                .where(Person.id == outcome.person_id)
                .values(dm_error=(outcome.error or "unreachable")[:64], dm_error_at=now)
            )
        else:
            session.execute(
                update(PulseSend)
                .where(PulseSend.id == outcome.send_id, PulseSend.status == "claimed")
                .values(error=(outcome.error or "")[:64], claimed_at=now - stale_after)
            )
