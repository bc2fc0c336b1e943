"""Daily pulse: sends (by person), answers and notes (by pseudonymous key only).

Answer-ish rows (answers, notes, second answers) carry no time finer than the day and
are keyed by random ids (on SQLite the rowid itself, so the table is stored in random
order); the window-close job re-inserts each closed day's rows in random order, so
PostgreSQL's heap order does not follow the order people were asked or answered.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

# BIGINT on PostgreSQL; INTEGER on SQLite, where only "INTEGER PRIMARY KEY" is the rowid.
RandomIdType = BigInteger().with_variant(Integer(), "sqlite")


def random_id() -> int:
    """A random positive 62-bit id: its order says nothing about when a row was written."""
    return secrets.randbits(62) + 1


class PulsePreference(Base):
    """A person's own pulse settings; absent fields fall back to the workspace's."""

    __tablename__ = "pulse_preference"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    pulse_time: Mapped[time | None]
    # Comma-separated date.weekday() numbers, e.g. "0,1,2,3,4" for Monday to Friday.
    working_days: Mapped[str | None] = mapped_column(String(13))
    paused_until: Mapped[date | None]
    opted_out: Mapped[bool] = mapped_column(default=False)
    # The local day the person asked to be forgotten: no pulse that day ("from tomorrow").
    forgotten_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PulseSend(Base):
    """One pulse DM to one person on one local day, claimed before it is sent.

    It says a pulse was sent, never whether it was answered: answers live
    under a pseudonymous key in ``pulse_answer``, and whether it was reminded or skipped
    under a per-day keyed trace in ``pulse_send_flag``. When the answer window closes
    the window job clears everything per-person about the send (times, message,
    question): what is left says only that the person was asked that day.
    """

    __tablename__ = "pulse_send"
    __table_args__ = (
        UniqueConstraint("person_id", "pulse_date"),
        Index("ix_pulse_send_week", "workspace_id", "week_start", "team_id"),
        Index("ix_pulse_send_status", "status", "scheduled_for"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    pulse_date: Mapped[date]
    week_start: Mapped[date]
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # claimed → sent | failed | skipped; "closed" once the answer window has closed.
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    question_key: Mapped[str | None] = mapped_column(String(32))
    # Delivery trouble only (a retry's reason, "missed", "gave_up"): never "not answered".
    error: Mapped[str | None] = mapped_column(String(64))


class PulseSendFlag(Base):
    """That one send was reminded, or skipped: HMAC(secret, team:user:day:kind), no person.

    Kept on the send row, such a flag says "had not answered by then" of a named person
    on a named day, and a dump could intersect it with the days each weekly key answered.
    Under a keyed trace only the app (which holds CXPULSE_SECRET) can find it again; the
    window job removes it when the send's answer window closes.
    """

    __tablename__ = "pulse_send_flag"
    __table_args__ = ({"sqlite_with_rowid": False},)

    trace: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # The day only, so retention and forget-me can find leftovers; no kind, no team.
    pulse_date: Mapped[date]


class PulseAnswer(Base):
    """A 1–5 answer for one pulse day, keyed by HMAC(secret, workspace:user:ISO week)."""

    __tablename__ = "pulse_answer"
    __table_args__ = (
        UniqueConstraint("respondent_key", "pulse_date"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        Index("ix_pulse_answer_week", "workspace_id", "week_start", "team_id"),
    )

    id: Mapped[int] = mapped_column(
        RandomIdType, primary_key=True, autoincrement=False, default=random_id
    )
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(64))
    # Snapshot of the team at answer time, so moving team does not rewrite history.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    pulse_date: Mapped[date]
    week_start: Mapped[date]
    score: Mapped[int]
    # False until the window job re-inserted the row in random order (its day has closed).
    sealed: Mapped[bool] = mapped_column(default=False)


class PulseNote(Base):
    """An optional note beside a pulse answer; shown only in groups above the threshold."""

    __tablename__ = "pulse_note"
    __table_args__ = (
        UniqueConstraint("respondent_key", "pulse_date"),
        Index("ix_pulse_note_week", "workspace_id", "week_start", "team_id"),
    )

    id: Mapped[int] = mapped_column(
        RandomIdType, primary_key=True, autoincrement=False, default=random_id
    )
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    pulse_date: Mapped[date]
    week_start: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    sealed: Mapped[bool] = mapped_column(default=False)


class PulseExtraAnswer(Base):
    """The rotating second question, eNPS (0–10), or a lead's experience-gap rating.

    Monthly questions (eNPS, experience gap) are kept at month precision under a monthly
    key: ``pulse_date`` and ``week_start`` are the first of the month, so the day someone
    was asked (a newcomer's first day, a lead's first pulse) is not in the row.
    """

    __tablename__ = "pulse_extra_answer"
    __table_args__ = (
        UniqueConstraint("respondent_key", "pulse_date", "question_key"),
        Index("ix_pulse_extra_week", "workspace_id", "question_key", "week_start"),
    )

    id: Mapped[int] = mapped_column(
        RandomIdType, primary_key=True, autoincrement=False, default=random_id
    )
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    pulse_date: Mapped[date]
    week_start: Mapped[date]
    question_key: Mapped[str] = mapped_column(String(32))
    value: Mapped[int]
    sealed: Mapped[bool] = mapped_column(default=False)


class PulseMonthlyAsked(Base):
    """That someone got a monthly question: HMAC(secret, team:user:month:question), no person.

    Lets the sender ask each monthly question once a month without keeping who got it.
    """

    __tablename__ = "pulse_monthly_asked"
    __table_args__ = ({"sqlite_with_rowid": False},)

    trace: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    month: Mapped[date]
