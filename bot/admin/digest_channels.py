"""Digest channels an admin adds in `/cx admin` (they replace CXPULSE_DIGEST_CHANNELS once
one is added or removed), and the teams a digest may cover."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.admin.store import PICK_A_LANGUAGE, parse_time, put_setting
from bot.core.i18n import ENGLISH, SUPPORTED, Translator
from bot.workspace.config import DIGEST_MANAGED_KEY
from models import DigestChannelSetting, Team, Workspace

MAX_DIGEST_CHANNELS = 20


@dataclass(frozen=True)
class DigestForm:
    """The "Add digest channel" modal's raw answers; ``team`` is a team id or "" (workspace)."""

    channel: str | None
    team: str = ""
    weekday: str | None = None
    local_time: str | None = None
    timezone: str = ""
    language: str = ""  # "" (a modal without the menu): the workspace's language


def validate_digest_form(
    session: Session, *, workspace: Workspace, form: DigestForm, t: Translator = ENGLISH
) -> tuple[DigestChannelSetting | None, dict[str, str]]:
    """A new digest-channel row (not yet added), or errors (in ``t``) keyed by DigestForm
    field."""
    errors: dict[str, str] = {}
    if not form.channel:
        errors["channel"] = t.gettext("Pick the channel the digest goes to.")
    team_id: int | None = None
    if form.team:
        team = session.get(Team, int(form.team)) if form.team.isdigit() else None
        if team is None or team.workspace_id != workspace.id:
            errors["team"] = t.gettext(
                "That team no longer exists; pick another or the whole workspace."
            )
        else:
            team_id = team.id
    weekday = int(form.weekday) if form.weekday and form.weekday.isdigit() else -1
    if not 0 <= weekday <= 6:
        errors["weekday"] = t.gettext("Pick a day of the week.")
    local_time = parse_time(form.local_time)
    if local_time is None:
        errors["local_time"] = t.gettext(
            "Pick a time of day as HH:MM (24 h), e.g. %(example)s.", example="09:00"
        )
    tz = form.timezone.strip()
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = t.gettext(
            "Use a tz database name such as Europe/London or America/New_York."
        )
    if form.language and form.language not in SUPPORTED:
        errors["language"] = t.gettext(PICK_A_LANGUAGE)
    existing = digest_channel_rows(session, workspace=workspace)
    if any(r.channel_id == form.channel and r.team_id == team_id for r in existing):
        errors["channel"] = t.gettext("That channel already gets this digest.")
    elif len(existing) >= MAX_DIGEST_CHANNELS:
        errors["channel"] = t.gettext(
            "At most %(max)s digest channels.", max=t.number(MAX_DIGEST_CHANNELS)
        )
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
    put_setting(session, workspace, DIGEST_MANAGED_KEY, True, user_id)
    session.add(row)
    session.flush()


def remove_digest_channel(
    session: Session, *, workspace: Workspace, digest_id: int, user_id: str
) -> bool:
    """Remove one of ``workspace``'s digest channels; False if it was already gone."""
    put_setting(session, workspace, DIGEST_MANAGED_KEY, True, user_id)
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
