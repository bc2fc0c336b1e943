"""Exports for analysts: customer moments, celebrations and customers' ratings (agents only
by Slack id; never per-person pulse answers)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bot.core.redact import redact, redact_optional
from bot.core.spreadsheet import write_csv
from bot.core.weeks import iso_week_label
from models import (
    Celebration,
    CelebrationRecipient,
    CelebrationValue,
    Customer,
    CustomerMoment,
    CustomerOutcome,
    Person,
    Team,
    Workspace,
)

MOMENT_COLUMNS = (
    "workspace",
    "team",
    "customer",
    "happened_on",
    "week",
    "touchpoint",
    "outcome",
    "what_happened",
    "backstory",
    "csat",
    "sentiment",
    "would_tell_story",
    "source",
    "logged_by",
)
CELEBRATION_COLUMNS = (
    "workspace",
    "week",
    "created_at",
    "celebrated_by",
    "recipients",
    "values",
    "team",
    "reason",
    "moment_id",
    "channel",
)


def moment_rows(session: Session, *, slack_team_id: str | None = None) -> list[dict[str, Any]]:
    """One row per customer moment (moments are attributed and meant to be shared)."""
    query = (
        select(
            CustomerMoment, Workspace.slack_team_id, Team.name, Customer.name, Person.slack_user_id
        )
        .join(Workspace, Workspace.id == CustomerMoment.workspace_id)
        .join(Customer, Customer.id == CustomerMoment.customer_id)
        .outerjoin(Team, Team.id == CustomerMoment.team_id)
        .outerjoin(Person, Person.id == CustomerMoment.person_id)
        .order_by(Workspace.slack_team_id, CustomerMoment.happened_on, CustomerMoment.id)
    )
    if slack_team_id:
        query = query.where(Workspace.slack_team_id == slack_team_id)
    return [
        {
            "workspace": ws,
            "team": team,
            "customer": customer,
            "happened_on": m.happened_on.isoformat(),
            "week": iso_week_label(m.week_start),
            "touchpoint": m.touchpoint,
            "outcome": m.outcome,
            "what_happened": redact(m.what_happened),
            "backstory": redact(m.backstory),
            "csat": m.csat,
            "sentiment": round(m.sentiment, 4),
            "would_tell_story": m.would_tell_story,
            "source": m.source,
            "logged_by": user,
        }
        for m, ws, team, customer, user in session.execute(query)
    ]


def celebration_rows(session: Session, *, slack_team_id: str | None = None) -> list[dict[str, Any]]:
    """One row per celebration; recipients and values joined with spaces."""
    team = aliased(Team)
    query = (
        select(Celebration, Workspace.slack_team_id, team.name)
        .join(Workspace, Workspace.id == Celebration.workspace_id)
        .outerjoin(team, team.id == Celebration.team_id)
        .order_by(Workspace.slack_team_id, Celebration.created_at, Celebration.id)
    )
    if slack_team_id:
        query = query.where(Workspace.slack_team_id == slack_team_id)
    found = list(session.execute(query))
    ids = [c.id for c, _, _ in found]
    recipients: dict[int, list[str]] = {i: [] for i in ids}
    values: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for cid, uid in session.execute(
            select(CelebrationRecipient.celebration_id, CelebrationRecipient.slack_user_id)
            .where(CelebrationRecipient.celebration_id.in_(ids))
            .order_by(CelebrationRecipient.id)
        ):
            recipients[cid].append(uid)
        for cid, value in session.execute(
            select(CelebrationValue.celebration_id, CelebrationValue.value)
            .where(CelebrationValue.celebration_id.in_(ids))
            .order_by(CelebrationValue.id)
        ):
            values[cid].append(value)
    return [
        {
            "workspace": ws,
            "week": iso_week_label(c.week_start),
            "created_at": c.created_at.isoformat(),
            "celebrated_by": c.celebrated_by,
            "recipients": " ".join(recipients[c.id]),
            "values": " ".join(values[c.id]),
            "team": team_name,
            "reason": c.reason,
            "moment_id": c.moment_id,
            "channel": c.channel_id,
        }
        for c, ws, team_name in found
    ]


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Rows as CSV (header first, text cells neutralised) or a JSON list of objects."""
    if fmt == "json":
        return json.dumps([{k: row.get(k) for k in columns} for row in rows], indent=2) + "\n"
    return write_csv(rows, columns)


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


EXPORTS = {
    "moments": (moment_rows, MOMENT_COLUMNS),
    "celebrations": (celebration_rows, CELEBRATION_COLUMNS),
    "outcomes": (outcome_rows, OUTCOME_COLUMNS),
}
