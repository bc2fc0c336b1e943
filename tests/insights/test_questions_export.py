"""`cxpulse export questions`, run as a real process over DATABASE_URL."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.insights.export import QUESTION_COLUMNS
from tests.support import flowon_data as fd
from tests.support.cli import cxpulse_output

# Closed long before the test runs (the CLI reads the real clock).
MARCH_9 = date(2026, 3, 9)


def _seed(session: Session) -> None:
    ws = fd.workspace(session)
    support, people = fd.team_with_people(session, ws, '=HYPERLINK("x")', 6)
    billing, few = fd.team_with_people(session, ws, "billing", 4)
    fd.extra_answers(session, ws, support, people, date(2026, 2, 3), "enps", [0] * 6)
    fd.extra_answers(session, ws, support, people, date(2026, 3, 3), "enps", [10, 9, 9, 10, 8, 3])
    fd.extra_answers(session, ws, billing, few, date(2026, 3, 3), "enps", [10] * 4)
    fd.extra_answers(session, ws, support, people, MARCH_9, "helped_customer", [1, 1, 1, 0, 1, 1])
    fd.extra_answers(session, ws, billing, few, MARCH_9, "helped_customer", [0] * 4)
    session.commit()


def test_export_questions_csv_and_json(engine: Engine, db_url: str) -> None:
    with Session(engine) as session:
        _seed(session)
    out = cxpulse_output(db_url, "export", "questions")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(next(csv.reader(io.StringIO(out)))) == QUESTION_COLUMNS
    support = '\'=HYPERLINK("x")'  # would run as a formula: neutralised with a quote
    # Billing (4 people) never appears; in March and 2026-W11 "Everyone" would give it away.
    assert {r["team"] for r in rows} == {support, "Everyone"}
    assert {r["team"] for r in rows if r["period"] in ("2026-03", "2026-W11")} == {support}
    february = {r["team"] for r in rows if r["period"] == "2026-02"}
    assert february == {support, "Everyone"}  # only support answered: nothing to subtract
    march = next(r for r in rows if r["question"] == "enps" and r["period"] == "2026-03")
    assert march["period_kind"] == "month"
    assert (march["respondents"], march["value"], march["previous_value"]) == (
        "6",
        "50.0",
        "-100.0",
    )
    assert march["change"] == "150.0"
    weekly = next(
        r for r in rows if r["question"] == "helped_customer" and r["period_kind"] == "week"
    )
    assert (weekly["period"], weekly["value"]) == ("2026-W11", "83.3")
    assert weekly["question_text"] == "Did you help a customer today?"
    assert weekly["unit"] == "% yes"

    records = json.loads(cxpulse_output(db_url, "export", "questions", "--format", "json"))
    assert list(records[0]) == list(QUESTION_COLUMNS)
    assert {r["team"] for r in records} == {'=HYPERLINK("x")', "Everyone"}  # JSON: data, no sheet
    assert any(r["value"] == 50.0 and r["question"] == "enps" for r in records)
