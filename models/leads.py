"""What the lead-facing insights remember: the App Home chart file and sent drop alerts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class LeadChart(Base):
    """The chart last uploaded for one team's App Home (``team_key`` -1: the whole workspace)
    in one language.

    Kept so the chart is rendered and uploaded at most once per closed week per team and
    language, however many leads open their Home: its drawn labels, title and alt text are
    in that language. Aggregates only: nothing here is per person.
    """

    __tablename__ = "lead_chart"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    team_key: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # A code of bot.core.i18n.SUPPORTED ("en", "pt_BR", …).
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    # The last closed week the chart shows; a newer closed week means a new chart.
    last_week: Mapped[date]
    file_id: Mapped[str] = mapped_column(String(32))
    alt_text: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DropAlert(Base):
    """A drop alert for one team and closed week, claimed before the lead is told."""

    __tablename__ = "drop_alert"
    __table_args__ = (UniqueConstraint("workspace_id", "team_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    week_start: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    leads_told: Mapped[int] = mapped_column(default=0)
