"""What every request needs to know, looked up in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.disclosure import effective_threshold
from bot.workspace.config import effective_config
from models import Workspace

if TYPE_CHECKING:
    from bot.runtime import Runtime


def threshold_for(session: Session, runtime: Runtime, team_id: str) -> int:
    """The anonymity threshold in force in a workspace (what every promise must say)."""
    ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
    config = effective_config(session, settings=runtime.settings, workspace=ws)
    return effective_threshold(config.anonymity_threshold)
