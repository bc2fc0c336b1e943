"""The lead's App Home insights section: the 12-week chart, eNPS, the week's second questions."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlalchemy.orm import Session

from bot.home.chart_delivery import lead_chart_ref
from bot.home.insights_views import build_lead_insights_blocks
from bot.home.lead_chart import lead_team
from bot.insights.questions import ENPS, last_closed_month, last_closed_week, question_results
from bot.runtime import Runtime
from bot.workspace.config import effective_config
from bot.workspace.people import ensure_workspace
from bot.workspace.roles import is_member
from handlers.home import HomeRequest, add_home_section
from handlers.router import CommandRouter

HOME_ORDER = 55  # right after the lead's weekly figures (50)


def lead_insights_section(
    session: Session, runtime: Runtime, request: HomeRequest
) -> list[dict[str, Any]]:
    """For leads only: their team's chart and question results (above the threshold)."""
    ws = ensure_workspace(session, slack_team_id=request.team_id)
    cfg = effective_config(session, settings=runtime.settings, workspace=ws)
    client = runtime.clients.for_team(request.team_id)
    if not cfg.leads or not is_member(client, request.team_id, cfg.leads, request.user_id):
        return []
    now = runtime.now()
    team = lead_team(session, slack_team_id=request.team_id, slack_user_id=request.user_id)
    scope = {"team_id": team.id} if team else {"whole_workspace_only": True}
    common = {"workspace_id": ws.id, "threshold": cfg.anonymity_threshold, "now": now}
    monthly = question_results(session, period="month", keys=(ENPS,), **common, **scope)
    weekly = question_results(session, period="week", **common, **scope)
    session.commit()
    chart = lead_chart_ref(
        runtime, client, workspace_id=ws.id, team=team, threshold=cfg.anonymity_threshold, now=now
    )
    return build_lead_insights_blocks(
        scope=team.name if team else "Everyone",
        chart=chart,
        enps=monthly[0] if monthly else None,
        month=last_closed_month(now),
        weekly=weekly,
        week=last_closed_week(now),
        threshold=cfg.anonymity_threshold,
    )


def register(app: App, *, runtime: Runtime, router: CommandRouter) -> None:
    """Add the lead's insights to App Home."""
    add_home_section(HOME_ORDER, lead_insights_section)
