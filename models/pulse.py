"""Daily pulse: sends (by person), answers and notes (by pseudonymous key only)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


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
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PulseSend(Base):
    """One pulse DM to one person on one local day, claimed before it is sent.

    It says a pulse was sent, never whether it was answered: answers live
    under a pseudonymous key in ``pulse_answer``.
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
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    # claimed → sent | failed | skipped
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    question_key: Mapped[str | None] = mapped_column(String(32))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(64))


class PulseAnswer(Base):
    """A 1–5 answer for one pulse day, keyed by HMAC(secret, workspace:user), never the user."""

    __tablename__ = "pulse_answer"
    __table_args__ = (
        UniqueConstraint("respondent_key", "pulse_date"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        Index("ix_pulse_answer_week", "workspace_id", "week_start", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(64))
    # Snapshot of the team at answer time, so moving team does not rewrite history.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    pulse_date: Mapped[date]
    week_start: Mapped[date]
    score: Mapped[int]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PulseNote(Base):
    """An optional note beside a pulse answer; shown only in groups above the threshold."""

    __tablename__ = "pulse_note"
    __table_args__ = (
        UniqueConstraint("respondent_key", "pulse_date"),
        Index("ix_pulse_note_week", "workspace_id", "week_start", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    pulse_date: Mapped[date]
    week_start: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PulseExtraAnswer(Base):
    """The rotating second question, eNPS (0–10), or a lead's experience-gap rating."""

    __tablename__ = "pulse_extra_answer"
    __table_args__ = (
        UniqueConstraint("respondent_key", "pulse_date", "question_key"),
        Index("ix_pulse_extra_week", "workspace_id", "question_key", "week_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    pulse_date: Mapped[date]
    week_start: Mapped[date]
    question_key: Mapped[str] = mapped_column(String(32))
    value: Mapped[int]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
