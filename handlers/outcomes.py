"""The help-desk webhook secret, from `/cx admin`: made (or rotated) and shown once."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.admin.store import REFUSAL
from bot.outcomes import views
from bot.outcomes.web import rotate_secret
from bot.runtime import Runtime
from bot.workspace.store import ensure_workspace
from handlers.admin import allowed, team_of


def handle_make_secret(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    """The admin modal's "webhook secret" button: make (or rotate) it and show it once."""
    ack()
    team_id, user_id = team_of(body, context), body["user"]["id"]
    if not allowed(runtime, client, team_id, user_id):
        client.views_push(trigger_id=body["trigger_id"], view=views.refusal_view(REFUSAL))
        return
    if not runtime.settings.cxpulse_secret:
        text = "CXPULSE_SECRET is not set, so no webhook secret can be made."
        client.views_push(trigger_id=body["trigger_id"], view=views.refusal_view(text))
        return
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=team_id)
        secret = rotate_secret(
            session,
            workspace_id=ws.id,
            key=runtime.settings.cxpulse_secret,
            user_id=user_id,
            now=runtime.now(),
        )
    view = views.secret_view(secret, slack_team_id=team_id)
    client.views_push(trigger_id=body["trigger_id"], view=view)
