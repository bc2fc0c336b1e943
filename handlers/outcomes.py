"""The help-desk webhook secret, from `/cx admin`: made (or rotated) and shown once."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.core.context import RequestContext
from bot.outcomes import views
from bot.outcomes.web import rotate_secret


def handle_make_secret(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """The admin modal's "webhook secret" button (admins only): make (or rotate) it and show
    it once."""
    ack()
    key = cx.runtime.settings.cxpulse_secret
    if not key:
        view = views.refusal_view(views.NO_KEY, cx.translator)
        client.views_push(trigger_id=body["trigger_id"], view=view)
        return
    with cx.runtime.transaction() as session:
        secret = rotate_secret(
            session,
            workspace_id=cx.workspace(session).id,
            key=key,
            user_id=cx.user_id,
            now=cx.runtime.now(),
        )
    view = views.secret_view(secret, slack_team_id=cx.team_id, t=cx.translator)
    client.views_push(trigger_id=body["trigger_id"], view=view)
