"""`cxpulse export outcomes`: customers' ratings for analysts, agents only by Slack id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.redact import redact_optional
from bot.core.weeks import iso_week_label
from models import CustomerOutcome, Person, Team, Workspace

OUTCOME_COLUMNS = (
    "workspace",
    "source",
    "external_id",
    "happened_on",
    "week",
    "team",
    "agent",
    "kind",
    "score",
    "scaled",
    "customer",
    "comment",
)


def outcome_rows(session: Session, *, slack_team_id: str | None = None) -> list[dict[str, Any]]:
    """One row per customer outcome; ``agent`` is the matched person's Slack id (never an email)."""
    o = CustomerOutcome
    query = (
        select(o, Workspace.slack_team_id, Team.name, Person.slack_user_id)
        .join(Workspace, Workspace.id == o.workspace_id)
        .outerjoin(Team, Team.id == o.team_id)
        .outerjoin(Person, Person.id == o.person_id)
        .order_by(Workspace.slack_team_id, o.happened_at, o.id)
    )
    if slack_team_id:
        query = query.where(Workspace.slack_team_id == slack_team_id)
    return [
        {
            "workspace": ws,
            "source": row.source,
            "external_id": row.external_id,
            "happened_on": row.happened_on.isoformat(),
            "week": iso_week_label(row.week_start),
            "team": team,
            "agent": user,
            "kind": row.kind,
            "score": row.score,
            "scaled": round(row.scaled, 4),
            # Customer text as staff read it: contact details out (the help desk has them).
            "customer": redact_optional(row.customer),
            "comment": redact_optional(row.comment),
        }
        for row, ws, team, user in session.execute(query)
    ]
