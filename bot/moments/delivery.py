"""The Slack side of logging a moment: the confirmation, and the apology when the form
cannot open (each DM posted once)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.i18n import N_, Translator
from bot.core.posting import Mark, post_once

logger = logging.getLogger(__name__)

# msgid: translated for the sender where it is sent.
OPEN_SORRY = N_("Sorry, I couldn't open the customer moment form. Please try again.")
CONFIRMATION_EVENT = "cxpulse_moment_confirmation"
OPEN_SORRY_EVENT = "cxpulse_moment_form_sorry"


def send_confirmation(
    client: WebClient,
    *,
    moment_id: int,
    user_id: str,
    channel_id: str,
    text: str,
    blocks: list[dict[str, Any]],
) -> None:
    """Ephemeral in the channel the modal came from; a DM (posted once) when that fails."""
    if channel_id:
        try:
            client.chat_postEphemeral(channel=channel_id, user=user_id, text=text, blocks=blocks)
            return
        except SlackApiError as exc:
            logger.info("ephemeral confirmation in %s failed (%s); DMing", channel_id, exc)
    mark = Mark(CONFIRMATION_EVENT, {"moment_id": moment_id})
    post_once(client, channel=user_id, mark=mark, text=text, blocks=blocks)


def send_open_sorry(client: WebClient, *, user_id: str, trigger_id: str, t: Translator) -> None:
    """Tell the person by DM (once per trigger) that the form did not open."""
    mark = Mark(OPEN_SORRY_EVENT, {"trigger": trigger_id})
    post_once(client, channel=user_id, mark=mark, text=t.gettext(OPEN_SORRY))
