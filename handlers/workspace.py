"""Uninstalls: app_uninstalled and tokens_revoked stop every send to that workspace."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext

from bot.runtime import Runtime
from bot.workspace.store import mark_uninstalled

logger = logging.getLogger(__name__)


def forget_workspace(runtime: Runtime, context: BoltContext) -> None:
    """Delete the installation and deactivate (or delete) the workspace's data."""
    org_wide = bool(context.is_enterprise_install)
    enterprise_id, team_id = context.enterprise_id, context.team_id
    if runtime.installations is not None:
        runtime.installations.delete_all(
            enterprise_id=enterprise_id, team_id=None if org_wide else team_id
        )
    with runtime.transaction() as session:
        ids = mark_uninstalled(
            session,
            slack_team_id=team_id,
            enterprise_id=enterprise_id,
            org_wide=org_wide,
            delete_data=runtime.settings.delete_on_uninstall,
        )
    action = "deleted" if runtime.settings.delete_on_uninstall else "deactivated"
    logger.info("uninstalled from %s: %s %s", team_id or enterprise_id, action, ids)


def handle_app_uninstalled(context: BoltContext, runtime: Runtime) -> None:
    """app_uninstalled: stop everything for that workspace."""
    forget_workspace(runtime, context)


def handle_tokens_revoked(event: dict[str, Any], context: BoltContext, runtime: Runtime) -> None:
    """tokens_revoked: drop revoked user tokens; a revoked bot token is an uninstall."""
    tokens = event.get("tokens") or {}
    if runtime.installations is not None:
        for user_id in tokens.get("oauth") or []:
            runtime.installations.delete_installation(
                enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
            )
    if tokens.get("bot"):
        forget_workspace(runtime, context)
