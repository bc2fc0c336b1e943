"""Workspaces, teams and the people the app talks to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow


class Workspace(Base):
    """One Slack workspace (or Enterprise Grid org) the app is installed in."""

    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)

    teams: Mapped[list[Team]] = relationship(back_populates="workspace")
    people: Mapped[list[Person]] = relationship(back_populates="workspace")


class Team(Base):
    """A group of people whose aggregates are reported together."""

    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    # The Slack user group that defines membership, when teams come from groups.
    slack_usergroup_id: Mapped[str | None] = mapped_column(String(32))

    workspace: Mapped[Workspace] = relationship(back_populates="teams")
    people: Mapped[list[Person]] = relationship(back_populates="team")


class Person(Base):
    """A human member of a workspace, as last seen in users.list."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    # Lower-cased profile email (users:read.email), to match help-desk agents.
    email: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Slack's locale as users.list/users.info report it ("fr-FR"); None until synced.
    slack_locale: Mapped[str | None] = mapped_column(String(16))
    # The person's own choice in /cx settings ("fr", "pt_BR"); None follows Slack.
    language: Mapped[str | None] = mapped_column(String(8))
    dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    # Set when a DM failed for good (deactivated, cannot be messaged): no more pulses.
    dm_error: Mapped[str | None] = mapped_column(String(64))
    dm_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="people")
    team: Mapped[Team | None] = relationship(back_populates="people")


class ErasedPerson(Base):
    """Someone erased on request: HMAC(secret, "team:user:erased"), never the Slack user id.

    The directory sync skips anyone with a marker, so an erased person who is still in
    Slack is not added back (and pulsed) an hour later. Nothing else about them is kept.
    """

    __tablename__ = "erased_person"

    marker: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
