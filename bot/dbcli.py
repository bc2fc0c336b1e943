"""`cxpulse db upgrade`, `cxpulse backup FILE` and `cxpulse restore FILE`: the database's care."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings

# SQLAlchemy is imported inside the commands: `cxpulse --help` should not wait for it.

COMMANDS = ("backup", "restore")


def add_commands(sub: Any) -> None:
    """Add `backup` and `restore` to the `cxpulse` subcommands ``sub``."""
    backup = sub.add_parser(
        "backup", help="copy the SQLite database to FILE, safely while the app runs"
    )
    backup.add_argument("file", type=Path, help="the new backup file")
    restore = sub.add_parser("restore", help="replace the SQLite database with a backup FILE")
    restore.add_argument("file", type=Path, help="a file made by `cxpulse backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )


def redacted(url: str) -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _error(message: str) -> int:
    print(f"cxpulse: {message}", file=sys.stderr)
    return 2


def upgrade_command(settings: Settings) -> int:
    """`cxpulse db upgrade`: migrate under the lock; say from which revision to which."""
    from sqlalchemy.exc import DBAPIError

    from models.db import upgrade

    try:
        result = upgrade(settings.database_url)
    except DBAPIError as exc:
        return _error(
            f"cannot reach the database at {redacted(settings.database_url)} "
            f"({type(exc.orig).__name__}: {str(exc.orig).strip().splitlines()[0]})"
        )
    except OSError as exc:  # the SQLite file's folder is missing or not writable
        return _error(
            f"cannot reach the database at {redacted(settings.database_url)} ({exc.strerror}: "
            f"{exc.filename})"
        )
    where = redacted(settings.database_url)
    if result.migrated:
        print(f"database at {where} migrated from {result.before or 'empty'} to {result.after}")
    else:
        print(f"database at {where} is up to date ({result.after})")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run `backup` or `restore`."""
    from sqlalchemy.engine import make_url

    from models.backup import (
        BackupError,
        backup_sqlite,
        postgres_commands,
        restore_sqlite,
        sqlite_path,
    )

    url = settings.database_url
    if sqlite_path(url) is None:
        if make_url(url).get_backend_name() != "postgresql":
            return _error(f"{args.command} works on a SQLite file or PostgreSQL, not {url!r}")
        dump, restore = postgres_commands(url, args.file)
        return _error(
            f"{redacted(url)} is PostgreSQL: use its own tools (password from PGPASSWORD "
            f"or ~/.pgpass):\n  backup:  {dump}\n  restore: {restore}\n"
            "See docs/operations/backup.md."
        )
    try:
        if args.command == "backup":
            info = backup_sqlite(url, args.file)
            print(
                f"backed up {redacted(url)} to {args.file} "
                f"(schema {info.revision}, {info.workspaces} workspace(s), {info.people} people)"
            )
            return 0
        info = restore_sqlite(args.file, url, force=args.force)
    except BackupError as exc:
        return _error(str(exc))
    print(
        f"restored {args.file} into {redacted(url)} (schema {info.revision}); "
        "`cxpulse db upgrade` or the next start brings it to this version's schema"
    )
    return 0
