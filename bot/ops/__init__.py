"""Running CX Pulse in production: probes, metrics, JSON logs, graceful stop, the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Serve /healthz, /readyz and /metrics; add the operators' commands."""
    from bot.ops import cli, health

    for path in sorted(health.OPS_PATHS):
        parts.routes.add(path, health.ops_for, methods=("GET", "HEAD"))
    cli.register(parts.cli)
