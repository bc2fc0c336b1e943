"""The `cxpulse` command line, run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect


def _cxpulse(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CXPULSE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=base | (env or {}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_db_upgrade_builds_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cx.db'}"
    done = _cxpulse("db", "upgrade", env={"DATABASE_URL": url})
    assert done.returncode == 0, done.stderr
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"workspace", "team", "person", "alembic_version"} <= tables


def test_run_job_without_secret_says_what_is_missing(tmp_path: Path) -> None:
    done = _cxpulse("run-job", "sync-users", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert done.returncode == 2
    assert "CXPULSE_SECRET" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_job_is_named(tmp_path: Path) -> None:
    env = {
        "CXPULSE_SECRET": "BfcjW2itwzqB9gqj12F5xa2NUnpuF62XWcm36xmeZ9k",
        "SLACK_BOT_TOKEN": "xoxb-1",
    }
    done = _cxpulse("run-job", "nope", env=env)
    assert done.returncode == 2
    assert "unknown job 'nope'" in done.stderr
    assert "sync-users" in done.stderr


def test_bad_at_is_a_usage_error() -> None:
    done = _cxpulse("run-job", "sync-users", "--at", "next tuesday")
    assert done.returncode == 2
    assert "ISO-8601" in done.stderr


def test_serve_without_settings_fails_clearly() -> None:
    done = _cxpulse("serve", "--port", "0")
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET" in done.stderr
