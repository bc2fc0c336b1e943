"""`purge`: daily retention purge of pulse answers, notes and extra answers, per workspace."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.jobs import job
from bot.runtime import Runtime
from bot.services.retention import purge_before, retention_cutoff
from bot.services.rollup import refresh_rollup
from bot.services.workspace_config import effective_config
from models import Workspace


@job(
    "purge",
    summary="delete answers and notes past retention",
    trigger=("cron", {"hour": 3, "minute": 17}),
)
def purge(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Purge every workspace in the database (no Slack calls: uninstalled ones too)."""
    report: dict[str, Any] = {}
    with runtime.transaction() as session:
        for ws in session.scalars(select(Workspace).order_by(Workspace.id)):
            config = effective_config(session, settings=runtime.settings, workspace=ws)
            cutoff = retention_cutoff(now.date(), config.retention_days)
            result = purge_before(session, workspace=ws, cutoff=cutoff)
            rolled = refresh_rollup(session, workspace_id=ws.id, now=now)
            report[ws.slack_team_id] = {
                "before": cutoff.isoformat(),
                **result.__dict__,
                "weeks_rolled_up": len(rolled),
            }
    return report
