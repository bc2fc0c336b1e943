"""Who is a lead or an admin: configured ids and user groups, resolved through Slack.

Who sees what is the disclosure gate's decision (bot/core/disclosure.py): ``is_lead``
(named leads: team figures, the digest preview, notes, the lead's Home, the leads' pulse
question) and ``can_celebrate`` (``everyone`` widens this, and only this) ask it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.disclosure import may_celebrate, sees_team_figures

logger = logging.getLogger(__name__)

_CACHE_SECONDS = 300.0
# CXPULSE_LEADS (or the admin's lead list) may say this instead of naming people.
EVERYONE = "everyone"
_cache: dict[tuple[str, tuple[str, ...]], tuple[float, frozenset[str]]] = {}
_lock = threading.Lock()


def _is_user_id(entry: str) -> bool:
    return entry[:1] in ("U", "W") and entry.isalnum() and entry.isupper()


def resolve_members(client: WebClient, team_id: str, entries: Iterable[str]) -> frozenset[str]:
    """User ids named directly or through user groups (ids ``S…`` or ``@handles``).

    Cached for a few minutes per workspace: group membership changes rarely and
    every slash command would otherwise cost two Web API calls.
    """
    key = (team_id, tuple(entries))
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < _CACHE_SECONDS:
            return hit[1]
    users = {e for e in key[1] if _is_user_id(e)}
    groups = [e for e in key[1] if not _is_user_id(e)]
    if groups:
        try:
            listing: list[dict[str, Any]] = client.usergroups_list().get("usergroups", [])
            by_key = {g["id"]: g["id"] for g in listing} | {
                g.get("handle", ""): g["id"] for g in listing
            }
            for entry in groups:
                group_id = by_key.get(entry.lstrip("@"))
                if group_id is None:
                    logger.warning("lead/admin group %r not found in %s", entry, team_id)
                    continue
                users.update(client.usergroups_users_list(usergroup=group_id).get("users", []))
        except SlackApiError as exc:
            logger.warning("could not resolve user groups in %s: %s", team_id, exc)
    result = frozenset(users)
    with _lock:
        _cache[key] = (now, result)
    return result


def clear_cache() -> None:
    """Forget cached memberships (tests, and after an admin changes the lists)."""
    with _lock:
        _cache.clear()


def is_member(client: WebClient, team_id: str, entries: Iterable[str], user_id: str) -> bool:
    """True when ``user_id`` is named in ``entries`` directly or through a group."""
    return user_id in resolve_members(client, team_id, entries)


@dataclass(frozen=True)
class Leads:
    """The leads of one workspace: ``user_id in leads`` answers "is this a named lead?".

    ``everyone`` (anyone may celebrate) makes nobody a lead for anything else.
    """

    members: frozenset[str]
    everyone: bool = False

    def __contains__(self, user_id: object) -> bool:
        return isinstance(user_id, str) and sees_team_figures(self, user_id)


def resolve_leads(client: WebClient, team_id: str, entries: Iterable[str]) -> Leads:
    """The configured lead entries (ids, groups, or ``everyone``) resolved through Slack."""
    named = [e for e in entries if e.lower() != EVERYONE]
    members = resolve_members(client, team_id, named) if named else frozenset()
    return Leads(members=members, everyone=len(named) != len(list(entries)))


def is_lead(client: WebClient, team_id: str, entries: Iterable[str], user_id: str) -> bool:
    """True when ``user_id`` is a named lead here (directly or through a user group)."""
    return sees_team_figures(resolve_leads(client, team_id, list(entries)), user_id)


def can_celebrate(client: WebClient, team_id: str, entries: Iterable[str], user_id: str) -> bool:
    """True when ``user_id`` may celebrate: a named lead, or anyone when leads are everyone."""
    return may_celebrate(resolve_leads(client, team_id, list(entries)), user_id)
