"""What `/cx admin` stores (validated per-workspace settings and digest channels), and who
may change them: the workspace's Slack admins and owners, plus CXPULSE_ADMINS."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import MIN_ANONYMITY_THRESHOLD, parse_dates
from bot.core.i18n import DEFAULT_LANGUAGE, ENGLISH, N_, SUPPORTED, Translator
from bot.workspace.config import WorkspaceConfig
from bot.workspace.roles import EVERYONE, is_member
from models import Workspace, WorkspaceSetting

MAX_THRESHOLD = 1000
MAX_VALUES = 20
MAX_GROUPS = 50
MAX_HOLIDAYS = 100
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
PICK_A_LANGUAGE = N_("Pick one of the languages in the list.")


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


def parse_values(raw: str) -> list[str]:
    """Company values typed as "#customerfirst, ownership": lower-case words without '#'."""
    return [p.lstrip("#").lower() for p in re.split(r"[\s,]+", raw.strip()) if p.lstrip("#")]


def parse_time(raw: str | None) -> time | None:
    """A time typed or picked as HH:MM (24 h), or None."""
    match = _TIME.match((raw or "").strip())
    return time(int(match[1]), int(match[2])) if match else None


def _parse_threshold(raw: str | None, t: Translator) -> int | str:
    try:
        value = int((raw or "").strip())
    except ValueError:
        return t.gettext("Enter a whole number, e.g. %(example)s.", example=t.number(5))
    if value < MIN_ANONYMITY_THRESHOLD:
        return t.gettext(
            "At least %(min)s, or single answers could be worked out.",
            min=t.number(MIN_ANONYMITY_THRESHOLD),
        )
    if value > MAX_THRESHOLD:
        return t.gettext("At most %(max)s.", max=t.number(MAX_THRESHOLD))
    return value


def _shown(bad: list[str], t: Translator) -> str:
    """The first few wrong entries, quoted in an error (Slack shows 150 characters)."""
    return t.gettext(", ").join(bad[:3])[:60]


def validate_admin_form(
    form: AdminForm, t: Translator = ENGLISH
) -> tuple[AdminChoices | None, dict[str, str]]:
    """Validated choices, or error messages (in ``t``) keyed by the AdminForm field at fault."""
    errors: dict[str, str] = {}
    pulse_time = parse_time(form.pulse_time)
    if pulse_time is None:
        errors["pulse_time"] = t.gettext(
            "Pick a time of day as HH:MM (24 h), e.g. %(example)s.", example="10:00"
        )
    try:
        days = tuple(sorted({int(d) for d in form.working_days}))
    except ValueError:
        days = ()
    if not days or any(d < 0 or d > 6 for d in days):
        errors["working_days"] = t.gettext("Pick at least one working day.")
    threshold = _parse_threshold(form.anonymity_threshold, t)
    if isinstance(threshold, str):
        errors["anonymity_threshold"] = threshold
    values = parse_values(form.company_values)
    bad = [v for v in values if not _VALUE.match(v)]
    if bad:
        errors["company_values"] = t.gettext(
            "Values are single words (letters, digits, - or _, up to 32): not %(wrong)s.",
            wrong=_shown(bad, t),
        )[:150]
    elif not values:
        errors["company_values"] = t.gettext(
            "Give at least one company value, e.g. #customerfirst."
        )
    elif len(values) > MAX_VALUES:
        errors["company_values"] = t.gettext("At most %(max)s values.", max=t.number(MAX_VALUES))
    holidays, bad_dates = parse_dates(form.holidays)
    if bad_dates:
        errors["holidays"] = t.gettext(
            "Dates as YYYY-MM-DD with commas, e.g. 2026-12-25: not %(wrong)s.",
            wrong=_shown(bad_dates, t),
        )[:150]
    elif len(holidays) > MAX_HOLIDAYS:
        errors["holidays"] = t.gettext("At most %(max)s holidays.", max=t.number(MAX_HOLIDAYS))
    if form.language and form.language not in SUPPORTED:
        errors["language"] = t.gettext(PICK_A_LANGUAGE)
    if len(form.team_groups) > MAX_GROUPS:
        errors["team_groups"] = t.gettext(
            "At most %(max)s team user groups.", max=t.number(MAX_GROUPS)
        )
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


def put_setting(session: Session, workspace: Workspace, key: str, value: Any, user_id: str) -> None:
    """Store one setting for ``workspace`` (JSON), noting who changed it."""
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
        put_setting(
            session, workspace, key, list(stored) if isinstance(stored, tuple) else stored, user_id
        )
    session.flush()


logger = logging.getLogger(__name__)

# A msgid: the gates translate it for whoever they turn away.
REFUSAL = N_(
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
