"""What the answers show: team-weeks, the flow-on finding, exports for analysts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Add the weekly rollup job and the `export` and `flowon` commands."""
    from bot.insights import cli, jobs

    parts.jobs.add(jobs.rollup)
    cli.register(parts.cli)
