"""Engine and session helpers, and schema upgrades through Alembic."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The PostgreSQL advisory lock every instance takes around migrations ("CXMG" in ASCII);
# distinct from the scheduler leader's key (bot/leader.py).
MIGRATION_LOCK_KEY = 0x43584D47
# Beside a SQLite database file, as SQLite's own -wal and -shm files are.
SQLITE_LOCK_SUFFIX = "-migrate.lock"

logger = logging.getLogger(__name__)


def make_engine(url: str, *, echo: bool = False, pooled: bool = True) -> Engine:
    """An engine with the per-backend settings the app relies on."""
    pool_args: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    # A failed statement's message would otherwise carry its parameters (names, comments,
    # e-mail addresses) into whatever logs the exception.
    pool_args["hide_parameters"] = True
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False}, **pool_args
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            # WAL lets the scheduler write while HTTP handlers read; FKs are off by default.
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL cannot corrupt the database; it skips the fsync on every
            # commit (0.6 ms each here), so a power cut may lose the last few commits.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

        return engine
    if pooled:
        pool_args |= {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    return create_engine(url, echo=echo, **pool_args)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    """The Alembic config for our migrations, pointed at ``url``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@dataclass(frozen=True)
class UpgradeResult:
    """The schema revision before and after an upgrade (None: an empty database)."""

    before: str | None
    after: str | None

    @property
    def migrated(self) -> bool:
        """True when this call applied migrations (another instance may have done it)."""
        return self.before != self.after


def sqlite_lock_path(url: str) -> Path | None:
    """The migration lock file of a SQLite database file; None for other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(f"{parsed.database}{SQLITE_LOCK_SUFFIX}")


@contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """Hold the database-wide migration lock: one instance migrates, the others wait.

    PostgreSQL: a session-level advisory lock on a connection of its own (so Alembic's
    transactions do not release it). SQLite: an exclusive flock on a file beside the
    database (SQLite's own locks cannot be held across Alembic's connections).
    """
    if make_url(url).get_backend_name() == "postgresql":
        engine = make_engine(url, pooled=False)
        try:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                try:
                    yield
                finally:
                    conn.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
        finally:
            engine.dispose()
        return
    path = sqlite_lock_path(url)
    if path is None:
        yield
        return
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_revision(url: str) -> str | None:
    """The database's Alembic revision (None when nothing was ever migrated)."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url, pooled=False)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> UpgradeResult:
    """Apply migrations up to ``revision``, once, however many instances call this at once."""
    from alembic import command

    logger.info("taking the migration lock")
    with migration_lock(url):
        before = current_revision(url)
        command.upgrade(alembic_config(url), revision)
        result = UpgradeResult(before=before, after=current_revision(url))
    if result.migrated:
        logger.info("database migrated from %s to %s", result.before or "empty", result.after)
    else:
        logger.info("database schema already at %s", result.after)
    return result


def ping(engine: Engine) -> None:
    """Raise if the database cannot answer a trivial query."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
