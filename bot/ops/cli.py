"""`cxpulse db`, `backup FILE`, `restore FILE`, `secret`: the operator's commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings

# SQLAlchemy is imported inside the commands: `cxpulse --help` should not wait for it.

if TYPE_CHECKING:
    from bot.core.features import CliCommands


def register(cli: CliCommands) -> None:
    """Add `db`, `backup`, `restore` and `secret` to the `cxpulse` commands."""
    cli.add("secret", _secret, help="print a new 256-bit secret for CXPULSE_SECRET", offline=True)
    cli.add("db", _db, help="database maintenance", configure=_db_args)
    cli.add(
        "backup",
        run,
        help="copy the SQLite database to FILE, safely while the app runs",
        configure=_backup_args,
    )
    cli.add(
        "restore",
        run,
        help="replace the SQLite database with a backup FILE",
        configure=_restore_args,
    )


def _db_args(db: argparse.ArgumentParser) -> None:
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="{upgrade,rotate-tokens}")
    db_sub.add_parser("upgrade", help="apply migrations")
    db_sub.add_parser(
        "rotate-tokens", help="re-encrypt stored Slack tokens with the first CXPULSE_TOKEN_KEY"
    )


def _backup_args(backup: argparse.ArgumentParser) -> None:
    backup.add_argument("file", type=Path, help="the new backup file")


def _restore_args(restore: argparse.ArgumentParser) -> None:
    restore.add_argument("file", type=Path, help="a file made by `cxpulse backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )


def _secret(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.keystrength import new_secret

    print(new_secret())
    return 0


def _db(args: argparse.Namespace, settings: Settings) -> int:
    if args.db_command == "rotate-tokens":
        return _rotate_tokens(settings)
    return upgrade_command(settings)


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
