"""The lead's App Home insights section: the 12-week chart, eNPS, the week's second questions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.core.disclosure import Audience
from bot.core.features import HomeRequest
from bot.home.delivery import lead_chart_ref
from bot.home.store import lead_questions, lead_team, scope_name
from bot.home.views import build_lead_insights_blocks
from bot.runtime import Runtime
from bot.workspace.config import effective_config
from bot.workspace.roles import is_lead
from bot.workspace.store import ensure_workspace, find_person

HOME_ORDER = 55  # right after the lead's weekly figures (50)


def lead_insights_section(
    session: Session, runtime: Runtime, request: HomeRequest
) -> list[dict[str, Any]]:
    """For leads only: their team's chart and question results (above the threshold)."""
    ws = ensure_workspace(session, slack_team_id=request.team_id)
    cfg = effective_config(session, settings=runtime.settings, workspace=ws)
    client = runtime.clients.for_team(request.team_id)
    if not cfg.leads or not is_lead(client, request.team_id, cfg.leads, request.user_id):
        return []
    now = runtime.now()
    team = lead_team(session, slack_team_id=request.team_id, slack_user_id=request.user_id)
    threshold = cfg.anonymity_threshold
    person = find_person(session, slack_team_id=request.team_id, slack_user_id=request.user_id)
    audience = Audience(threshold, viewer_in_group=person is not None)
    questions = lead_questions(session, workspace_id=ws.id, team=team, audience=audience, now=now)
    session.commit()
    chart = lead_chart_ref(
        runtime, client, workspace_id=ws.id, team=team, threshold=threshold, now=now
    )
    return build_lead_insights_blocks(
        scope=scope_name(team),
        chart=chart,
        questions=questions,
        threshold=audience.shown_threshold,
        besides_you=audience.viewer_in_group,
    )
