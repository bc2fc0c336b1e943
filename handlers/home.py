"""App Home (published on app_home_opened, built from the sections features add), the lead's
insights section, and the app's answer to a direct message."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core.context import RequestContext, leads_section
from bot.core.disclosure import Audience
from bot.core.features import HomeRequest, HomeSections
from bot.core.help import DM_HELP_TEXT
from bot.core.posting import Mark, post_once
from bot.home.delivery import lead_chart_ref, refresh_home
from bot.home.store import lead_questions, lead_team, scope_name
from bot.home.views import build_lead_insights_blocks

logger = logging.getLogger(__name__)

LEAD_INSIGHTS_ORDER = 55  # right after the lead's weekly figures (50)
# The Events API subscriptions (app.yaml) behind the "message" listener below.
MESSAGE_EVENTS = ("message.im",)
DM_HELP_EVENT = "cxpulse_dm_help"


def handle_home_opened(
    event: dict[str, Any], cx: RequestContext, client: WebClient, home: HomeSections
) -> None:
    """app_home_opened: publish this person's Home (off the request thread)."""
    if event.get("tab", "home") != "home":
        return
    request = HomeRequest(team_id=cx.team_id, user_id=cx.user_id)
    refresh_home(client, cx.runtime, home, request)


def handle_refresh(ack: Ack, cx: RequestContext, client: WebClient, home: HomeSections) -> None:
    """The Home's "Try again" button."""
    ack()
    refresh_home(client, cx.runtime, home, HomeRequest(team_id=cx.team_id, user_id=cx.user_id))


@leads_section
def lead_insights_section(session: Session, cx: RequestContext) -> list[dict[str, Any]]:
    """For leads only: their team's chart and question results (above the threshold), in the
    lead's language."""
    runtime = cx.runtime
    now, workspace_id = runtime.now(), cx.workspace(session).id
    team = lead_team(session, slack_team_id=cx.team_id, slack_user_id=cx.user_id)
    threshold = cx.config.anonymity_threshold
    audience = Audience(threshold, viewer_in_group=cx.person is not None)
    questions = lead_questions(
        session, workspace_id=workspace_id, team=team, audience=audience, now=now
    )
    session.commit()
    t = cx.translator
    chart = lead_chart_ref(
        runtime,
        cx.client,
        workspace_id=workspace_id,
        team=team,
        threshold=threshold,
        now=now,
        t=t,
    )
    return build_lead_insights_blocks(
        scope=scope_name(team),
        chart=chart,
        questions=questions,
        threshold=audience.shown_threshold,
        besides_you=audience.viewer_in_group,
        t=t,
    )


def from_a_person_in_a_dm(event: dict[str, Any]) -> bool:
    """A new message a person wrote in the bot's DM (not the bot's own, not an edit)."""
    return (
        event.get("channel_type") == "im"
        and not event.get("bot_id")
        and not event.get("subtype")
        and bool(event.get("user"))
    )


def handle_direct_message(event: dict[str, Any], client: WebClient, cx: RequestContext) -> None:
    """Answer once with the short help (a retried event or a lost answer never doubles it).

    The text people write here is neither stored nor logged: the app works through `/cx`,
    the pulse buttons and App Home.
    """
    post_once(
        client,
        channel=str(event["channel"]),
        mark=Mark(DM_HELP_EVENT, {"ts": str(event.get("ts") or "")}),
        text=cx.translator.gettext(DM_HELP_TEXT),
    )
    logger.info("answered a direct message with the help")
