"""Drop alerts: a team's lead is told when the team's mood falls sharply."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Add the drop-alert job."""
    from bot.alerts import jobs

    parts.jobs.add(jobs.drop_alerts)
