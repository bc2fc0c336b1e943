"""What customers themselves said: help-desk ratings (CSAT, NPS, thumbs) tied to teams."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class CustomerOutcome(Base):
    """One customer's rating of one interaction, as the help desk recorded it.

    ``agent_ref`` is the agent as the help desk named them (Slack id or lower-cased
    email); ``person_id`` and ``team_id`` stay NULL until a person with that id or
    email is known, so a later directory sync can still match the row.
    """

    __tablename__ = "customer_outcome"
    __table_args__ = (
        UniqueConstraint("workspace_id", "source", "external_id"),
        CheckConstraint("kind IN ('csat', 'nps', 'thumbs')", name="kind_known"),
        CheckConstraint("scaled >= 0 AND scaled <= 1", name="scaled_range"),
        Index("ix_customer_outcome_week", "workspace_id", "week_start", "team_id"),
        Index("ix_customer_outcome_unmatched", "workspace_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # Where the row came from (zendesk, freshdesk, intercom, csv, webhook, …).
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The day as the help desk wrote it (its own offset), and that day's ISO Monday.
    happened_on: Mapped[date]
    week_start: Mapped[date]
    kind: Mapped[str] = mapped_column(String(8))
    score: Mapped[float]
    # The score on 0–1 (csat 1→0 … 5→1, nps 0→0 … 10→1, thumbs bad 0 / good 1).
    scaled: Mapped[float]
    agent_ref: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # Snapshot of the agent's team on that day, so moving team does not rewrite history.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    # Customer data: cleared by the retention purge, escaped and neutralised when shown.
    customer: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Workload, where the export has it: minutes spent on this ticket, and how many
    # tickets the agent handled that day (the same on each of the agent's rows that day).
    handle_minutes: Mapped[float | None]
    agent_day_tickets: Mapped[int | None]


class OutcomesSecret(Base):
    """The nonce from which a workspace's webhook secret is derived (never the secret itself).

    The secret is HMAC(CXPULSE_SECRET, "outcomes:<workspace id>:<nonce>"): a copy of the
    database alone cannot sign requests. Rotating replaces the nonce.
    """

    __tablename__ = "outcomes_secret"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    nonce: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
