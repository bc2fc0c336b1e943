"""Several instances on one PostgreSQL: who runs the scheduled jobs, and who sends which rows.

Leadership: every instance runs the same APScheduler configuration, but a job only runs in the
process that holds a session-level PostgreSQL advisory lock (``pg_try_advisory_lock``) on a
connection it keeps open for that purpose. The lock is re-checked every few seconds; when the
leader dies, or its connection does, PostgreSQL releases the lock and another instance takes it
at its next check. On SQLite (the one-process default) the local process always leads.

Between the moment a leader's connection dies and its next check, it may still think it leads
while a new leader has taken over: every send is therefore also claimed in the database (unique
per person per day / channel per week), so an overlap can never send twice.

Fan-out claiming: ``claim_batch`` locks up to N rows with ``FOR UPDATE SKIP LOCKED`` so several
workers can share one big send, each taking rows no other worker holds.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine, Select, create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

logger = logging.getLogger(__name__)

# The advisory lock key every CX Pulse instance agrees on ("CXPS" in ASCII).
SCHEDULER_LOCK_KEY = 0x43585053
DEFAULT_CHECK_SECONDS = 5.0
# Notice a silently dead leader connection (e.g. a network partition) within about a minute.
_CONNECT_ARGS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}

T = TypeVar("T")


class Leadership(Protocol):
    """Whether this process should run scheduled jobs now."""

    def start(self) -> Leadership:
        """Begin (re)checking leadership in the background; returns self."""

    def is_leader(self) -> bool:
        """True while this process holds leadership."""

    def close(self) -> None:
        """Stop checking and give leadership up."""


class LocalLeader:
    """The one-process case (SQLite): this process always leads."""

    def start(self) -> LocalLeader:
        """Nothing to check."""
        return self

    def is_leader(self) -> bool:
        """Always true."""
        return True

    def close(self) -> None:
        """Nothing to release."""


class AdvisoryLockLeader:
    """Leadership held as a PostgreSQL session-level advisory lock on a dedicated connection."""

    def __init__(
        self,
        database_url: str,
        *,
        key: int = SCHEDULER_LOCK_KEY,
        check_seconds: float = DEFAULT_CHECK_SECONDS,
        name: str = "",
    ) -> None:
        """Prepare (nothing connects until ``check()`` or ``start()``)."""
        self.key = key
        self.check_seconds = check_seconds
        self.name = name or "this instance"
        self._engine: Engine = create_engine(
            database_url, poolclass=NullPool, connect_args=_CONNECT_ARGS
        )
        self._conn: Connection | None = None
        self._leader = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def is_leader(self) -> bool:
        """True while this process held the lock at its last check."""
        return self._leader

    @property
    def backend_pid(self) -> int | None:
        """The PostgreSQL backend pid of the lock connection (for operators and tests)."""
        with self._lock:
            if self._conn is None:
                return None
            pid: Any = self._conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
            return int(pid)

    def check(self) -> bool:
        """Confirm the lock is still held (or try to take it); returns whether we lead."""
        with self._lock:
            if self._stop.is_set():
                return False
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = self._engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT"
                    )
                if self._leader:
                    # The lock lives as long as the session: a live connection still holds it.
                    self._conn.execute(text("SELECT 1"))
                else:
                    got = self._conn.scalar(
                        text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
                    )
                    if got:
                        logger.info("%s is now the scheduler leader", self.name)
                    self._leader = bool(got)
            except Exception as exc:  # a dead connection or database: PostgreSQL freed the lock
                if self._leader:
                    logger.warning("%s lost scheduler leadership: %s", self.name, exc)
                else:
                    logger.debug("leadership check failed: %s", exc)
                self._leader = False
                self._drop_connection()
            return self._leader

    def start(self) -> AdvisoryLockLeader:
        """Check now, then every ``check_seconds`` on a daemon thread."""
        if self._thread is None:
            self.check()
            self._thread = threading.Thread(target=self._loop, name="cxpulse-leader", daemon=True)
            self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.check_seconds):
            self.check()

    def close(self) -> None:
        """Stop checking and release the lock (by closing its connection)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.check_seconds + 5)
        with self._lock:
            was_leader, self._leader = self._leader, False
            self._drop_connection()
        self._engine.dispose()
        if was_leader:
            # Operators (and the SIGTERM tests) see that another instance can take over now.
            logger.info("%s released scheduler leadership", self.name)

    def _drop_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # already broken; closing is best effort
                logger.debug("closing the leader connection failed", exc_info=True)
            self._conn = None


def is_postgres(database_url: str) -> bool:
    """Whether ``database_url`` points at PostgreSQL."""
    return database_url.startswith(("postgresql", "postgres"))


def leadership_for(
    database_url: str, *, check_seconds: float = DEFAULT_CHECK_SECONDS
) -> Leadership:
    """An advisory-lock leader on PostgreSQL; on SQLite, the local process always leads."""
    if is_postgres(database_url):
        return AdvisoryLockLeader(database_url, check_seconds=check_seconds)
    return LocalLeader()


def claim_batch(session: Session, stmt: Select[T], *, limit: int) -> list[T]:
    """Up to ``limit`` rows of ``stmt``, locked until this transaction ends.

    On PostgreSQL the rows are selected ``FOR UPDATE SKIP LOCKED``: rows another worker has
    locked are skipped rather than waited for, so several workers share one big fan-out. On
    SQLite (one process, one writer at a time) it is a plain select. Either way the caller must
    mark what it took as claimed (a status column, a unique claim row) before committing, and
    select only unclaimed rows, so a row is handed out once. ``stmt`` should select from the
    rows' own table; with joins pass ``of=`` yourself (PostgreSQL cannot lock outer joins).
    """
    stmt = stmt.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))
