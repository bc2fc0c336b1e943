"""Backups of a SQLite database through SQLite's online backup API, and restores from them.

The online backup copies a consistent snapshot while the app keeps writing (it takes a read
transaction on the source, so a commit in between does not tear the copy). PostgreSQL is
backed up with its own tools, pg_dump and pg_restore: see ``postgres_commands``.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# A CX Pulse database has these (and more); a file without them is someone else's.
MARKER_TABLES = frozenset({"alembic_version", "workspace", "person", "pulse_answer"})
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup or restore copied."""

    revision: str
    workspaces: int
    people: int


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL; None for PostgreSQL and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def postgres_commands(url: str, file: Path) -> tuple[str, str]:
    """The pg_dump and pg_restore commands for ``url`` (password left out: use PGPASSWORD)."""
    parsed = make_url(url)
    libpq = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    dsn = libpq.render_as_string(hide_password=False)
    dump = f"pg_dump --format=custom --no-owner --file='{file}' --dbname='{dsn}'"
    restore = f"pg_restore --clean --if-exists --no-owner --dbname='{dsn}' '{file}'"
    return dump, restore


def _describe(conn: sqlite3.Connection, what: str) -> BackupInfo:
    """The revision and size of a CX Pulse database, or BackupError naming what is missing."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = MARKER_TABLES - tables
    if missing:
        raise BackupError(
            f"{what} is not a CX Pulse database (no {', '.join(sorted(missing))} table)"
        )
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None:
        raise BackupError(f"{what} is not a CX Pulse database (no schema revision)")
    workspaces = conn.execute("SELECT count(*) FROM workspace").fetchone()[0]
    people = conn.execute("SELECT count(*) FROM person").fetchone()[0]
    return BackupInfo(revision=str(revision[0]), workspaces=workspaces, people=people)


def _has_data(conn: sqlite3.Connection) -> bool:
    """True when any table but alembic_version holds a row."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
        if row[0] != "alembic_version"
    ]
    # Table names come from the database's own catalogue, quoted as identifiers.
    return any(
        conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()  # noqa: S608
        for name in tables
    )


def backup_sqlite(url: str, file: Path) -> BackupInfo:
    """Copy the database at ``url`` into the new file ``file`` while the app may be running."""
    source = sqlite_path(url)
    if source is None:
        raise BackupError("not a SQLite database file")
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if file.exists():
        raise BackupError(f"{file} already exists; give a new file name")
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src:
        info = _describe(src, str(source))
        try:
            with closing(sqlite3.connect(file)) as dst:
                src.backup(dst)
                # One self-contained file: no -wal beside it to forget when copying it away.
                dst.execute("PRAGMA journal_mode=DELETE")
                if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise BackupError(f"the copy in {file} failed SQLite's check")
        except (BackupError, sqlite3.Error):
            file.unlink(missing_ok=True)
            raise
    return info


def check_backup(file: Path) -> BackupInfo:
    """The revision and size of the backup ``file``, or BackupError if it is not one of ours."""
    if not file.is_file():
        raise BackupError(f"there is no file {file}")
    with file.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{file} is not a SQLite database (a PostgreSQL dump? pg_restore)")
    with closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        try:
            return _describe(conn, str(file))
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{file} cannot be read as a database ({exc})") from None


def _known_revision(revision: str) -> bool:
    """True when this version's migrations know ``revision`` (else the file is newer)."""
    from alembic.script import ScriptDirectory

    from models.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return revision in {rev.revision for rev in script.walk_revisions()}


def restore_sqlite(file: Path, url: str, *, force: bool) -> BackupInfo:
    """Replace the database at ``url`` with the backup ``file``.

    Refuses to overwrite a database that holds any data unless ``force``: a restore
    loses everything written since the backup.
    """
    target = sqlite_path(url)
    if target is None:
        raise BackupError("not a SQLite database file")
    info = check_backup(file)
    if not _known_revision(info.revision):
        raise BackupError(
            f"{file} was made by a newer CX Pulse (schema {info.revision}); restore it with "
            "that version"
        )
    if target.exists() and target.stat().st_size and not force:
        with closing(sqlite3.connect(target)) as conn:
            if _has_data(conn):
                raise BackupError(
                    f"{target} already holds data; restoring replaces all of it with the "
                    "backup. Stop the app, then run again with --force"
                )
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(file)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return info
