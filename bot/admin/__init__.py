"""Workspace settings for admins: `/cx admin`, its modal, digest channels, the test pulse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Add `/cx admin` and the modal's listeners."""
    from bot.admin.store import REFUSAL
    from bot.core import ids
    from bot.core.gates import admins_only, ephemeral, modal_error, silently
    from handlers import admin

    parts.commands.add(
        "admin",
        admin.handle_admin_command,
        usage="admin",
        summary=N_("workspace settings (admins)"),
        order=90,
        gate=admins_only(ephemeral(REFUSAL)),
    )
    app = parts.app
    # A modal stays open with the refusal under one of its fields.
    settings_gate = admins_only(modal_error(ids.ADMIN_VALUES, REFUSAL))
    app.view(ids.ADMIN_VIEW, middleware=[settings_gate])(admin.handle_settings_submit)
    digest_gate = admins_only(modal_error(ids.DIGEST_CHANNEL, REFUSAL))
    app.view(ids.ADMIN_DIGEST_VIEW, middleware=[digest_gate])(admin.handle_digest_submit)
    buttons = [admins_only(silently)]
    app.action(ids.ADMIN_DIGEST_ADD, middleware=buttons)(admin.handle_digest_add)
    app.action(ids.ADMIN_DIGEST_REMOVE, middleware=buttons)(admin.handle_digest_remove)
