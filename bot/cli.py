"""The `cxpulse` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot import dbcli
from bot.config import ConfigError, RunMode, Settings
from bot.logsafety import guard
from bot.ops.logs import use_log_format
from bot.workspace import cli as workspace_cli

# No per-person pulse answers are exportable, ever.
EXPORT_KINDS = ("team-weeks", "moments", "celebrations", "questions", "outcomes")


def _parse_instant(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not an ISO-8601 instant (e.g. 2026-03-09T09:00:00+00:00)"
        ) from None
    # A bare local time is ambiguous; treat it as UTC and say so in the help.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cxpulse")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="cxpulse", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"cxpulse {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    start = sub.add_parser("start", help="run in Socket Mode (no public URL needed)")
    start.add_argument("--host", default="0.0.0.0", help="where the probes listen")  # noqa: S104
    start.add_argument(
        "--port", type=int, help="port of /healthz, /readyz, /metrics (default: $PORT or 3000)"
    )
    sub.add_parser("secret", help="print a new 256-bit secret for CXPULSE_SECRET")
    serve = sub.add_parser("serve", help="serve HTTP: POST /slack/events, GET /healthz…")
    serve.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server is meant to listen
    serve.add_argument("--port", type=int, help="default: $PORT, or 3000")
    serve.add_argument("--no-scheduler", action="store_true", help="serve only; run no jobs")

    demo = sub.add_parser("demo", help="the whole product against the local Slack emulator")
    demo.add_argument("--people", type=int, default=50, help="simulated staff (default 50)")
    demo.add_argument("--teams", type=int, default=5, help="teams (default 5)")
    demo.add_argument("--weeks", type=int, default=12, help="weeks to simulate (default 12)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument("--out", type=Path, default=Path("demo-out"), help="output folder")
    demo.add_argument("--database-url", help="database (default: a SQLite file in --out)")
    demo.add_argument(
        "--socket-mode",
        action="store_true",
        help="reach the app over Socket Mode (as `cxpulse start`) instead of HTTP",
    )

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="{upgrade,rotate-tokens}")
    db_sub.add_parser("upgrade", help="apply migrations")
    db_sub.add_parser(
        "rotate-tokens", help="re-encrypt stored Slack tokens with the first CXPULSE_TOKEN_KEY"
    )

    dbcli.add_commands(sub)
    workspace_cli.add_commands(sub)

    run_job = sub.add_parser("run-job", help="run one scheduled job once")
    run_job.add_argument("name", help="job name, e.g. sync-users")
    run_job.add_argument(
        "--at", type=_parse_instant, help="run as if at this ISO-8601 instant (UTC if no offset)"
    )

    export = sub.add_parser("export", help="export for analysts (offline: reads DATABASE_URL)")
    export.add_argument("kind", choices=EXPORT_KINDS, help="what to export")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--workspace", help="Slack team id (when the database holds several)")

    imports = sub.add_parser("import", help="import data (offline: writes DATABASE_URL)")
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

    flowon = sub.add_parser("flowon", help="the flow-on finding (offline: reads DATABASE_URL)")
    flowon.add_argument("--format", choices=("text", "json"), default="text")
    flowon.add_argument(
        "--input",
        type=Path,
        metavar="FILE.csv",
        help="team-weeks in the `export team-weeks` columns instead of the database",
    )
    flowon.add_argument("--workspace", help="Slack team id (when the database holds several)")
    return parser


def configure_logging(level: int, stream: TextIO | None = None) -> logging.Handler:
    """Log to ``stream`` (stderr) at ``level``; returns the handler added to the root logger."""
    handler = guard(logging.StreamHandler(stream))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    # Migration chatter hides what the user asked for; warnings still show.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `cxpulse` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "secret":
        from bot.keystrength import new_secret

        print(new_secret())
        return 0
    handler = configure_logging(
        # The demo talks through its own console; only problems should interrupt it.
        logging.DEBUG
        if args.verbose
        else (logging.WARNING if args.command == "demo" else logging.INFO)
    )
    try:
        settings = Settings.from_env()
        use_log_format(handler, settings.log_format)
        return _dispatch(args, settings)
    except ConfigError as exc:
        print(f"cxpulse: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _rotate_tokens(settings: Settings) -> int:
    from bot.workspace.tokens import TokenCipher, parse_keys, rotate_stored_tokens
    from models.db import make_engine

    if not settings.cxpulse_token_key:
        print("cxpulse: set CXPULSE_TOKEN_KEY (new key first, then the old ones)", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url, pooled=False)
    try:
        changed = rotate_stored_tokens(engine, TokenCipher(parse_keys(settings.cxpulse_token_key)))
    finally:
        engine.dispose()
    print(f"re-encrypted {changed} stored token(s) with the first key; the others can go")
    return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot import runmodes

    if args.command == "db" and args.db_command == "rotate-tokens":
        return _rotate_tokens(settings)
    if args.command == "db":
        return dbcli.upgrade_command(settings)
    if args.command in dbcli.COMMANDS:
        return dbcli.run(args, settings)
    if args.command in workspace_cli.COMMANDS:
        return workspace_cli.run(args, settings)
    if args.command == "run-job":
        settings.require(RunMode.JOB)
        from bot.app import build_runtime
        from bot.jobs import all_jobs, run_job

        if args.name not in all_jobs():
            known = ", ".join(sorted(all_jobs()))
            print(f"cxpulse: unknown job {args.name!r}; known jobs: {known}", file=sys.stderr)
            return 2
        result = run_job(args.name, build_runtime(settings), args.at)
        print(json.dumps({"job": args.name, "result": result}, default=str))
        return 0
    if args.command == "flowon" and args.input is not None:
        return _flowon_file(args, settings)
    if args.command == "flowon" or (
        args.command == "export" and args.kind in ("team-weeks", "questions")
    ):
        return _report(args, settings)
    if args.command == "export":
        return _export(args, settings)
    if args.command == "import":
        return _import_outcomes(args, settings)
    if args.command in ("serve", "start"):
        port = settings.port if args.port is None else args.port
        if args.command == "start":
            return runmodes.socket_mode(settings, args.host, port)
        return runmodes.serve(settings, args.host, port, scheduler=not args.no_scheduler)
    if args.command == "demo":
        from bot.demo.run import DemoOptions

        options = DemoOptions(
            people=args.people,
            teams=args.teams,
            weeks=args.weeks,
            seed=args.seed,
            out=args.out,
            database_url=args.database_url,
            socket_mode=args.socket_mode,
        )
        return runmodes.demo(settings, options)
    raise AssertionError(args.command)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.insights.export import EXPORTS, render
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


def _report(args: argparse.Namespace, settings: Settings) -> int:
    """`export team-weeks` and `flowon`: read the database, print, touch nothing."""
    from sqlalchemy.exc import DBAPIError

    from bot.insights.question_export import format_questions, load_question_results
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


if __name__ == "__main__":
    raise SystemExit(main())
