"""Customer comments are customer data: per workspace, purged by retention, neutralised in CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.insights.export import EXPORTS, render
from bot.outcomes.formats import import_file
from bot.outcomes.rows import agent_index, generic_row
from bot.outcomes.store import store_outcomes
from models import CustomerOutcome, Workspace
from tests.support.outcome_data import FIXTURES, NOW, agents
from tests.support.stack import SandboxStack

pytestmark = pytest.mark.stack(
    now=datetime(2026, 3, 2, tzinfo=UTC), users=[("U0ALICE", "alice", "alice@example.com")]
)


def test_outcome_export_neutralises_formulas_in_csv_only(session: Session) -> None:
    a = agents(session)
    other = agents(session, "T0OTHER")
    import_file(session, workspace_id=a.ws.id, path=FIXTURES / "generic.csv", fmt="csv", now=NOW)
    import_file(
        session, workspace_id=other.ws.id, path=FIXTURES / "intercom.csv", fmt=None, now=NOW
    )
    session.commit()
    rows_of, columns = EXPORTS["outcomes"]
    rows = rows_of(session, slack_team_id="T0SANDBOX")
    assert {r["source"] for r in rows} == {"csv"}  # one workspace's data only
    out = render(rows, columns, "csv")
    records = {r["external_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert records["g-3"]["comment"] == '\'=HYPERLINK("http://evil.example")'
    assert records["g-1"]["comment"] == "Quick, kind help"
    assert records["g-1"]["agent"] == "U0ALICE"  # the Slack id, never the agent's email
    assert records["g-4"]["agent"] == ""  # unmatched: not known to the workspace
    assert "example.com" not in out
    assert records["g-2"]["team"] == "billing"
    assert records["g-2"]["week"] == "2026-W10"
    assert '"=HYPERLINK' in render(rows, columns, "json")


def test_the_purge_job_clears_old_comments_and_keeps_the_ratings(stack: SandboxStack) -> None:
    rows = [
        {"when": "2024-01-10", "comment": "old words", "customer": "Old Co", "external_id": "o"},
        {"when": "2026-02-10", "comment": "new words", "customer": "New Co", "external_id": "n"},
    ]
    with stack.runtime.transaction() as session:
        ws_id = session.scalars(select(Workspace.id)).one()
        checked = [
            generic_row(r | {"agent": "U0ALICE", "kind": "csat", "score": 4}, line=i)
            for i, r in enumerate(rows)
        ]
        index = agent_index(session, workspace_id=ws_id)
        store_outcomes(
            session, workspace_id=ws_id, source="csv", rows=checked, index=index, now=NOW
        )
    report = stack.run_job("purge", at=datetime(2026, 3, 2, 3, 17, tzinfo=UTC))
    assert next(iter(report.values()))["customer_text"] == 1
    with stack.runtime.sessions() as session:
        found = {o.external_id: o for o in session.scalars(select(CustomerOutcome))}
    assert (found["o"].comment, found["o"].customer, found["o"].score) == (None, None, 4)
    assert (found["n"].comment, found["n"].customer) == ("new words", "New Co")
    assert found["o"].happened_on == date(2024, 1, 10)
