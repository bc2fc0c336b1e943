"""Who may change a workspace's settings: its Slack admins and owners, plus CXPULSE_ADMINS."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.workspace.config import WorkspaceConfig
from bot.workspace.roles import is_member

logger = logging.getLogger(__name__)

REFUSAL = (
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
