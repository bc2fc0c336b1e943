"""Workspace state: users, channels, messages, views, files, installs."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

# Slack shows long zone names ("Eastern Standard Time"); zoneinfo only has abbreviations.
_TZ_LABELS = {
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "UTC": "Coordinated Universal Time",
    "IST": "India Standard Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}


@dataclass
class User:
    """A workspace member; `to_api` renders Slack's user object."""

    id: str
    team_id: str
    name: str
    real_name: str
    tz: str = "America/New_York"
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False
    is_owner: bool = False
    email: str | None = None
    bot_id: str | None = None
    locale: str = "en-US"

    def to_api(self, *, include_locale: bool = False) -> dict[str, Any]:
        """Return the user as users.list and users.info show it.

        Slack adds ``locale`` only when the call asked for it with ``include_locale``.
        """
        # The offset is computed at answer time, as Slack does, so it follows DST.
        local = datetime.now(UTC).astimezone(ZoneInfo(self.tz))
        offset = local.utcoffset()
        abbreviation = local.tzname() or self.tz
        profile: dict[str, Any] = {
            "real_name": self.real_name,
            "display_name": self.name,
            "real_name_normalized": self.real_name,
            "display_name_normalized": self.name,
            "image_72": f"https://avatars.sandbox.invalid/{self.id}_72.png",
            "team": self.team_id,
        }
        if self.email is not None:
            profile["email"] = self.email
        if self.bot_id is not None:
            profile["bot_id"] = self.bot_id
        shown: dict[str, Any] = {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": _TZ_LABELS.get(abbreviation, abbreviation),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1700000000,
            "profile": profile,
        }
        if include_locale:
            shown["locale"] = self.locale
        return shown


@dataclass
class Channel:
    """A conversation: public or private channel, or a DM."""

    id: str
    team_id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_general: bool = False
    user: str | None = None
    members: set[str] = field(default_factory=set)
    messages: list[dict[str, Any]] = field(default_factory=list)
    created: int = field(default_factory=lambda: int(time.time()))

    def to_api(self, viewer: str) -> dict[str, Any]:
        """Return the conversation object as conversations.info shows it to `viewer`."""
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": True,
            "is_group": False,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "is_archived": False,
            "is_general": self.is_general,
            "is_shared": False,
            "is_org_shared": False,
            "is_member": viewer in self.members,
            "created": self.created,
            "creator": "",
            "context_team_id": self.team_id,
        }

    def find(self, ts: str) -> dict[str, Any] | None:
        """Return the message posted at `ts`, if any."""
        return next((m for m in self.messages if m["ts"] == ts), None)


@dataclass
class Workspace:
    """One Slack team the app is installed in."""

    team_id: str
    name: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    enterprise_id: str | None = None
    is_enterprise_install: bool = False
    installed: bool = True
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    dms: dict[str, str] = field(default_factory=dict)
    usergroups: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_views: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def domain(self) -> str:
        """Return the workspace's subdomain."""
        return "".join(ch for ch in self.name.lower() if ch.isalnum()) or self.team_id.lower()

    def channel(self, ref: str) -> Channel | None:
        """Find a channel by id, `#name` or `name`."""
        if ref in self.channels:
            return self.channels[ref]
        name = ref.removeprefix("#")
        return next((c for c in self.channels.values() if not c.is_im and c.name == name), None)


@dataclass
class Trigger:
    """A trigger_id the client actor handed to the app."""

    team_id: str
    user_id: str
    issued_at: float
    view_id: str | None = None
    used: bool = False


@dataclass
class UploadedFile:
    """A file uploaded through files.getUploadURLExternal and the upload URL."""

    id: str
    team_id: str
    filename: str
    length: int
    alt_txt: str | None = None
    content: bytes | None = None
    title: str | None = None
    completed: bool = False
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None


@dataclass
class ResponseTarget:
    """What a response_url belongs to, so replace_original can act on it."""

    team_id: str
    user_id: str
    channel_id: str | None = None
    message_ts: str | None = None


@dataclass(frozen=True)
class ResponsePost:
    """One JSON body the app posted to a response_url."""

    response_id: str
    body: dict[str, Any]
    team_id: str
    channel_id: str | None
    at: float


@dataclass
class OAuthGrant:
    """An OAuth code the emulator will exchange in oauth.v2.access."""

    team_id: str
    installer_user_id: str
    used: bool = False


class SandboxState:
    """Everything the emulator knows; callers hold `lock` while reading or changing it."""

    def __init__(self) -> None:
        """Start with no workspaces."""
        self.lock = threading.RLock()
        self.workspaces: dict[str, Workspace] = {}
        self.tokens: dict[str, str] = {}
        self.revoked_tokens: set[str] = set()
        self.views: dict[str, dict[str, Any]] = {}
        self.view_owner: dict[str, tuple[str, str]] = {}
        self.triggers: dict[str, Trigger] = {}
        self.files: dict[str, UploadedFile] = {}
        self.response_targets: dict[str, ResponseTarget] = {}
        self.responses: list[ResponsePost] = []
        # What the app answered in its acks (HTTP bodies, Socket Mode payloads) that Slack
        # shows: a slash command's message, a view_submission's errors/update/push.
        self.acks: list[dict[str, Any]] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.reactions: list[dict[str, Any]] = []
        self.oauth_codes: dict[str, OAuthGrant] = {}
        self.message_channel: dict[str, str] = {}
        self._counter = 0
        self._last_ts_us = 0

    def new_id(self, prefix: str) -> str:
        """Return a fresh Slack-looking id such as `C0SB00012`."""
        with self.lock:
            self._counter += 1
            return f"{prefix}0SB{self._counter:05d}"

    @property
    def last_ts(self) -> float:
        """The newest message timestamp handed out so far (0 before the first)."""
        with self.lock:
            return self._last_ts_us / 1_000_000

    def new_ts(self) -> str:
        """Return a unique, increasing message timestamp based on the clock."""
        with self.lock:
            self._last_ts_us = max(int(time.time() * 1_000_000), self._last_ts_us + 1)
            return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def workspace_for_token(self, token: str) -> Workspace | None:
        """Return the installed workspace a bot token belongs to."""
        team_id = self.tokens.get(token)
        return self.workspaces.get(team_id) if team_id else None
