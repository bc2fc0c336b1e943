"""`cxpulse export` and `cxpulse flowon`: reports for analysts, read from the database or a file."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from bot.core.features import CliCommands

# No per-person pulse answers are exportable, ever.
EXPORT_KINDS = ("team-weeks", "moments", "celebrations", "questions", "outcomes")


def register(cli: CliCommands) -> None:
    """Add `export` and `flowon` to the `cxpulse` commands."""
    cli.add(
        "export",
        _run,
        help="export for analysts (offline: reads DATABASE_URL)",
        configure=_export_args,
    )
    cli.add(
        "flowon",
        _run,
        help="the flow-on finding (offline: reads DATABASE_URL)",
        configure=_flowon_args,
    )


def _export_args(export: argparse.ArgumentParser) -> None:
    export.add_argument("kind", choices=EXPORT_KINDS, help="what to export")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--workspace", help="Slack team id (when the database holds several)")


def _flowon_args(flowon: argparse.ArgumentParser) -> None:
    flowon.add_argument("--format", choices=("text", "json"), default="text")
    flowon.add_argument(
        "--input",
        type=Path,
        metavar="FILE.csv",
        help="team-weeks in the `export team-weeks` columns instead of the database",
    )
    flowon.add_argument("--workspace", help="Slack team id (when the database holds several)")


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "flowon" and args.input is not None:
        return _flowon_file(args, settings)
    if args.command == "flowon" or args.kind in ("team-weeks", "questions"):
        return _report(args, settings)
    return _export(args, settings)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.spreadsheet import render
    from bot.insights.export import EXPORTS
    from models.db import make_engine, make_sessionmaker

    rows_of, columns = EXPORTS[args.kind]
    engine = make_engine(settings.database_url, pooled=False)
    try:
        with make_sessionmaker(engine)() as session:
            rows = rows_of(session, slack_team_id=args.workspace)
    finally:
        engine.dispose()
    sys.stdout.write(render(rows, columns, args.format))
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    """`export team-weeks` and `flowon`: read the database, print, touch nothing."""
    from sqlalchemy.exc import DBAPIError

    from bot.insights.export import format_questions, load_question_results
    from bot.insights.reports import (
        ExportError,
        flowon_finding,
        format_flowon,
        format_team_weeks,
        load_team_weeks,
    )
    from models.db import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url, pooled=False)
    try:
        with make_sessionmaker(engine)() as session:
            if args.command == "flowon":
                finding = flowon_finding(session, settings, args.workspace, now=datetime.now(UTC))
                out = format_flowon(finding, args.format)
            elif args.kind == "questions":
                found = load_question_results(
                    session, settings, args.workspace, now=datetime.now(UTC)
                )
                out = format_questions(found, args.format)
            else:
                now = datetime.now(UTC)
                rows, _ = load_team_weeks(session, settings, args.workspace, now=now)
                out = format_team_weeks(rows, args.format)
    except ExportError as exc:
        print(f"cxpulse: {exc}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        print(
            f"cxpulse: cannot read {_redacted(settings.database_url)} "
            f"({type(exc.orig).__name__}); is it set up? Run `cxpulse db upgrade`.",
            file=sys.stderr,
        )
        return 2
    finally:
        engine.dispose()
    sys.stdout.write(out)
    return 0


def _flowon_file(args: argparse.Namespace, settings: Settings) -> int:
    """`flowon --input FILE.csv`: the finding from a file; no database, nothing written."""
    from bot.insights.flowon import analyse
    from bot.insights.flowon_input import InputError, read_team_weeks
    from bot.insights.reports import format_flowon

    try:
        rows = read_team_weeks(args.input)
    except InputError as exc:
        print(f"cxpulse: {exc}", file=sys.stderr)
        return 2
    finding = analyse(rows, min_team_weeks=settings.min_team_weeks)
    sys.stdout.write(format_flowon(finding, args.format))
    return 0


def _redacted(url: str) -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
