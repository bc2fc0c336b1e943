"""Weekly digest sends: one claimed row per workspace, digest channel and reported week."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class DigestSend(Base):
    """The digest for one channel and one ISO week, claimed before anything is posted.

    The unique key makes a second run, or a second instance, skip the channel:
    the insert that claims it fails for everyone but the first.
    """

    __tablename__ = "digest_send"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # The channel as configured (id or name, without "#"); channel_id is what Slack resolved.
    channel: Mapped[str] = mapped_column(String(80))
    week_start: Mapped[date]
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    # claimed → posted (message out, chart pending) → sent | failed
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    file_id: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(64))
