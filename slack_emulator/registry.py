"""What every Web API method handler shares: its context, errors and registration."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_emulator.state import Channel, SandboxState, User, Workspace


class SlackError(Exception):
    """A Slack `{"ok": false, "error": ...}` answer raised from inside a handler."""

    def __init__(self, error: str, **extra: Any) -> None:
        """Keep the error name and any extra envelope fields."""
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class Context:
    """What a handler may use: the state, the calling workspace and the server's address."""

    state: SandboxState
    workspace: Workspace | None
    base_url: str
    app_id: str
    client_id: str
    client_secret: str
    basic_auth: tuple[str, str] | None = None
    token: str = ""
    app_token: str = ""
    socket_url: Callable[[], str] | None = None

    @property
    def ws(self) -> Workspace:
        """Return the calling workspace (token-authenticated methods always have one)."""
        if self.workspace is None:
            raise SlackError("not_authed")
        return self.workspace


Handler = Callable[[Context, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}
# Methods Slack answers without a bot token (none yet, or an app-level token instead).
TOKENLESS = {"oauth.v2.access", "apps.connections.open"}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register a function as the handler of Web API method `name`."""

    def register(func: Handler) -> Handler:
        HANDLERS[name] = func
        return func

    return register


def truthy(value: Any) -> bool:
    """Read a Slack boolean sent as JSON or as a form string."""
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def int_arg(args: dict[str, Any], name: str, default: int) -> int:
    """Read an integer argument, answering invalid_arguments when it is not one."""
    value = args.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SlackError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] bad integer: {name}"]}
        ) from None


def encode_cursor(kind: str, key: str) -> str:
    """Return an opaque cursor like Slack's (base64 of `kind:key`)."""
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


def decode_cursor(cursor: str, kind: str) -> str:
    """Return the key inside a cursor, answering invalid_cursor for anything else."""
    try:
        found_kind, key = base64.b64decode(cursor.encode(), validate=True).decode().split(":", 1)
    except (ValueError, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if found_kind != kind:
        raise SlackError("invalid_cursor")
    return key


def user_or_fail(ws: Workspace, user_id: Any, error: str = "user_not_found") -> User:
    """Return the workspace member `user_id` or answer `error`."""
    user = ws.users.get(str(user_id)) if user_id else None
    if user is None:
        raise SlackError(error)
    return user


def channel_or_fail(ws: Workspace, ref: Any) -> Channel:
    """Return the channel `ref` names (id or name) or answer channel_not_found."""
    channel = ws.channel(str(ref)) if ref else None
    if channel is None:
        raise SlackError("channel_not_found")
    return channel


def open_dm(ctx: Context, user: User) -> tuple[Channel, bool]:
    """Return the bot's DM with `user`, creating it on first use; the bool says it existed."""
    ws = ctx.ws
    existing = ws.dms.get(user.id)
    if existing is not None:
        return ws.channels[existing], True
    channel = Channel(
        id=ctx.state.new_id("D"),
        team_id=ws.team_id,
        name=user.id,
        is_im=True,
        user=user.id,
        members={user.id, ws.bot_user_id},
    )
    ws.channels[channel.id] = channel
    ws.dms[user.id] = channel.id
    return channel, False
