"""`cxpulse import outcomes FILE`: customers' ratings from a help-desk export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from bot.core.features import CliCommands


def register(cli: CliCommands) -> None:
    """Add `import outcomes` to the `cxpulse` commands."""
    cli.add(
        "import",
        _import_outcomes,
        help="import data (offline: writes DATABASE_URL)",
        configure=_args,
    )


def _args(imports: argparse.ArgumentParser) -> None:
    import_sub = imports.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    outcomes = import_sub.add_parser(
        "outcomes", help="customer ratings from a help-desk export (CSAT, NPS, thumbs)"
    )
    outcomes.add_argument("file", type=Path, help="the export (CSV)")
    outcomes.add_argument(
        "--format",
        choices=("zendesk", "freshdesk", "intercom", "csv"),
        help="the export's format (default: recognised from its columns)",
    )
    outcomes.add_argument("--workspace", help="Slack team id (when the database holds several)")
    outcomes.add_argument("--dry-run", action="store_true", help="check and count; store nothing")


def _import_outcomes(args: argparse.Namespace, settings: Settings) -> int:
    from bot.insights.reports import ExportError, pick_workspace
    from bot.outcomes.command import run_import
    from models.db import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url, pooled=False)
    try:
        with make_sessionmaker(engine)() as session:
            try:
                ws = pick_workspace(session, args.workspace)
            except ExportError as exc:
                print(f"cxpulse: {exc}", file=sys.stderr)
                return 2
            if ws is None:
                print(
                    "cxpulse: no workspace in this database yet; run `cxpulse run-job "
                    "sync-users` first so agents can be matched",
                    file=sys.stderr,
                )
                return 2
            return run_import(
                session, workspace_id=ws.id, path=args.file, fmt=args.format, dry_run=args.dry_run
            )
    finally:
        engine.dispose()
