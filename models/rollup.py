"""Per team-week rollup of pulse answers and sends, for closed weeks (a cache of GROUP BYs).

Counts only, never a respondent key: the anonymity threshold is applied when it is
read (``bot/insights/teamweeks.py``), exactly as on the raw rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

# ``team_key`` values besides a team's id.
NO_TEAM_KEY = 0
WHOLE_WORKSPACE_KEY = -1


class PulseRollupWeek(Base):
    """Marks one workspace week as rolled up: its rows in ``pulse_rollup`` replace the raw ones."""

    __tablename__ = "pulse_rollup_week"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date] = mapped_column(primary_key=True)
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PulseRollup(Base):
    """One team (``team_key`` = team id, 0 for no team, -1 for everyone) in one closed week.

    No foreign key to ``team``: the key is a plain number so "no team" and "everyone"
    fit the primary key; team rows are never deleted by the app.
    """

    __tablename__ = "pulse_rollup"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date] = mapped_column(primary_key=True)
    team_key: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    respondents: Mapped[int] = mapped_column(default=0)  # distinct respondent keys
    answers: Mapped[int] = mapped_column(default=0)
    score_sum: Mapped[int] = mapped_column(default=0)
    sent_people: Mapped[int] = mapped_column(default=0)  # distinct people sent a pulse
