"""The terminal side of `cxpulse import outcomes`: progress bar, summary, rejected lines."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from sqlalchemy.orm import Session

from bot.outcomes.formats import FormatError
from bot.outcomes.importer import ImportReport, import_file

# Below this a file imports in well under a second: no bar.
PROGRESS_FROM_BYTES = 1 << 20
SHOWN_PROBLEMS = 50


def run_import(
    session: Session, *, workspace_id: int, path: Path, fmt: str | None, dry_run: bool
) -> int:
    """Import, print the summary (stdout) and problems (stderr); 1 if rows were rejected."""
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
