"""Workspace settings for admins: `/cx admin`, its modal, digest channels, the test pulse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Add `/cx admin` and the modal's listeners."""
    from bot.core import ids
    from handlers import admin

    parts.commands.add(
        "admin",
        admin.handle_admin_command,
        usage="admin",
        summary=N_("workspace settings (admins)"),
        order=90,
    )
    parts.app.view(ids.ADMIN_VIEW)(admin.handle_settings_submit)
    parts.app.action(ids.ADMIN_DIGEST_ADD)(admin.handle_digest_add)
    parts.app.view(ids.ADMIN_DIGEST_VIEW)(admin.handle_digest_submit)
    parts.app.action(ids.ADMIN_DIGEST_REMOVE)(admin.handle_digest_remove)
