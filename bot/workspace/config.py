"""The settings in force for one workspace: environment defaults, overridden per workspace."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.core.i18n import DEFAULT_LANGUAGE, SUPPORTED
from models import DigestChannelSetting, Team, Workspace, WorkspaceSetting

DEFAULT_PULSE_TIME = time(10, 0)
DEFAULT_WORKING_DAYS = (0, 1, 2, 3, 4)  # Monday..Friday, as date.weekday()
DEFAULT_DIGEST_WEEKDAY = 0  # Monday
DEFAULT_DIGEST_TIME = time(9, 0)
DEFAULT_VALUES = ("customerfirst", "ownership", "teamwork", "curiosity", "empathy")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestChannel:
    """Where and when a weekly digest goes; ``team`` None means the whole workspace."""

    channel: str
    team: str | None = None
    weekday: int = DEFAULT_DIGEST_WEEKDAY
    local_time: time = DEFAULT_DIGEST_TIME
    timezone: str = "UTC"
    language: str | None = None  # None: the workspace's language


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
    language: str = DEFAULT_LANGUAGE  # digests' default language (bot/core/i18n.py)

    def digest_language(self, channel: DigestChannel) -> str:
        """The language ``channel``'s digest is written in: its own, else the workspace's."""
        return channel.language or self.language


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


# What each stored field's type must be (the values here are placeholders).
_DEFAULT_CONFIG = WorkspaceConfig(
    celebrations_channel=None,
    digest_channels=(),
    leads=(),
    admins=(),
    team_groups=(),
    timezone="UTC",
    anonymity_threshold=5,
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
    "language",
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
    stored: dict[str, Any] = {}
    for key, value in rows:
        try:
            stored[key] = json.loads(value)
        except ValueError:
            logger.warning("workspace %s: setting %r is not JSON; ignored", workspace.id, key)
    return stored


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
            language=row.language,
        )
        for row, team_name in rows
    ]


def _decode(key: str, value: Any) -> Any:
    """A stored JSON value as the WorkspaceConfig field wants it (TypeError/ValueError if bad)."""
    wanted = type(getattr(_DEFAULT_CONFIG, key))
    if key == "pulse_time":
        return time.fromisoformat(value)
    if key == "holidays":
        return tuple(date.fromisoformat(day) for day in value)
    if key == "language" and value not in SUPPORTED:
        raise ValueError(key)
    if key == "celebrations_channel":
        if value is not None and not isinstance(value, str):
            raise TypeError(key)
        return value
    if wanted is tuple:
        if not isinstance(value, list):
            raise TypeError(key)
        kind = int if key == "working_days" else str
        if not all(isinstance(v, kind) and not isinstance(v, bool) for v in value):
            raise TypeError(key)
        return tuple(value)
    if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
        raise TypeError(key)
    return value


def effective_config(
    session: Session, *, settings: Settings, workspace: Workspace | None = None
) -> WorkspaceConfig:
    """The config in force for ``workspace``: stored admin choices over env defaults."""
    config = defaults_from_settings(settings)
    if workspace is None or workspace.id is None:
        return config
    stored = stored_settings(session, workspace=workspace)
    changes: dict[str, Any] = {}
    for key, value in stored.items():
        if key not in STORED_FIELDS:
            continue
        try:
            changes[key] = _decode(key, value)
        except (TypeError, ValueError):
            # A bad stored value must not stop every job: the environment's default holds.
            logger.warning("workspace %s: bad %s %r ignored", workspace.id, key, value)
    if stored.get(DIGEST_MANAGED_KEY):
        changes["digest_channels"] = tuple(stored_digest_channels(session, workspace=workspace))
    return replace(config, **changes)
