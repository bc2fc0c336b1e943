"""A workspace and its people: installs, user sync, roles, retention, erasure."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Uninstall events, the sync and purge jobs, `cxpulse person|workspace`."""
    from bot.workspace import cli, jobs
    from handlers import workspace

    parts.app.event("app_uninstalled")(workspace.handle_app_uninstalled)
    parts.app.event("tokens_revoked")(workspace.handle_tokens_revoked)
    parts.jobs.add(jobs.sync_users)
    parts.jobs.add(jobs.purge)
    cli.register(parts.cli)
