"""Celebrations of wins: who, for what, by whom, which values."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow


class Celebration(Base):
    """One public celebration, posted to the celebrations channel."""

    __tablename__ = "celebration"
    __table_args__ = (Index("ix_celebration_week", "workspace_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    celebrated_by: Mapped[str] = mapped_column(String(32))  # Slack user id of the lead
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    moment_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_moment.id", ondelete="SET NULL")
    )
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    # Identifies the Slack request, so a retried delivery never posts twice.
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    week_start: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recipients: Mapped[list[CelebrationRecipient]] = relationship(
        back_populates="celebration", cascade="all, delete-orphan"
    )
    values: Mapped[list[CelebrationValue]] = relationship(
        back_populates="celebration", cascade="all, delete-orphan"
    )


class CelebrationRecipient(Base):
    """A person celebrated (celebrations are public and by name)."""

    __tablename__ = "celebration_recipient"
    __table_args__ = (UniqueConstraint("celebration_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    celebration_id: Mapped[int] = mapped_column(ForeignKey("celebration.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))

    celebration: Mapped[Celebration] = relationship(back_populates="recipients")


class CelebrationValue(Base):
    """A company value tagged on a celebration (#customerfirst)."""

    __tablename__ = "celebration_value"
    __table_args__ = (UniqueConstraint("celebration_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    celebration_id: Mapped[int] = mapped_column(ForeignKey("celebration.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(String(64))

    celebration: Mapped[Celebration] = relationship(back_populates="values")
