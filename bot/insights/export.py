"""Exports for analysts: customer moments, celebrations, customers' ratings (agents only by
Slack id) and the pulse questions' results; never per-person pulse answers.

Question results are the figures the digests and App Home show (``question_results``):
closed periods, groups at or above the threshold, no figure that subtracts to a withheld
group.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bot.config import Settings
from bot.core.disclosure import Audience, Figure, SurfaceAsk, question_figures, surface
from bot.core.redact import redact, redact_optional
from bot.core.spreadsheet import render
from bot.core.weeks import iso_week_label
from bot.insights.questions import MONTH, WEEK, QuestionResult, question_results
from bot.insights.reports import pick_workspace
from bot.workspace.config import effective_config
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
    # The story's language; where no scorer reads it, "sentiment" is empty, not 0.
    "story_language",
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
            "sentiment": round(m.sentiment, 4) if m.sentiment is not None else None,
            "would_tell_story": m.would_tell_story,
            "source": m.source,
            "logged_by": user,
            "story_language": m.story_language,
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


# Documented in the README; new columns are only ever appended.
QUESTION_COLUMNS = (
    "team",
    "period_kind",
    "period",
    "question",
    "question_text",
    "unit",
    "respondents",
    "value",
    "previous_value",
    "change",
)
PERIODS = {WEEK: 52, MONTH: 12}  # how far back the export goes
UNITS = {"nps": "eNPS (-100..100)", "yes_no": "% yes", "scale": "mean (1-5)"}


def question_record(result: QuestionResult) -> dict[str, Any]:
    """One export row with the documented column names."""
    return {
        "team": result.team,
        "period_kind": result.period,
        "period": result.label,
        "question": result.question_key,
        "question_text": result.question.text,
        "unit": UNITS[result.question.kind],
        "respondents": result.respondents,
        "value": result.value,
        "previous_value": result.previous,
        "change": result.change,
    }


def load_question_results(
    session: Session, settings: Settings, slack_team_id: str | None, *, now: datetime
) -> list[QuestionResult]:
    """Every shown result of the workspace, weeks then months."""
    ws = pick_workspace(session, slack_team_id)
    if ws is None:
        return []
    cfg = effective_config(session, settings=settings, workspace=ws)
    return _shown_results(session, ws.id, Audience(cfg.anonymity_threshold), now)


def _shown_results(
    session: Session, workspace_id: int, audience: Audience, now: datetime
) -> list[QuestionResult]:
    results: list[QuestionResult] = []
    for period, count in PERIODS.items():
        results += question_results(
            session,
            workspace_id=workspace_id,
            threshold=audience.limit,
            now=now,
            period=period,
            count=count,
        )
    return results


@surface("export_questions")
def export_question_figures(session: Session, ask: SurfaceAsk) -> list[Figure]:
    """`cxpulse export questions`: every shown result, weeks then months."""
    found = _shown_results(session, ask.workspace_id, ask.audience, ask.now)
    return question_figures("export_questions", found)


def format_questions(results: Sequence[QuestionResult], fmt: str) -> str:
    """CSV (header first, text cells neutralised for spreadsheets) or a JSON list."""
    return render([question_record(r) for r in results], QUESTION_COLUMNS, fmt, lineterminator="\n")
