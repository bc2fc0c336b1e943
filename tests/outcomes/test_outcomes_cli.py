"""`cxpulse import outcomes` over DATABASE_URL (in-process: `main`, as the console script)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.cli import main
from models import CustomerOutcome
from tests.support.outcome_data import FIXTURES, agents


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cxpulse(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(url: str, *args: str) -> Done:
        monkeypatch.setenv("DATABASE_URL", url)
        code = main(list(args))
        out, err = capsys.readouterr()
        return Done(code, out, err)

    return run


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count(CustomerOutcome.id))) or 0)


def test_import_prints_a_summary_and_each_rejected_line(
    engine: Engine,
    db_url: str,
    cxpulse,  # type: ignore[no-untyped-def]
) -> None:
    with Session(engine) as session:
        agents(session)
        session.commit()
    path = str(FIXTURES / "zendesk.csv")
    dry = cxpulse(db_url, "import", "outcomes", path, "--dry-run")
    assert dry.returncode == 1, dry.stderr  # some rows were rejected
    assert "dry run" in dry.stdout.lower()
    assert _count(engine) == 0

    done = cxpulse(db_url, "import", "outcomes", path, "--workspace", "T0SANDBOX")
    assert done.returncode == 1, done.stderr
    assert "3 imported, 1 duplicates, 1 unmatched" in done.stdout
    assert "2 rejected" in done.stdout
    assert "line 6:" in done.stderr
    assert "offered" in done.stderr
    assert "line 7:" in done.stderr
    assert "created_at" in done.stderr
    assert "carol@example.com" in done.stderr  # who to add to Slack (or fix in the help desk)
    assert _count(engine) == 3

    again = cxpulse(db_url, "import", "outcomes", path, "--format", "zendesk")
    assert "0 imported, 4 duplicates" in again.stdout
    assert _count(engine) == 3


def test_import_refuses_what_it_cannot_read(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    cxpulse,  # type: ignore[no-untyped-def]
) -> None:
    with Session(engine) as session:
        agents(session)
        session.commit()
    odd = tmp_path / "odd.csv"
    odd.write_text("date;rating\n2026-03-02;5\n")
    done = cxpulse(db_url, "import", "outcomes", str(odd))
    assert done.returncode == 2
    assert "--format" in done.stderr
    assert "Traceback" not in done.stderr
    missing = cxpulse(db_url, "import", "outcomes", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2
    assert "nope.csv" in missing.stderr
    other = cxpulse(
        db_url, "import", "outcomes", str(FIXTURES / "generic.csv"), "--workspace", "TX"
    )
    assert other.returncode == 2
    assert "TX" in other.stderr
