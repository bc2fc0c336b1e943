"""When a pulse's answer window closes: forget the per-person details, shuffle the day's rows.

While a pulse can be answered (48 h), its send row must know the DM (to remind, to
recover a crashed send) and the question asked. Once closed, nothing of that is needed,
and kept it would line answers up with people: send and reminder times against the
order answers were written, the question against the few who got it. So the send keeps
only person, day and team ("asked that day"); the reminder message is deleted from the
DM (it would say "had not answered"); and each closed day's answers, notes and second
answers are re-inserted in random order, so not even PostgreSQL's heap order (what a
dump reads out) follows the order in which people answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.core.disclosure import last_closed_day
from bot.pulse.answers import ACCEPT_FOR
from bot.pulse.schedule import DEFAULT_CATCH_UP
from bot.pulse.shuffle import reinsert_shuffled
from models import PulseAnswer, PulseExtraAnswer, PulseNote, PulseSend

_ANSWERISH = (PulseAnswer, PulseNote, PulseExtraAnswer)


@dataclass(frozen=True)
class ClosedReminder:
    """A reminder message to delete from a DM."""

    channel_id: str
    ts: str


def closed_sends(session: Session, *, workspace_id: int, now: datetime) -> list[int]:
    """Sends whose answer window has closed but which still hold per-person details."""
    cutoff = now - ACCEPT_FOR - DEFAULT_CATCH_UP
    rows = session.execute(
        select(PulseSend.id, PulseSend.sent_at, PulseSend.scheduled_for).where(
            PulseSend.workspace_id == workspace_id, PulseSend.scheduled_for.is_not(None)
        )
    ).all()
    closed = []
    for send_id, sent, planned in rows:
        opened = sent or planned
        if opened is not None and opened <= cutoff:
            closed.append(int(send_id))
    return closed


def reminders_of(session: Session, *, send_ids: list[int]) -> list[ClosedReminder]:
    """The reminder messages of these sends (to delete before the details go)."""
    if not send_ids:
        return []
    rows = session.execute(
        select(PulseSend.channel_id, PulseSend.reminder_ts).where(
            PulseSend.id.in_(send_ids), PulseSend.reminder_ts.is_not(None)
        )
    ).all()
    return [ClosedReminder(c, t) for c, t in rows if c and t]


def forget_send_details(session: Session, *, send_ids: list[int]) -> int:
    """Keep only person, day, team and outcome of these sends; returns how many."""
    if not send_ids:
        return 0
    cleared: dict[str, Any] = {
        "scheduled_for": None,
        "claimed_by": None,
        "claimed_at": None,
        "sent_at": None,
        "attempts": 0,
        "channel_id": None,
        "message_ts": None,
        "question_key": None,
        "reminder_sent_at": None,
        "reminder_ts": None,
        "error": None,
    }
    ids = list(send_ids)
    # A skipped day (or a claim never confirmed) goes altogether: kept, it would say
    # "did not answer that day"; gone, it looks like any day the person was not asked,
    # and the streak, which counts the days a pulse was sent, steps over it as before.
    session.execute(
        delete(PulseSend).where(PulseSend.id.in_(ids), PulseSend.status.in_(("skipped", "claimed")))
    )
    session.execute(
        update(PulseSend)
        .where(PulseSend.id.in_(ids), PulseSend.status == "sent")
        .values(status="closed")
    )
    session.execute(update(PulseSend).where(PulseSend.id.in_(ids)).values(**cleared))
    return len(ids)


def seal_closed_days(session: Session, *, workspace_id: int, now: datetime) -> int:
    """Re-insert, in random order, every row of each closed day that has unsealed rows.

    A whole day (or, for monthly questions, a whole month) is shuffled together, so a
    late row does not end up alone after the others. Notes a lead already replied to
    keep their place (the reply points at them). Returns the rows re-inserted.
    """
    last_final: date = last_closed_day(now)  # the gate's closed-period rule
    moved = 0
    for model in _ANSWERISH:
        table: Any = model.__table__
        days = set(
            session.scalars(
                select(model.pulse_date).where(
                    model.workspace_id == workspace_id,
                    model.sealed.is_(False),
                    model.pulse_date <= last_final,
                )
            )
        )
        if not days:
            continue
        where = [table.c.workspace_id == workspace_id, table.c.pulse_date.in_(days)]
        moved += reinsert_shuffled(session, model, where, sealed=True)
    return moved
