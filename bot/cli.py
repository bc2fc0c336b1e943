"""The `cxpulse` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TextIO

from bot.config import ConfigError, RunMode, Settings
from bot.core.logsafety import guard
from bot.demo import cli as demo_cli
from bot.ops.logs import use_log_format


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
    """The argument parser: the run modes, `run-job`, and every feature's commands."""
    from bot.app import offline_parts

    parser = argparse.ArgumentParser(prog="cxpulse", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"cxpulse {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    start = sub.add_parser("start", help="run in Socket Mode (no public URL needed)")
    start.add_argument("--host", default="0.0.0.0", help="where the probes listen")  # noqa: S104
    start.add_argument(
        "--port", type=int, help="port of /healthz, /readyz, /metrics (default: $PORT or 3000)"
    )
    serve = sub.add_parser("serve", help="serve HTTP: POST /slack/events, GET /healthz…")
    serve.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server is meant to listen
    serve.add_argument("--port", type=int, help="default: $PORT, or 3000")
    serve.add_argument("--no-scheduler", action="store_true", help="serve only; run no jobs")
    run_job = sub.add_parser("run-job", help="run one scheduled job once")
    run_job.add_argument("name", help="job name, e.g. sync-users")
    run_job.add_argument(
        "--at", type=_parse_instant, help="run as if at this ISO-8601 instant (UTC if no offset)"
    )
    demo_cli.add_arguments(
        sub.add_parser("demo", help="the whole product against the local Slack emulator")
    )
    for command in offline_parts().cli.commands.values():
        command.configure(sub.add_parser(command.name, help=command.help))
        sub.choices[command.name].set_defaults(_run=command.run, _offline=command.offline)
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
    if getattr(args, "_offline", False):
        return int(args._run(args, None))
    handler = configure_logging(
        # The demo talks through its own console; only problems should interrupt it.
        logging.DEBUG
        if args.verbose
        else (logging.WARNING if args.command == "demo" else logging.INFO)
    )
    try:
        settings = Settings.from_env()
        use_log_format(handler, settings.log_format)
        if hasattr(args, "_run"):
            return int(args._run(args, settings))
        return _run_mode(args, settings)
    except ConfigError as exc:
        print(f"cxpulse: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run_mode(args: argparse.Namespace, settings: Settings) -> int:
    """`start`, `serve`, `demo` and `run-job`: the app itself."""
    from bot import runmodes

    if args.command == "run-job":
        settings.require(RunMode.JOB)
        from bot.app import all_jobs, build_runtime, run_job

        if args.name not in all_jobs():
            known = ", ".join(sorted(all_jobs()))
            print(f"cxpulse: unknown job {args.name!r}; known jobs: {known}", file=sys.stderr)
            return 2
        result = run_job(args.name, build_runtime(settings), args.at)
        print(json.dumps({"job": args.name, "result": result}, default=str))
        return 0
    if args.command == "demo":
        return demo_cli.run(args, settings)
    port = settings.port if args.port is None else args.port
    if args.command == "start":
        return runmodes.socket_mode(settings, args.host, port)
    return runmodes.serve(settings, args.host, port, scheduler=not args.no_scheduler)


if __name__ == "__main__":
    raise SystemExit(main())
