"""Customers and the moments the front line logs about them (attributed, meant to be shared)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow


class Customer(Base):
    """A customer, matched by name case- and space-insensitively within a workspace."""

    __tablename__ = "customer"
    __table_args__ = (UniqueConstraint("workspace_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moments: Mapped[list[CustomerMoment]] = relationship(back_populates="customer")


class CustomerMoment(Base):
    """What happened with a customer, their backstory, the outcome and CSAT."""

    __tablename__ = "customer_moment"
    __table_args__ = (
        CheckConstraint("csat IS NULL OR csat BETWEEN 1 AND 5", name="csat_range"),
        CheckConstraint("outcome IN ('win', 'neutral', 'problem')", name="outcome_known"),
        Index("ix_customer_moment_week", "workspace_id", "week_start", "team_id"),
        Index("ix_customer_moment_customer", "customer_id", "happened_on"),
        Index("ix_customer_moment_followup", "followup_on", "followup_sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # Team snapshot at logging time.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    happened_on: Mapped[date]
    week_start: Mapped[date]
    touchpoint: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(8))
    what_happened: Mapped[str] = mapped_column(Text)
    backstory: Mapped[str] = mapped_column(Text, default="")
    csat: Mapped[int | None]
    # None when no scorer reads the story's language (bot/moments/sentiment_languages.py):
    # such a story is left out of every sentiment figure, never counted as neutral.
    sentiment: Mapped[float | None]
    # The story's detected language (ISO 639-1, "und" when too short to tell).
    story_language: Mapped[str | None] = mapped_column(String(8))
    would_tell_story: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(16), default="command")
    source_permalink: Mapped[str | None] = mapped_column(String(500))
    followup_on: Mapped[date | None]
    followup_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    followup_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="moments")
