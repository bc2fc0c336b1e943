"""Publishing App Home: the sections features add, built for one viewer."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

from bot.core.context import threshold_for
from bot.core.features import HomeRequest, HomeSections
from bot.core.i18n import ENGLISH
from bot.home.views import build_home_unavailable_view, build_home_view
from bot.runtime import Runtime
from bot.workspace.people import translator_for

logger = logging.getLogger(__name__)


def publish_home(
    client: WebClient, runtime: Runtime, sections: HomeSections, request: HomeRequest
) -> None:
    """Build and publish ``request.user_id``'s App Home (a polite note if it cannot be built)."""
    t = ENGLISH  # until the person's language is read (the apology needs one too)
    try:
        blocks: list[dict[str, Any]] = []
        with runtime.sessions() as session:
            t = translator_for(
                session, slack_team_id=request.team_id, slack_user_id=request.user_id
            )
            for section in sections:
                blocks.extend(section(session, runtime, request))
            threshold = threshold_for(session, runtime, request.team_id)
        view = build_home_view(blocks, threshold=threshold, t=t)
    except Exception:
        logger.exception("App Home for %s could not be built", request.user_id)
        view = build_home_unavailable_view(t)
    client.views_publish(user_id=request.user_id, view=view)


def refresh_home(
    client: WebClient, runtime: Runtime, sections: HomeSections, request: HomeRequest
) -> None:
    """Re-publish the Home soon, off the request thread; repeated asks for one person merge."""
    runtime.background.submit(
        ("home", request.team_id, request.user_id),
        lambda: publish_home(client, runtime, sections, request),
    )
