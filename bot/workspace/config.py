"""The settings in force for one workspace: environment defaults, overridden per workspace."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from models import DigestChannelSetting, Team, Workspace, WorkspaceSetting

DEFAULT_PULSE_TIME = time(10, 0)
DEFAULT_WORKING_DAYS = (0, 1, 2, 3, 4)  # Monday..Friday, as date.weekday()
DEFAULT_DIGEST_WEEKDAY = 0  # Monday
DEFAULT_DIGEST_TIME = time(9, 0)
DEFAULT_VALUES = ("customerfirst", "ownership", "teamwork", "curiosity", "empathy")


@dataclass(frozen=True)
class DigestChannel:
    """Where and when a weekly digest goes; ``team`` None means the whole workspace."""

    channel: str
    team: str | None = None
    weekday: int = DEFAULT_DIGEST_WEEKDAY
    local_time: time = DEFAULT_DIGEST_TIME
    timezone: str = "UTC"


@dataclass(frozen=True)
class WorkspaceConfig:
    """Everything a service needs to know about how this workspace is set up."""

    celebrations_channel: str | None
    digest_channels: tuple[DigestChannel, ...]
    leads: tuple[str, ...]
    admins: tuple[str, ...]
    team_groups: tuple[str, ...]
    timezone: str
    anonymity_threshold: int
    pulse_time: time = DEFAULT_PULSE_TIME
    working_days: tuple[int, ...] = DEFAULT_WORKING_DAYS
    company_values: tuple[str, ...] = DEFAULT_VALUES
    second_question_enabled: bool = True
    enps_enabled: bool = True
    holidays: tuple[date, ...] = ()
    retention_days: int = 400
    min_team_weeks: int = 10


def defaults_from_settings(settings: Settings) -> WorkspaceConfig:
    """The single-workspace defaults the environment gives."""
    return WorkspaceConfig(
        celebrations_channel=settings.celebrations_channel,
        digest_channels=tuple(
            DigestChannel(channel=c, timezone=settings.timezone) for c in settings.digest_channels
        ),
        leads=settings.leads,
        admins=settings.admins,
        team_groups=settings.team_groups,
        timezone=settings.timezone,
        anonymity_threshold=settings.anonymity_threshold,
        holidays=settings.holidays,
        retention_days=settings.retention_days,
        min_team_weeks=settings.min_team_weeks,
    )


# Keys of ``workspace_setting`` rows (JSON values) and the WorkspaceConfig field each sets.
STORED_FIELDS = (
    "celebrations_channel",
    "leads",
    "team_groups",
    "pulse_time",
    "working_days",
    "anonymity_threshold",
    "company_values",
    "second_question_enabled",
    "enps_enabled",
    "holidays",
)
# Set once an admin has managed digest channels: from then on the rows replace the env list.
DIGEST_MANAGED_KEY = "digest_channels_managed"


def stored_settings(session: Session, *, workspace: Workspace) -> dict[str, Any]:
    """The admin's stored choices for ``workspace``, decoded from JSON, by key."""
    rows = session.execute(
        select(WorkspaceSetting.key, WorkspaceSetting.value).where(
            WorkspaceSetting.workspace_id == workspace.id
        )
    )
    return {key: json.loads(value) for key, value in rows}


def stored_digest_channels(session: Session, *, workspace: Workspace) -> list[DigestChannel]:
    """The digest channels an admin set for ``workspace``, in the order they were added."""
    rows = session.execute(
        select(DigestChannelSetting, Team.name)
        .outerjoin(Team, Team.id == DigestChannelSetting.team_id)
        .where(DigestChannelSetting.workspace_id == workspace.id)
        .order_by(DigestChannelSetting.id)
    )
    return [
        DigestChannel(
            channel=row.channel_id,
            team=team_name,
            weekday=row.weekday,
            local_time=row.local_time,
            timezone=row.timezone,
        )
        for row, team_name in rows
    ]


def _decode(key: str, value: Any) -> Any:
    """A stored JSON value as the WorkspaceConfig field wants it."""
    if key == "pulse_time":
        return time.fromisoformat(value)
    if key == "holidays":
        return tuple(date.fromisoformat(day) for day in value)
    if isinstance(value, list):
        return tuple(value)
    return value


def effective_config(
    session: Session, *, settings: Settings, workspace: Workspace | None = None
) -> WorkspaceConfig:
    """The config in force for ``workspace``: stored admin choices over env defaults."""
    config = defaults_from_settings(settings)
    if workspace is None or workspace.id is None:
        return config
    stored = stored_settings(session, workspace=workspace)
    changes = {k: _decode(k, v) for k, v in stored.items() if k in STORED_FIELDS}
    if stored.get(DIGEST_MANAGED_KEY):
        changes["digest_channels"] = tuple(stored_digest_channels(session, workspace=workspace))
    return replace(config, **changes)
