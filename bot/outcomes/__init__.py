"""Customer outcomes from the customers themselves: help-desk imports and the signed webhook."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """The admin modal's "webhook secret" button, `POST /outcomes`, `cxpulse import`."""
    from bot.core import ids
    from bot.outcomes import cli, web
    from handlers import outcomes

    parts.app.action(ids.ADMIN_OUTCOMES_SECRET)(outcomes.handle_make_secret)
    parts.routes.add(web.OUTCOMES_PATH, web.OutcomesEndpoint, methods=("POST",))
    cli.register(parts.cli)
