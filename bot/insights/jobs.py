"""`rollup`: roll up the pulse answers and sends of every closed week, per workspace."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.core.jobs import job
from bot.insights.rollup import refresh_rollup
from bot.runtime import Runtime
from bot.workspace.clients import for_each_stored_workspace
from models import Workspace


@job("rollup", summary="roll up closed pulse weeks", trigger=("cron", {"minute": 41}))
def rollup(runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Fill the team-week rollup of every workspace's closed weeks (no Slack calls)."""

    def one(session: Session, ws: Workspace) -> dict[str, Any]:
        weeks = refresh_rollup(session, workspace_id=ws.id, now=now)
        return {"weeks_rolled_up": [w.isoformat() for w in weeks]}

    return for_each_stored_workspace(runtime, "rollup", one)
