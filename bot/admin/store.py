"""What `/cx admin` stores (validated per-workspace settings and digest channels), and who
may change them: the workspace's Slack admins and owners, plus CXPULSE_ADMINS."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.config import MIN_ANONYMITY_THRESHOLD, parse_dates
from bot.core.i18n import DEFAULT_LANGUAGE, SUPPORTED
from bot.workspace.config import DIGEST_MANAGED_KEY, WorkspaceConfig
from bot.workspace.roles import EVERYONE, is_member
from models import DigestChannelSetting, Team, Workspace, WorkspaceSetting

MAX_THRESHOLD = 1000
MAX_VALUES = 20
MAX_GROUPS = 50
MAX_DIGEST_CHANNELS = 20
MAX_HOLIDAYS = 100
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class AdminForm:
    """The admin modal's raw answers, as strings and lists of strings."""

    celebrations_channel: str | None = None
    lead_users: list[str] = field(default_factory=list)
    lead_groups: list[str] = field(default_factory=list)
    everyone_leads: bool = False
    team_groups: list[str] = field(default_factory=list)
    pulse_time: str | None = None
    working_days: list[str] = field(default_factory=list)
    anonymity_threshold: str | None = None
    company_values: str = ""
    toggles: list[str] = field(default_factory=list)
    holidays: str = ""
    language: str = ""  # "" (a modal without the menu): English


@dataclass(frozen=True)
class AdminChoices:
    """Validated settings, ready to store (names match WorkspaceConfig fields)."""

    celebrations_channel: str | None
    leads: tuple[str, ...]
    team_groups: tuple[str, ...]
    pulse_time: time
    working_days: tuple[int, ...]
    anonymity_threshold: int
    company_values: tuple[str, ...]
    second_question_enabled: bool
    enps_enabled: bool
    holidays: tuple[date, ...] = ()
    language: str = DEFAULT_LANGUAGE  # channels' default language (digests, celebrations)


@dataclass(frozen=True)
class DigestForm:
    """The "Add digest channel" modal's raw answers; ``team`` is a team id or "" (workspace)."""

    channel: str | None
    team: str = ""
    weekday: str | None = None
    local_time: str | None = None
    timezone: str = ""
    language: str = ""  # "" (a modal without the menu): the workspace's language


def parse_values(raw: str) -> list[str]:
    """Company values typed as "#customerfirst, ownership": lower-case words without '#'."""
    return [p.lstrip("#").lower() for p in re.split(r"[\s,]+", raw.strip()) if p.lstrip("#")]


def _parse_time(raw: str | None) -> time | None:
    match = _TIME.match((raw or "").strip())
    return time(int(match[1]), int(match[2])) if match else None


def _parse_threshold(raw: str | None) -> int | str:
    try:
        value = int((raw or "").strip())
    except ValueError:
        return "Enter a whole number, e.g. 5."
    if value < MIN_ANONYMITY_THRESHOLD:
        return f"At least {MIN_ANONYMITY_THRESHOLD}, or single answers could be worked out."
    if value > MAX_THRESHOLD:
        return f"At most {MAX_THRESHOLD}."
    return value


def validate_admin_form(form: AdminForm) -> tuple[AdminChoices | None, dict[str, str]]:
    """Validated choices, or error messages keyed by the AdminForm field at fault."""
    errors: dict[str, str] = {}
    pulse_time = _parse_time(form.pulse_time)
    if pulse_time is None:
        errors["pulse_time"] = "Pick a time of day as HH:MM (24 h), e.g. 10:00."
    try:
        days = tuple(sorted({int(d) for d in form.working_days}))
    except ValueError:
        days = ()
    if not days or any(d < 0 or d > 6 for d in days):
        errors["working_days"] = "Pick at least one working day."
    threshold = _parse_threshold(form.anonymity_threshold)
    if isinstance(threshold, str):
        errors["anonymity_threshold"] = threshold
    values = parse_values(form.company_values)
    bad = [v for v in values if not _VALUE.match(v)]
    if bad:
        shown = ", ".join(bad[:3])
        errors["company_values"] = (
            f"Values are single words (letters, digits, - or _, up to 32): not {shown}."
        )
    elif not values:
        errors["company_values"] = "Give at least one company value, e.g. #customerfirst."
    elif len(values) > MAX_VALUES:
        errors["company_values"] = f"At most {MAX_VALUES} values."
    holidays, bad_dates = parse_dates(form.holidays)
    if bad_dates:
        shown = ", ".join(bad_dates[:3])
        errors["holidays"] = f"Dates as YYYY-MM-DD with commas, e.g. 2026-12-25: not {shown}."[:150]
    elif len(holidays) > MAX_HOLIDAYS:
        errors["holidays"] = f"At most {MAX_HOLIDAYS} holidays."
    if form.language and form.language not in SUPPORTED:
        errors["language"] = "Pick one of the languages in the list."
    if len(form.team_groups) > MAX_GROUPS:
        errors["team_groups"] = f"At most {MAX_GROUPS} team user groups."
    if errors or pulse_time is None or isinstance(threshold, str):
        return None, errors
    choices = AdminChoices(
        celebrations_channel=form.celebrations_channel or None,
        leads=tuple(
            dict.fromkeys(
                [*([EVERYONE] if form.everyone_leads else []), *form.lead_users, *form.lead_groups]
            )
        ),
        team_groups=tuple(dict.fromkeys(form.team_groups)),
        pulse_time=pulse_time,
        working_days=days,
        anonymity_threshold=threshold,
        company_values=tuple(dict.fromkeys(values)),
        second_question_enabled="second_question" in form.toggles,
        enps_enabled="enps" in form.toggles,
        holidays=holidays,
        language=form.language or DEFAULT_LANGUAGE,
    )
    return choices, {}


def _put(session: Session, workspace: Workspace, key: str, value: Any, user_id: str) -> None:
    encoded = json.dumps(value)
    row = session.scalar(
        select(WorkspaceSetting).where(
            WorkspaceSetting.workspace_id == workspace.id, WorkspaceSetting.key == key
        )
    )
    if row is None:
        session.add(
            WorkspaceSetting(workspace_id=workspace.id, key=key, value=encoded, updated_by=user_id)
        )
    elif row.value != encoded:
        row.value = encoded
        row.updated_by = user_id


def save_admin_choices(
    session: Session, *, workspace: Workspace, choices: AdminChoices, user_id: str
) -> None:
    """Store every choice for ``workspace`` (they take precedence over the environment)."""
    for key, value in choices.__dict__.items():
        stored = value.strftime("%H:%M") if isinstance(value, time) else value
        if key == "holidays":
            stored = [day.isoformat() for day in value]
        _put(
            session, workspace, key, list(stored) if isinstance(stored, tuple) else stored, user_id
        )
    session.flush()


def validate_digest_form(
    session: Session, *, workspace: Workspace, form: DigestForm
) -> tuple[DigestChannelSetting | None, dict[str, str]]:
    """A new digest-channel row (not yet added), or errors keyed by DigestForm field."""
    errors: dict[str, str] = {}
    if not form.channel:
        errors["channel"] = "Pick the channel the digest goes to."
    team_id: int | None = None
    if form.team:
        team = session.get(Team, int(form.team)) if form.team.isdigit() else None
        if team is None or team.workspace_id != workspace.id:
            errors["team"] = "That team no longer exists; pick another or the whole workspace."
        else:
            team_id = team.id
    weekday = int(form.weekday) if form.weekday and form.weekday.isdigit() else -1
    if not 0 <= weekday <= 6:
        errors["weekday"] = "Pick a day of the week."
    local_time = _parse_time(form.local_time)
    if local_time is None:
        errors["local_time"] = "Pick a time of day as HH:MM (24 h), e.g. 09:00."
    tz = form.timezone.strip()
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = "Use a tz database name such as Europe/London or America/New_York."
    if form.language and form.language not in SUPPORTED:
        errors["language"] = "Pick one of the languages in the list."
    existing = digest_channel_rows(session, workspace=workspace)
    if any(r.channel_id == form.channel and r.team_id == team_id for r in existing):
        errors["channel"] = "That channel already gets this digest."
    elif len(existing) >= MAX_DIGEST_CHANNELS:
        errors["channel"] = f"At most {MAX_DIGEST_CHANNELS} digest channels."
    if errors or local_time is None or not form.channel:
        return None, errors
    row = DigestChannelSetting(
        workspace_id=workspace.id,
        channel_id=form.channel,
        team_id=team_id,
        weekday=weekday,
        local_time=local_time,
        timezone=tz,
        language=form.language or None,
    )
    return row, {}


def add_digest_channel(
    session: Session, *, workspace: Workspace, row: DigestChannelSetting, user_id: str
) -> None:
    """Store a validated digest channel; from now on stored rows replace the env list."""
    _put(session, workspace, DIGEST_MANAGED_KEY, True, user_id)
    session.add(row)
    session.flush()


def remove_digest_channel(
    session: Session, *, workspace: Workspace, digest_id: int, user_id: str
) -> bool:
    """Remove one of ``workspace``'s digest channels; False if it was already gone."""
    _put(session, workspace, DIGEST_MANAGED_KEY, True, user_id)
    result = session.execute(
        delete(DigestChannelSetting).where(
            DigestChannelSetting.id == digest_id,
            DigestChannelSetting.workspace_id == workspace.id,
        )
    )
    session.flush()
    return bool(getattr(result, "rowcount", 0))


def digest_channel_rows(session: Session, *, workspace: Workspace) -> list[DigestChannelSetting]:
    """``workspace``'s stored digest channels, oldest first."""
    return list(
        session.scalars(
            select(DigestChannelSetting)
            .where(DigestChannelSetting.workspace_id == workspace.id)
            .order_by(DigestChannelSetting.id)
        )
    )


def workspace_teams(session: Session, *, workspace: Workspace) -> list[Team]:
    """``workspace``'s teams by name (digest scopes)."""
    return list(
        session.scalars(select(Team).where(Team.workspace_id == workspace.id).order_by(Team.name))
    )


logger = logging.getLogger(__name__)

REFUSAL = (
    "Only workspace admins and owners (or people listed by your CX Pulse operator) can "
    "change CX Pulse settings. Ask one of them if something needs changing."
)


def can_administer(
    client: WebClient, *, team_id: str, user_id: str, config: WorkspaceConfig
) -> bool:
    """True for Slack admins/owners (users.info) and the configured admins."""
    if config.admins and is_member(client, team_id, config.admins, user_id):
        return True
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        logger.warning("users.info failed while checking admin rights: %s", exc)
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
