"""The customer's own telling of a moment: one-time links, the web page, and where it shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """The "Ask the customer" / "Revoke link" buttons and the `/story/<token>` page."""
    from bot.core import ids
    from bot.stories import web
    from handlers import stories

    parts.app.action(ids.STORY_ASK)(stories.handle_ask)
    parts.app.action(ids.STORY_REVOKE)(stories.handle_revoke)
    parts.routes.add(web.STORY_PREFIX, web.story_pages_for, methods=("GET", "HEAD", "POST"))
