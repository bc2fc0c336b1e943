"""The settings in force for one workspace: environment defaults, overridden per workspace."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from sqlalchemy.orm import Session

from bot.config import Settings
from models import Workspace

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
    retention_days: int = 400
    min_team_weeks: int = 10
    extra: dict[str, str] = field(default_factory=dict)


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
        retention_days=settings.retention_days,
        min_team_weeks=settings.min_team_weeks,
    )


def effective_config(
    session: Session, *, settings: Settings, workspace: Workspace | None = None
) -> WorkspaceConfig:
    """The config in force for ``workspace``: stored admin choices over env defaults.

    Until per-workspace storage exists (the admin issue) this is the defaults.
    """
    return defaults_from_settings(settings)
