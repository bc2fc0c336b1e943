"""`cxpulse backup` and `cxpulse restore`: a demo database round-trips, refusals are clear."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo.run import DB_NAME, DemoOptions, simulate
from models.backup import backup_sqlite
from models.db import upgrade

EXPORTS = ("team-weeks", "moments", "celebrations", "questions", "outcomes")


def _cxpulse(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CXPULSE_"))}
    env |= {"DATABASE_URL": url, "CXPULSE_SECRET": "backup-test-key"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted: what the database holds, whatever its page layout."""
    with closing(sqlite3.connect(path)) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }


def _exports(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, str]:
    """What analysts and users see: every `cxpulse export`, as JSON."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CXPULSE_SECRET", "backup-test-key")
    seen = {}
    for kind in EXPORTS:
        capsys.readouterr()
        assert main(["export", kind, "--format", "json"]) == 0
        seen[kind] = capsys.readouterr().out
    return seen


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = simulate(DemoOptions(people=8, teams=2, weeks=2, seed=5, out=out, quiet=True))
    assert result.ok
    return out / DB_NAME


# The module's demo (about 40 s here, several times that on a loaded machine) runs first.
@pytest.mark.timeout(600)
def test_backup_then_restore_round_trips_the_demo(
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = f"sqlite:///{demo_db}"
    backup, restored = tmp_path / "cx.backup", tmp_path / "restored" / "cx.db"
    done = _cxpulse("backup", str(backup), url=source)
    assert done.returncode == 0, done.stderr
    assert "backed up" in done.stdout
    assert not Path(f"{backup}-wal").exists(), "the backup must be one self-contained file"

    done = _cxpulse("restore", str(backup), url=f"sqlite:///{restored}")
    assert done.returncode == 0, done.stderr

    original = _tables(demo_db)
    assert sum(len(rows) for rows in original.values()) > 100, "the demo wrote too little"
    assert _tables(restored) == original
    exports = _exports(source, monkeypatch, capsys)
    # Two demo weeks close no month, so `questions` may be empty; these cannot be.
    assert all(len(exports[kind]) > 10 for kind in ("team-weeks", "moments", "celebrations"))
    assert _exports(f"sqlite:///{restored}", monkeypatch, capsys) == exports


def test_restore_refuses_to_overwrite_data_without_force(demo_db: Path, tmp_path: Path) -> None:
    backup, target = tmp_path / "cx.backup", tmp_path / "target.db"
    backup_sqlite(f"sqlite:///{demo_db}", backup)
    # A database in use: the demo's, with one workspace more than the backup.
    backup_sqlite(f"sqlite:///{demo_db}", target)
    with closing(sqlite3.connect(target)) as conn, conn:
        conn.execute(
            "INSERT INTO workspace (slack_team_id, name, active, created_at) "
            "VALUES ('TNEW', 'n', 1, '2026-01-01 00:00:00')"
        )
    done = _cxpulse("restore", str(backup), url=f"sqlite:///{target}")
    assert done.returncode == 2
    assert "--force" in done.stderr
    assert "Traceback" not in done.stderr
    assert any(row[1] == "TNEW" for row in _tables(target)["workspace"])

    done = _cxpulse("restore", str(backup), "--force", url=f"sqlite:///{target}")
    assert done.returncode == 0, done.stderr
    assert _tables(target) == _tables(demo_db)


def test_restore_checks_the_file_is_a_cx_pulse_database(tmp_path: Path) -> None:
    target = tmp_path / "target.db"
    stranger = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(stranger)) as conn, conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('not ours')")
    future = tmp_path / "future.db"
    upgrade(f"sqlite:///{future}")
    with closing(sqlite3.connect(future)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    text_file = tmp_path / "dump.sql"
    text_file.write_text("-- PostgreSQL database dump\n")
    for bad, says in (
        (stranger, "not a CX Pulse database"),
        (future, "made by a newer CX Pulse"),
        (text_file, "not a SQLite database"),
        (tmp_path / "missing.backup", "no file"),
    ):
        done = _cxpulse("restore", str(bad), url=f"sqlite:///{target}")
        assert done.returncode == 2, (bad, done.stdout)
        assert says in done.stderr
        assert "Traceback" not in done.stderr
    assert not target.exists() or target.stat().st_size == 0


def test_backup_refuses_to_overwrite_a_file(demo_db: Path, tmp_path: Path) -> None:
    existing = tmp_path / "keep.me"
    existing.write_text("precious")
    done = _cxpulse("backup", str(existing), url=f"sqlite:///{demo_db}")
    assert done.returncode == 2
    assert "already exists" in done.stderr
    assert existing.read_text() == "precious"


def test_postgres_gets_the_pg_dump_and_pg_restore_commands(tmp_path: Path) -> None:
    url = "postgresql+psycopg://cx:s3cret-pw@db.internal:5432/cxpulse"
    for command in ("backup", "restore"):
        done = _cxpulse(command, str(tmp_path / "cx.dump"), url=url)
        assert done.returncode == 2
        assert (
            f"pg_dump --format=custom --no-owner --file='{tmp_path / 'cx.dump'}' "
            "--dbname='postgresql://cx@db.internal:5432/cxpulse'"
        ) in done.stderr
        assert "pg_restore --clean --if-exists --no-owner" in done.stderr
        assert "s3cret-pw" not in done.stderr + done.stdout
        assert not (tmp_path / "cx.dump").exists()


def test_backup_is_consistent_while_the_app_writes(demo_db: Path, tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    backup_sqlite(f"sqlite:///{demo_db}", live)
    with closing(sqlite3.connect(live)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    stop = threading.Event()

    def write_pairs() -> None:
        # Each transaction adds two workspaces: a torn copy would hold an odd number.
        with closing(sqlite3.connect(live, timeout=30)) as conn:
            n = 0
            while not stop.is_set():
                with conn:
                    for _ in range(2):
                        n += 1
                        conn.execute(
                            "INSERT INTO workspace (slack_team_id, name, active, created_at) "
                            "VALUES (?, '', 1, '2026-01-01 00:00:00')",
                            (f"TW{n}",),
                        )

    writer = threading.Thread(target=write_pairs)
    writer.start()
    try:
        copies = [tmp_path / f"copy{i}.db" for i in range(5)]
        for copy in copies:
            backup_sqlite(f"sqlite:///{live}", copy)
    finally:
        stop.set()
        writer.join()
    base = len(_tables(demo_db)["workspace"])
    added = [len(_tables(copy)["workspace"]) - base for copy in copies]
    assert all(n % 2 == 0 for n in added), added
    assert added[-1] > 0, "the writer never got a turn"
