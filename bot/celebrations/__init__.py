"""Celebrating wins: `/cx celebrate @people …`, suggestions, and the post to a channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Wire `/cx celebrate`, the celebrate modal and the buttons."""
    from bot.core import ids
    from bot.core.gates import celebrants_only
    from handlers import celebrations

    parts.commands.add(
        "celebrate",
        celebrations.handle_celebrate_command,
        usage=N_("celebrate @people for … #value"),
        summary=N_("celebrate a win in the celebrations channel (leads; others can suggest one)"),
        order=30,
    )
    parts.app.action(ids.CELEBRATE_SUGGEST)(celebrations.handle_suggest)
    refusal = celebrations.refuse_suggestion
    parts.app.action(ids.CELEBRATE_SUGGESTED, middleware=[celebrants_only(refusal)])(
        celebrations.handle_suggestion_celebrate
    )
    parts.app.action(ids.CELEBRATE_MOMENT)(celebrations.handle_moment_celebrate)
    parts.app.view(ids.CELEBRATE_MODAL)(celebrations.handle_submit)
