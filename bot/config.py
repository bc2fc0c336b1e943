"""Settings built once from the environment: the only reader of ``os.environ``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///cxpulse.db"
MIN_ANONYMITY_THRESHOLD = 3
DEFAULT_PORT = 3000
LOG_FORMATS = ("text", "json")
# Settings that may instead be read from the file named by <NAME>_FILE (Docker and
# Kubernetes secrets are mounted as files).
SECRET_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_SECRET",
    "CXPULSE_SECRET",
    "CXPULSE_TOKEN_KEY",
    "CXPULSE_OUTCOMES_SECRET",
    "DATABASE_URL",
)


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


class RunMode(Enum):
    """What the process is about to do, which decides the settings it needs."""

    SOCKET = "start"
    HTTP = "serve"
    JOB = "run-job"
    DEMO = "demo"
    OFFLINE = "offline"  # db upgrade, export, flowon: no Slack at all


def _split(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def parse_dates(raw: str) -> tuple[tuple[date, ...], list[str]]:
    """Dates written as ``2026-12-25, 2026-12-26`` (commas, spaces or lines), sorted, and
    the parts that are not ``YYYY-MM-DD`` dates."""
    found: set[date] = set()
    bad: list[str] = []
    for part in raw.replace(";", ",").replace("\n", ",").replace(" ", ",").split(","):
        if not part.strip():
            continue
        try:
            found.add(date.fromisoformat(part.strip()))
        except ValueError:
            bad.append(part.strip())
    return tuple(sorted(found)), bad


def with_secret_files(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with each secret setting given as ``<NAME>_FILE`` read from that file."""
    resolved = dict(env)
    for name in SECRET_SETTINGS:
        path = env.get(f"{name}_FILE", "").strip()
        if not path:
            continue
        if env.get(name, "").strip():
            raise ConfigError(f"set {name} or {name}_FILE, not both")
        try:
            value = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigError(
                f"{name}_FILE: cannot read {path} ({exc.strerror or type(exc).__name__})"
            ) from None
        except UnicodeDecodeError:
            raise ConfigError(f"{name}_FILE: {path} is not UTF-8 text") from None
        if not value.strip():
            raise ConfigError(f"{name}_FILE: {path} is empty")
        resolved[name] = value
    return resolved


def _port(env: Mapping[str, str]) -> int:
    port = _int(env, "PORT", DEFAULT_PORT)
    if not 0 <= port <= 65535:
        raise ConfigError(f"PORT must be a TCP port between 0 and 65535, got {port}")
    return port


def _log_format(env: Mapping[str, str]) -> str:
    raw = env.get("CXPULSE_LOG_FORMAT", "").strip().lower() or "text"
    if raw not in LOG_FORMATS:
        raise ConfigError(f"CXPULSE_LOG_FORMAT must be text or json, got {raw!r}")
    return raw


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _public_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not raw.startswith(("https://", "http://")) or " " in raw:
        raise ConfigError(
            f"CXPULSE_PUBLIC_URL must be an http(s) address such as https://cx.example.com, "
            f"got {raw!r}"
        )
    return raw.rstrip("/")


@dataclass(frozen=True)
class Settings:
    """Everything the app can be told from outside, with the design's defaults."""

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    # Seconds a Web API call may take before it counts as lost (and is retried if safe).
    slack_timeout_seconds: int = 10
    database_url: str = DEFAULT_DATABASE_URL
    cxpulse_secret: str | None = None
    # Fernet key(s), comma-separated, newest first: Slack tokens are encrypted at rest.
    cxpulse_token_key: str | None = None
    team_groups: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()
    celebrations_channel: str | None = None
    digest_channels: tuple[str, ...] = ()
    timezone: str = "UTC"
    anonymity_threshold: int = 5
    # Workspace holidays: no pulses and no reminders on these (local) dates.
    holidays: tuple[date, ...] = ()
    # Signs POST /outcomes for a single-workspace install (admins can make per-workspace ones).
    outcomes_secret: str | None = None
    # Not in the design's table but tunable for tests and operators.
    retention_days: int = 400
    min_team_weeks: int = 10
    # On uninstall (app_uninstalled / tokens_revoked): delete the workspace's data, or keep it.
    delete_on_uninstall: bool = False
    # Where customers reach `cxpulse serve` (https://cx.example.com): the story links' base.
    public_url: str | None = None
    # The reverse proxy in front of `cxpulse serve`, trusted for X-Forwarded-For/-Proto.
    trusted_proxy: str | None = None
    # Where `cxpulse serve` listens, and `cxpulse start` serves its probes, without --port.
    port: int = DEFAULT_PORT
    # "json": one JSON object per log line (log collectors); "text" for people.
    log_format: str = "text"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the process environment (or ``env``) into a validated Settings."""
        env = with_secret_files(os.environ if env is None else env)

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        threshold = _int(env, "CXPULSE_ANONYMITY_THRESHOLD", 5)
        if threshold < MIN_ANONYMITY_THRESHOLD:
            raise ConfigError(
                f"CXPULSE_ANONYMITY_THRESHOLD is {threshold}; it can never be below "
                f"{MIN_ANONYMITY_THRESHOLD}, or single answers could be worked out."
            )
        holidays, bad_dates = parse_dates(env.get("CXPULSE_HOLIDAYS", ""))
        if bad_dates:
            raise ConfigError(
                f"CXPULSE_HOLIDAYS must be dates as YYYY-MM-DD separated by commas, "
                f"e.g. 2026-12-25,2026-12-26; not {', '.join(bad_dates[:3])}"
            )
        slack_timeout = _int(env, "SLACK_TIMEOUT_SECONDS", 10)
        if slack_timeout < 1:
            raise ConfigError(f"SLACK_TIMEOUT_SECONDS must be 1 or more, got {slack_timeout}")
        api_url = text("SLACK_API_URL") or DEFAULT_API_URL
        if not api_url.endswith("/"):
            api_url += "/"
        token_key = text("CXPULSE_TOKEN_KEY")
        if token_key is not None:
            from bot.workspace.tokens import TokenKeyError, parse_keys

            try:
                parse_keys(token_key)
            except TokenKeyError as exc:
                raise ConfigError(str(exc)) from None
        settings = cls(
            slack_bot_token=text("SLACK_BOT_TOKEN"),
            slack_signing_secret=text("SLACK_SIGNING_SECRET"),
            slack_app_token=text("SLACK_APP_TOKEN"),
            slack_client_id=text("SLACK_CLIENT_ID"),
            slack_client_secret=text("SLACK_CLIENT_SECRET"),
            slack_api_url=api_url,
            slack_timeout_seconds=slack_timeout,
            database_url=text("DATABASE_URL") or DEFAULT_DATABASE_URL,
            cxpulse_secret=text("CXPULSE_SECRET"),
            cxpulse_token_key=token_key,
            team_groups=_split(env.get("CXPULSE_TEAM_GROUPS")),
            leads=_split(env.get("CXPULSE_LEADS")),
            admins=_split(env.get("CXPULSE_ADMINS")),
            celebrations_channel=text("CXPULSE_CELEBRATIONS_CHANNEL"),
            digest_channels=_split(env.get("CXPULSE_DIGEST_CHANNELS")),
            timezone=text("CXPULSE_TIMEZONE") or "UTC",
            anonymity_threshold=threshold,
            holidays=holidays,
            outcomes_secret=text("CXPULSE_OUTCOMES_SECRET"),
            retention_days=_int(env, "CXPULSE_RETENTION_DAYS", 400),
            min_team_weeks=_int(env, "CXPULSE_MIN_TEAM_WEEKS", 10),
            delete_on_uninstall=_bool(env, "CXPULSE_DELETE_ON_UNINSTALL", False),
            public_url=_public_url(text("CXPULSE_PUBLIC_URL")),
            trusted_proxy=text("CXPULSE_TRUSTED_PROXY"),
            port=_port(env),
            log_format=_log_format(env),
        )
        settings.check_timezone()
        return settings

    def check_timezone(self) -> None:
        """Fail early on a time zone name the tz database does not know."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"CXPULSE_TIMEZONE {self.timezone!r} is not a tz database name (e.g. Europe/London)"
            ) from None

    @property
    def oauth_enabled(self) -> bool:
        """True when the app installs into many workspaces through Bolt's OAuth flow."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def require(self, mode: RunMode) -> Settings:
        """Raise a ConfigError listing every variable ``mode`` needs that is unset."""
        missing: list[str] = []
        if mode in (RunMode.SOCKET, RunMode.HTTP, RunMode.JOB):
            if not self.cxpulse_secret:
                missing.append(
                    "CXPULSE_SECRET (keys pulse answers; make one with `cxpulse secret`)"
                )
            if not self.oauth_enabled and not self.slack_bot_token:
                missing.append(
                    "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID + SLACK_CLIENT_SECRET for OAuth)"
                )
        oauth_mode = mode in (RunMode.HTTP, RunMode.JOB) and self.oauth_enabled
        if oauth_mode and not self.cxpulse_token_key:
            missing.append(
                "CXPULSE_TOKEN_KEY (encrypts stored Slack tokens; make one with "
                "python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')"
            )
        if mode is RunMode.HTTP and not self.slack_signing_secret:
            missing.append("SLACK_SIGNING_SECRET (Basic Information → App Credentials)")
        if mode is RunMode.SOCKET:
            if not self.slack_app_token:
                missing.append("SLACK_APP_TOKEN (an xapp- token with connections:write)")
            if not self.slack_bot_token:
                missing.append("SLACK_BOT_TOKEN (Socket Mode runs in one workspace)")
        if missing:
            raise ConfigError(
                f"cxpulse {mode.value} needs these environment variables:\n  - "
                + "\n  - ".join(missing)
            )
        if mode in (RunMode.SOCKET, RunMode.HTTP, RunMode.JOB):
            self._check_key_strength()
        return self

    def _check_key_strength(self) -> None:
        """Refuse a guessable CXPULSE_SECRET or token key (the demo's own keys never get here)."""
        from bot.core.keystrength import HOW, secret_problem, token_key_problem

        weak: list[str] = []
        if self.cxpulse_secret and (why := secret_problem(self.cxpulse_secret)):
            weak.append(f"CXPULSE_SECRET is too weak: {why}; {HOW}")
        keys = [k.strip() for k in (self.cxpulse_token_key or "").split(",") if k.strip()]
        for i, key in enumerate(keys, 1):
            if why := token_key_problem(key):
                weak.append(
                    f"CXPULSE_TOKEN_KEY key #{i} is too weak: {why}; make one with "
                    "python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'"
                )
        if weak:
            raise ConfigError(
                "keys must carry at least 256 bits (see docs/privacy/hardening.md):\n  - "
                + "\n  - ".join(weak)
            )

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some fields changed (tests, the demo)."""
        return replace(self, **changes)
