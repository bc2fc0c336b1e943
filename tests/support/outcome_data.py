"""A workspace with two agents whose emails the directory sync stored, for outcome tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.workspace.store import ensure_team, ensure_workspace
from models import Person, Team, Workspace

# Help-desk exports as their tools write them, kept beside the outcome tests.
FIXTURES = Path(__file__).resolve().parents[1] / "outcomes" / "fixtures"
NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # when the tests import (after the fixtures' days)


@dataclass
class Agents:
    ws: Workspace
    support: Team
    billing: Team
    alice: Person
    bob: Person


def agents(session: Session, slack_team_id: str = "T0SANDBOX") -> Agents:
    """Alice (support) and Bob (billing), both with an email; nobody is carol@example.com."""
    ws = ensure_workspace(session, slack_team_id=slack_team_id, name="Sandbox Inc")
    support = ensure_team(session, workspace=ws, name="support")
    billing = ensure_team(session, workspace=ws, name="billing")
    alice = Person(
        workspace_id=ws.id, slack_user_id="U0ALICE", email="alice@example.com", team_id=support.id
    )
    bob = Person(
        workspace_id=ws.id, slack_user_id="U0BOB", email="bob@example.com", team_id=billing.id
    )
    session.add_all([alice, bob])
    session.flush()
    return Agents(ws, support, billing, alice, bob)


def webhook_rating(agent: str, external_id: str, /, **changes: Any) -> dict[str, Any]:
    """One CSAT 5 from Acme for ``agent`` as the outcomes webhook takes it, with ``changes``
    (any field, the agent too)."""
    row = {
        "when": "2026-03-02T09:30:00Z",
        "agent": agent,
        "kind": "csat",
        "score": 5,
        "customer": "Acme",
        "comment": "Thank you!",
        "external_id": external_id,
    }
    return row | changes
