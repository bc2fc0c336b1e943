"""A direct message to the bot (its Messages tab): a short, friendly pointer to `/cx help`.

The text people write here is neither stored nor logged: the app works through `/cx`,
the pulse buttons and App Home.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.core.help import DM_HELP_TEXT
from bot.core.posting import Mark, post_once
from bot.runtime import Runtime
from bot.workspace.store import translator_for

logger = logging.getLogger(__name__)

# The Events API subscriptions (app.yaml) behind the "message" listener below.
MESSAGE_EVENTS = ("message.im",)
DM_HELP_EVENT = "cxpulse_dm_help"


def from_a_person_in_a_dm(event: dict[str, Any]) -> bool:
    """A new message a person wrote in the bot's DM (not the bot's own, not an edit)."""
    return (
        event.get("channel_type") == "im"
        and not event.get("bot_id")
        and not event.get("subtype")
        and bool(event.get("user"))
    )


def handle_direct_message(
    event: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    """Answer once with the short help (a retried event or a lost answer never doubles it)."""
    with runtime.sessions() as session:
        t = translator_for(
            session, slack_team_id=context.get("team_id") or "", slack_user_id=event["user"]
        )
    post_once(
        client,
        channel=str(event["channel"]),
        mark=Mark(DM_HELP_EVENT, {"ts": str(event.get("ts") or "")}),
        text=t.gettext(DM_HELP_TEXT),
    )
    logger.info("answered a direct message with the help")
