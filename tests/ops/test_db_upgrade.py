"""`cxpulse db upgrade`, the documented command: says what it did, and fails politely."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from models.db import alembic_config
from tests.support.cli import run_cxpulse


def _cxpulse(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return run_cxpulse(url, *args, timeout=120)


# Two runs of every migration in fresh processes: slow on a loaded 2-core machine.
@pytest.mark.timeout(400)
def test_db_upgrade_says_from_where_to_where(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cx.db'}"
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    first = _cxpulse("db", "upgrade", url=url)
    assert first.returncode == 0, first.stderr
    assert f"migrated from empty to {head}" in first.stdout
    again = _cxpulse("db", "upgrade", url=url)
    assert again.returncode == 0, again.stderr
    assert f"is up to date ({head})" in again.stdout


def test_db_upgrade_on_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    for url in (
        "postgresql+psycopg://cx:pw@127.0.0.1:1/cxpulse",
        f"sqlite:///{tmp_path / 'no-such-dir' / 'cx.db'}",
    ):
        done = _cxpulse("db", "upgrade", url=url)
        assert done.returncode == 2, (url, done.stdout)
        assert "cannot reach the database" in done.stderr
        assert "Traceback" not in done.stderr
        assert "pw@" not in done.stderr


def test_db_without_an_action_names_upgrade() -> None:
    done = _cxpulse("db", url="sqlite://")
    assert done.returncode == 2
    assert "upgrade" in done.stderr
