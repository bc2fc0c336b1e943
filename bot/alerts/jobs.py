"""`drop-alerts`: tell a team's lead when its closed-week mood drops sharply (one DM)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.alerts.store import (
    DropCheck,
    alert_audience,
    claim_alert,
    record_told,
    team_drops,
    team_members,
)
from bot.alerts.views import alert_text, build_alert_blocks
from bot.core.jobs import job
from bot.core.posting import Mark, post_once
from bot.runtime import Runtime
from bot.workspace.clients import for_each_workspace
from bot.workspace.config import effective_config
from bot.workspace.roles import resolve_leads
from bot.workspace.store import ensure_workspace, translator_for

logger = logging.getLogger(__name__)

ALERT_EVENT = "cxpulse_drop_alert"


def _tell(
    runtime: Runtime,
    client: WebClient,
    *,
    slack_team_id: str,
    leads: list[str],
    check: DropCheck,
    threshold: int,
) -> int:
    mark = Mark(ALERT_EVENT, {"team": check.team_id or 0, "week": check.week_start.isoformat()})
    told = 0
    for lead in leads:
        with runtime.sessions() as session:  # each lead reads it in their own language
            t = translator_for(session, slack_team_id=slack_team_id, slack_user_id=lead)
        try:
            post_once(
                client,
                channel=lead,
                mark=mark,
                text=alert_text(check, t),
                blocks=build_alert_blocks(check, threshold=threshold, t=t),
            )
            told += 1
        except Exception as exc:  # the alert stays claimed: one DM at most, the others go on
            logger.warning("drop alert DM to %s failed: %s", lead, type(exc).__name__)
    return told


def alert_workspace(
    runtime: Runtime, client: WebClient, *, slack_team_id: str, name: str, now: datetime
) -> dict[str, Any]:
    """Find this workspace's drops, claim one alert per team and tell its leads."""
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=slack_team_id, name=name)
        cfg = effective_config(session, settings=runtime.settings, workspace=ws)
        if not cfg.leads:
            return {"drops": 0, "alerted": 0}
        audience = alert_audience(cfg.anonymity_threshold)
        drops = team_drops(session, workspace_id=ws.id, audience=audience, now=now)
        members = team_members(
            session, workspace_id=ws.id, team_ids=[d.team_id for d in drops if d.team_id]
        )
    # Named leads only (as for celebration suggestions): "everyone" does not DM a whole team.
    leads = resolve_leads(client, slack_team_id, cfg.leads).members if drops else frozenset()
    alerted = 0
    for check in drops:
        recipients = [u for u in members.get(check.team_id or 0, []) if u in leads]
        if not recipients or check.team_id is None:
            continue
        with runtime.transaction() as session:
            claimed = claim_alert(
                session, workspace_id=ws.id, team_id=check.team_id, week=check.week_start, now=now
            )
        if not claimed:
            continue
        told = _tell(
            runtime,
            client,
            slack_team_id=slack_team_id,
            leads=recipients,
            check=check,
            threshold=cfg.anonymity_threshold,
        )
        with runtime.transaction() as session:
            record_told(
                session,
                workspace_id=ws.id,
                team_id=check.team_id,
                week=check.week_start,
                leads_told=told,
            )
        alerted += 1
    return {"drops": len(drops), "alerted": alerted}


@job(
    "drop-alerts",
    summary="DM a team's lead when its closed-week mood drops sharply",
    trigger=("cron", {"minute": 47}),
)
def drop_alerts(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Every workspace's drop alerts for its latest closed week."""

    def one(team_id: str, team_name: str, client: WebClient) -> dict[str, Any]:
        return alert_workspace(runtime, client, slack_team_id=team_id, name=team_name, now=now)

    return for_each_workspace(runtime, "drop-alerts", one)
