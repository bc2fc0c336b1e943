"""`cxpulse export team-weeks` and `cxpulse flowon`, run as real processes over DATABASE_URL."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.support import flowon_data as fd
from tests.support.cli import cxpulse_output, run_cxpulse

WEEK = date(2026, 3, 9)
COLUMNS = (
    "team,week,respondents,mean_mood,participation,moments,win_share,mean_csat,mean_sentiment,"
    "customer_responses,customer_csat,customer_nps,tickets,handle_time"
)
RESULT_KEYS = ["metric", "lag_weeks", "direction", "rho", "ci_low", "ci_high", "n", "p_adjusted"]


def _seed(session: Session) -> None:
    ws = fd.workspace(session)
    big, big_people = fd.team_with_people(session, ws, "support", 6)
    small, small_people = fd.team_with_people(session, ws, "sales", 4)
    for w in range(12):
        week = WEEK + timedelta(weeks=w)
        fd.pulse_week(session, ws, big, big_people, week, [3 + w % 3] * 5)
        fd.pulse_week(session, ws, small, small_people, week, [4] * 4)
        fd.moment(session, ws, big, week, "win" if w % 2 else "problem", csat=4, what=str(w))
    session.commit()


def test_export_team_weeks_csv_and_json(engine: Engine, db_url: str) -> None:
    with Session(engine) as session:
        _seed(session)
    out = cxpulse_output(db_url, "export", "team-weeks")
    lines = out.splitlines()
    assert lines[0] == COLUMNS
    assert lines[1] == "support,2026-W11,5,3.0,0.833,1,0.0,4.0,0.0,0,,,,"
    assert lines[2] == "sales,2026-W11,,,,0,,,,0,,,,"
    assert len(lines) == 1 + 24
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["week"] for r in rows} >= {"2026-W11", "2026-W22"}

    records = json.loads(cxpulse_output(db_url, "export", "team-weeks", "--format", "json"))
    assert isinstance(records, list)
    assert len(records) == 24
    assert list(records[0]) == COLUMNS.split(",")
    assert records[1] == {
        "team": "sales",
        "week": "2026-W11",
        "respondents": None,
        "mean_mood": None,
        "participation": None,
        "moments": 0,
        "win_share": None,
        "mean_csat": None,
        "mean_sentiment": None,
        "customer_responses": 0,
        "customer_csat": None,
        "customer_nps": None,
        "tickets": None,
        "handle_time": None,
    }


def test_flowon_json_and_text(engine: Engine, db_url: str) -> None:
    with Session(engine) as session:
        _seed(session)
    out = json.loads(cxpulse_output(db_url, "flowon", "--format", "json"))
    assert list(out)[:4] == ["summary", "claim", "method", "results"]
    assert out["claim"] is False
    assert len(out["results"]) == 15
    for result in out["results"]:
        assert list(result)[: len(RESULT_KEYS)] == RESULT_KEYS
        assert result["direction"] in ("mood_leads", "outcome_leads")
        assert result["metric"] in ("win_share", "mean_csat", "mean_sentiment")
    # One team above the threshold: its weeks cannot be told apart from the whole
    # organisation's, so nothing is tested.
    assert out["summary"].startswith("Not enough data for a flow-on finding yet: 12 team-weeks")
    assert "from 1 team;" in out["summary"]
    assert all(r["rho"] is None for r in out["results"])
    text = cxpulse_output(db_url, "flowon")
    assert text.splitlines()[0] == out["summary"]
    assert "p (adj.)" in text


def test_reports_on_an_unmigrated_database_say_what_to_do(tmp_path: object) -> None:
    done = run_cxpulse(f"sqlite:///{tmp_path}/none.db", "export", "team-weeks")
    assert done.returncode == 2
    assert "cxpulse db upgrade" in done.stderr
    assert "Traceback" not in done.stderr
