"""apps.connections.open: the app-level token's way into Socket Mode."""

from __future__ import annotations

from typing import Any

from slack_emulator.registry import Context, SlackError, handler


@handler("apps.connections.open")
def apps_connections_open(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Return a one-time WebSocket URL; only the app-level token (xapp-) may ask."""
    if not ctx.token:
        raise SlackError("not_authed")
    if not ctx.token.startswith("xapp-"):
        raise SlackError("not_allowed_token_type")
    if ctx.token != ctx.app_token or ctx.socket_url is None:
        raise SlackError("invalid_auth")
    return {"url": ctx.socket_url()}
