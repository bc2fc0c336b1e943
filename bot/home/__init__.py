"""App Home (everyone's, and the lead's insights) and the app's DM help."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Publish App Home when opened; the lead's insights section; DM help."""
    from bot.core.ids import HOME_REFRESH
    from handlers import home

    parts.app.event("app_home_opened")(home.handle_home_opened)
    parts.app.action(HOME_REFRESH)(home.handle_refresh)
    parts.home.add(home.LEAD_INSIGHTS_ORDER, home.lead_insights_section)
    parts.app.event("message", matchers=[home.from_a_person_in_a_dm])(home.handle_direct_message)
