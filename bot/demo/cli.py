"""`cxpulse demo` (a run mode, like `start` and `serve`): its arguments and its start."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import Settings


def add_arguments(demo: argparse.ArgumentParser) -> None:
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


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot import runmodes
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
