"""When a pulse's answer window closes: forget the per-person details, shuffle the day's rows.

While a pulse can be answered (48 h), its send row must know the DM (to remind, to
recover a crashed send) and the question asked. Once closed, nothing of that is needed,
and kept it would line answers up with people: send times against the order answers
were written, the question against the few who got it. So the send keeps only person,
day and team ("asked that day"); a skipped day's send goes; the reminder message is
deleted from the DM (it would say "had not answered") and the keyed flags of the send
(reminded, skipped: ``bot.pulse.anonymity``) go too; and each closed day's answers, notes
and second answers are re-inserted in random order, so not even PostgreSQL's heap
order (what a dump reads out) follows the order in which people answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.core.disclosure import last_closed_day
from bot.pulse.anonymity import REMINDED, SKIPPED, drop_flags, flagged, reinsert_shuffled, traces
from bot.pulse.answers import ACCEPT_FOR
from bot.pulse.schedule import DEFAULT_CATCH_UP
from models import Person, PulseAnswer, PulseExtraAnswer, PulseNote, PulseSend

_ANSWERISH = (PulseAnswer, PulseNote, PulseExtraAnswer)


@dataclass(frozen=True)
class ClosedReminder:
    """A reminder message to delete from a DM: found there by the send it is about."""

    send_id: int
    channel_id: str


@dataclass(frozen=True)
class ClosedFlags:
    """What the keyed flags of closing sends say, found by recomputing their traces."""

    reminders: list[ClosedReminder] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    traces: list[str] = field(default_factory=list)


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


def flags_of(
    session: Session, *, secret: str, slack_team_id: str, send_ids: list[int]
) -> ClosedFlags:
    """The reminders to delete, the skipped sends and the flags to drop, of these sends."""
    if not send_ids:
        return ClosedFlags()
    rows = session.execute(
        select(PulseSend.id, Person.slack_user_id, PulseSend.pulse_date, PulseSend.channel_id)
        .join(Person, Person.id == PulseSend.person_id)
        .where(PulseSend.id.in_(send_ids))
    ).all()
    wanted = {send_id: (user, day) for send_id, user, day, _ in rows}
    channels = {send_id: channel for send_id, _, _, channel in rows}
    reminded = traces(secret, slack_team_id, wanted, kind=REMINDED)
    skipped = traces(secret, slack_team_id, wanted, kind=SKIPPED)
    stored = flagged(session, [*reminded, *skipped])
    return ClosedFlags(
        reminders=[
            ClosedReminder(reminded[t], channel)
            for t in stored
            if t in reminded and (channel := channels[reminded[t]])
        ],
        skipped=[skipped[t] for t in stored if t in skipped],
        traces=sorted(stored),
    )


def forget_send_details(
    session: Session, *, send_ids: list[int], flags: ClosedFlags | None = None
) -> int:
    """Keep only person, day, team and outcome of these sends; returns how many.

    ``flags`` (from :func:`flags_of`): the skipped sends go, and every flag is dropped.
    """
    if not send_ids:
        return 0
    if flags is not None:
        drop_flags(session, flags.traces)
        if flags.skipped:
            session.execute(delete(PulseSend).where(PulseSend.id.in_(flags.skipped)))
    cleared: dict[str, Any] = {
        "scheduled_for": None,
        "claimed_by": None,
        "claimed_at": None,
        "sent_at": None,
        "attempts": 0,
        "channel_id": None,
        "message_ts": None,
        "question_key": None,
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
