"""Slack requests whose work is done or under way, so a replay or a retry never repeats it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class HandledRequest(Base):
    """One view submission (view id and hash) or event (event id), claimed before its work.

    The key is stored as a SHA-256 digest (no Slack id in the database), and only the day:
    enough to purge old rows, nothing finer about when anyone acted.
    """

    __tablename__ = "handled_request"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    handled_on: Mapped[date] = mapped_column(index=True)
