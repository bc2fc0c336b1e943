"""Several instances starting a new version at once: migrations run once, every instance starts.

Two real `cxpulse serve` processes race on a fresh database. The test holds the migration
lock until both are waiting for it (on PostgreSQL, seen in pg_locks), then lets go.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.demo.processes import APP_MANIFEST
from models.db import (
    MIGRATION_LOCK_KEY,
    alembic_config,
    current_revision,
    make_engine,
    sqlite_lock_path,
)
from slack_emulator import SlackEmulator
from tests.support.processes import app_env, free_port


def _wait_for(what: str, ready: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting: {what}")


def _waiting_on_lock(url: str) -> int:
    """PostgreSQL sessions waiting for the migration advisory lock."""
    engine = make_engine(url, pooled=False)
    try:
        with engine.connect() as conn:
            return int(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND objid = :key AND NOT granted"
                    ),
                    {"key": MIGRATION_LOCK_KEY},
                )
                or 0
            )
    finally:
        engine.dispose()


@contextmanager
def _held_lock(url: str) -> Iterator[None]:
    """The migration lock, taken as an instance would take it."""
    path = sqlite_lock_path(url)
    if path is not None:
        with path.open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield
        return
    engine = make_engine(url, pooled=False)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            yield
    finally:
        engine.dispose()


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, ConnectionError):
        return False


def test_two_instances_starting_together_migrate_once(empty_db_url: str, tmp_path: Path) -> None:
    head = ScriptDirectory.from_config(alembic_config(empty_db_url)).get_current_head()
    procs: list[tuple[subprocess.Popen[bytes], int, Path]] = []
    with SlackEmulator(manifest=APP_MANIFEST) as emulator:
        env = app_env(
            emulator,
            empty_db_url,
            "l9sJfnkZhzXaQrJfASh1tZ8222Eta2Fj2uJblHDqOoU",
            SLACK_SIGNING_SECRET=emulator.signing_secret,
        )
        try:
            with _held_lock(empty_db_url):
                for n in range(2):
                    port, log = free_port(), tmp_path / f"instance{n}.log"
                    with log.open("wb") as out:
                        cmd = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"]
                        proc = subprocess.Popen(
                            [*cmd, "--port", str(port), "--no-scheduler"],
                            env=env,
                            stdout=out,
                            stderr=subprocess.STDOUT,
                        )
                    procs.append((proc, port, log))
                if sqlite_lock_path(empty_db_url) is None:
                    _wait_for("both waiting", lambda: _waiting_on_lock(empty_db_url) == 2)
                else:
                    _wait_for(
                        "both asking for the lock",
                        lambda: all(b"migration lock" in log.read_bytes() for _, _, log in procs),
                    )
                    time.sleep(1)  # from asking to blocked in flock: well under a second
                # Nobody has migrated while the lock was held.
                assert current_revision(empty_db_url) is None
            for proc, port, log in procs:
                _wait_for(
                    f"instance on {port} healthy",
                    lambda p=proc, port=port, log=log: (
                        _healthy(port)  # type: ignore[misc]
                        or (p.poll() is not None and _fail(log))
                    ),
                )
        finally:
            for proc, _, _ in procs:
                proc.terminate()
                proc.wait(timeout=20)
    logs = [log.read_text() for _, _, log in procs]
    migrated = [text_ for text_ in logs if f"database migrated from empty to {head}" in text_]
    current = [text_ for text_ in logs if f"database schema already at {head}" in text_]
    assert len(migrated) == 1, logs
    assert len(current) == 1, logs
    assert current_revision(empty_db_url) == head


def _fail(log: Path) -> bool:
    raise AssertionError(f"an instance exited before it was healthy:\n{log.read_text()}")
