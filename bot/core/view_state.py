"""Reading submitted modal values (view.state.values) into the services' plain forms."""

from __future__ import annotations

from typing import Any

from bot.admin.digest_channels import DigestForm
from bot.admin.store import AdminForm
from bot.core import ids


def _entry(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    values: dict[str, Any] = (view.get("state") or {}).get("values") or {}
    block = values.get(block_id) or {}
    return next(iter(block.values()), {}) if block else {}


def text_value(view: dict[str, Any], block_id: str) -> str:
    """A text, number, time or single-select answer as a string ("" when empty)."""
    entry = _entry(view, block_id)
    for key in ("value", "selected_time", "selected_conversation", "selected_channel"):
        if entry.get(key):
            return str(entry[key])
    option = entry.get("selected_option")
    return str(option["value"]) if option else ""


def list_value(view: dict[str, Any], block_id: str) -> list[str]:
    """A multi-select or checkboxes answer as a list of values."""
    entry = _entry(view, block_id)
    if entry.get("selected_users") is not None:
        return [str(u) for u in entry["selected_users"]]
    return [str(o["value"]) for o in entry.get("selected_options") or []]


def admin_form(view: dict[str, Any]) -> AdminForm:
    """The settings modal's answers."""
    return AdminForm(
        celebrations_channel=text_value(view, ids.ADMIN_CELEBRATIONS) or None,
        lead_users=list_value(view, ids.ADMIN_LEAD_USERS),
        lead_groups=list_value(view, ids.ADMIN_LEAD_GROUPS),
        everyone_leads=bool(list_value(view, ids.ADMIN_LEADS_EVERYONE)),
        team_groups=list_value(view, ids.ADMIN_TEAM_GROUPS),
        pulse_time=text_value(view, ids.ADMIN_PULSE_TIME) or None,
        working_days=list_value(view, ids.ADMIN_WORKING_DAYS),
        anonymity_threshold=text_value(view, ids.ADMIN_THRESHOLD) or None,
        company_values=text_value(view, ids.ADMIN_VALUES),
        toggles=list_value(view, ids.ADMIN_TOGGLES),
        holidays=text_value(view, ids.ADMIN_HOLIDAYS),
        language=text_value(view, ids.ADMIN_LANGUAGE),
    )


def digest_form(view: dict[str, Any], *, whole_workspace: str) -> DigestForm:
    """The "Add digest channel" modal's answers (the whole-workspace scope becomes "")."""
    scope = text_value(view, ids.DIGEST_SCOPE)
    return DigestForm(
        channel=text_value(view, ids.DIGEST_CHANNEL) or None,
        team="" if scope == whole_workspace else scope,
        weekday=text_value(view, ids.DIGEST_WEEKDAY) or None,
        local_time=text_value(view, ids.DIGEST_TIME) or None,
        timezone=text_value(view, ids.DIGEST_TIMEZONE),
        language=text_value(view, ids.DIGEST_LANGUAGE),
    )
