"""Customer outcomes from the customers themselves: help-desk imports and the signed webhook."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """The admin modal's "webhook secret" button, `POST /outcomes`, `cxpulse import`."""
    from bot.admin.store import REFUSAL
    from bot.core import ids
    from bot.core.gates import admins_only, push_view
    from bot.outcomes import cli, views, web
    from handlers import outcomes

    refused = admins_only(push_view(partial(views.refusal_view, REFUSAL)))
    parts.app.action(ids.ADMIN_OUTCOMES_SECRET, middleware=[refused])(outcomes.handle_make_secret)
    parts.routes.add(web.OUTCOMES_PATH, web.OutcomesEndpoint, methods=("POST",))
    cli.register(parts.cli)
