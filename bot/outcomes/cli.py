"""`cxpulse import outcomes FILE`: customers' ratings from a help-desk export, with a
progress bar, a summary and the rejected lines on the terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.core.features import CliCommands
    from bot.outcomes.formats import ImportReport


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


# Below this a file imports in well under a second: no bar.
PROGRESS_FROM_BYTES = 1 << 20
SHOWN_PROBLEMS = 50


def run_import(
    session: Session, *, workspace_id: int, path: Path, fmt: str | None, dry_run: bool
) -> int:
    """Import, print the summary (stdout) and problems (stderr); 1 if rows were rejected."""
    # Imported here: the `cxpulse` parser imports this module for every command.
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from bot.outcomes.formats import FormatError, import_file

    if not path.is_file():
        print(f"cxpulse: no such file: {path}", file=sys.stderr)
        return 2
    size = path.stat().st_size
    now = datetime.now(UTC)
    console = Console(stderr=True)
    try:
        if size < PROGRESS_FROM_BYTES:
            report = import_file(
                session, workspace_id=workspace_id, path=path, fmt=fmt, dry_run=dry_run, now=now
            )
        else:
            columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
            with Progress(*columns, console=console, transient=True) as bar:
                task = bar.add_task("importing", total=size)
                report = import_file(
                    session,
                    workspace_id=workspace_id,
                    path=path,
                    fmt=fmt,
                    dry_run=dry_run,
                    now=now,
                    progress=lambda done: bar.update(task, completed=done),
                )
    except FormatError as exc:
        print(f"cxpulse: {path.name}: {exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"cxpulse: {path.name} is not UTF-8 text; export it as UTF-8 CSV", file=sys.stderr)
        return 2
    if not dry_run:
        session.commit()
    _print_report(report, dry_run=dry_run)
    return 1 if report.rejected else 0


def _print_report(report: ImportReport, *, dry_run: bool) -> None:
    for problem in report.rejected[:SHOWN_PROBLEMS]:
        print(f"line {problem.line}: {problem.reason}", file=sys.stderr)
    if len(report.rejected) > SHOWN_PROBLEMS:
        print(f"… and {len(report.rejected) - SHOWN_PROBLEMS} more rejected", file=sys.stderr)
    if report.unmatched_agents:
        agents = ", ".join(f"{a} ({n})" for a, n in report.unmatched_agents.most_common(10))
        print(f"agents not found in the workspace yet: {agents}", file=sys.stderr)
    prefix = "dry run, nothing stored: " if dry_run else ""
    print(prefix + report.summary())
