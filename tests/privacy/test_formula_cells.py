"""Attack: spreadsheet formula injection through what people type (OWASP "CSV injection").

A moment, a customer name, a celebration reason or a team name starting with = + - @,
a tab or a carriage return must reach every CSV the app writes with a leading
apostrophe, so a spreadsheet shows it as text instead of running it.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.core.weeks import week_start
from models import Celebration
from tests.support import flowon_data as fd
from tests.support.cli import cxpulse_output

WEEK = date(2026, 3, 2)
HOSTILE = (
    '=HYPERLINK("http://evil","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _seed(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(
        session, ws, HOSTILE[0], 6, user_ids=[f"UFORMULA{i}" for i in range(6)]
    )
    for w in range(2):
        fd.pulse_week(session, ws, team, people, WEEK + timedelta(weeks=w), [4] * 6)
    for i, text in enumerate(HOSTILE):
        fd.moment(session, ws, team, WEEK, "win", customer=text, what=text, backstory=text)
        session.add(
            Celebration(
                workspace_id=ws.id,
                celebrated_by=text,
                team_id=team.id,
                reason=text,
                week_start=week_start(WEEK),
                request_key=f"r{i}",
            )
        )
    session.commit()


def _dangerous(cells: list[str]) -> list[str]:
    bad = []
    for cell in cells:
        try:
            float(cell)
            continue  # a number (e.g. a negative sentiment) is data, not a formula
        except ValueError:
            pass
        if cell.startswith(TRIGGERS):
            bad.append(cell)
    return bad


@pytest.mark.parametrize("kind", ["moments", "celebrations", "team-weeks"])
def test_every_csv_neutralises_formula_cells(engine: Engine, db_url: str, kind: str) -> None:
    with Session(engine) as session:
        _seed(session)
    out = cxpulse_output(db_url, "export", kind)
    rows = list(csv.reader(io.StringIO(out)))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.lstrip("'").startswith("=HYPERLINK") for cell in cells)
    assert _dangerous(cells) == []
    assert f"'{HOSTILE[0]}" in cells  # neutralised, not dropped: the text is still there
