"""Rows for flow-on, digest and export tests, inserted directly (no pulse or moment handlers)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.core.weeks import week_start
from bot.demo.processes import SANDBOX_SECRET
from bot.pulse.anonymity import monthly_key, respondent_key
from bot.workspace.store import ensure_team, ensure_workspace
from models import (
    Celebration,
    CelebrationValue,
    Customer,
    CustomerMoment,
    Person,
    PulseAnswer,
    PulseExtraAnswer,
    PulseNote,
    PulseSend,
    Team,
    Workspace,
)

SECRET = SANDBOX_SECRET  # the sandbox stack's CXPULSE_SECRET


def workspace(session: Session, slack_team_id: str = "T0SANDBOX") -> Workspace:
    return ensure_workspace(session, slack_team_id=slack_team_id, name="Sandbox Inc")


def team_with_people(
    session: Session, ws: Workspace, name: str, size: int, *, user_ids: list[str] | None = None
) -> tuple[Team, list[Person]]:
    team = ensure_team(session, workspace=ws, name=name)
    ids = list(user_ids or []) + [f"U{name.upper()}{i:03d}" for i in range(size)]
    people = [
        Person(workspace_id=ws.id, slack_user_id=uid, display_name=uid, team_id=team.id)
        for uid in ids[:size]
    ]
    session.add_all(people)
    session.flush()
    return team, people


def pulse_week(
    session: Session,
    ws: Workspace,
    team: Team,
    people: list[Person],
    week: date,
    scores: list[int],
    *,
    days: int = 1,
    sent_to: int | None = None,
) -> None:
    """People i < len(scores) answer ``scores[i]`` on ``days`` days; everyone was sent a pulse."""
    for day in range(days):
        pulse_date = week + timedelta(days=day)
        for person in people[: sent_to if sent_to is not None else len(people)]:
            session.add(
                PulseSend(
                    workspace_id=ws.id,
                    person_id=person.id,
                    team_id=team.id,
                    pulse_date=pulse_date,
                    week_start=week,
                    status="sent",
                    scheduled_for=_noon(pulse_date),
                )
            )
        for person, score in zip(people, scores, strict=False):
            row = answer_columns(ws, person, pulse_date, team.id, week=week)
            session.add(PulseAnswer(score=score, **row))
    session.flush()


def _noon(day: date):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(12), tzinfo=UTC)


def answer_columns(
    ws: Workspace, person: Person, day: date, team_id: int | None, *, week: date | None = None
) -> dict[str, Any]:
    """What every answer-like row (answer, note, second question) ``person`` gives on ``day``
    carries, keyed as the app keys it."""
    return {
        "workspace_id": ws.id,
        "respondent_key": respondent_key(SECRET, ws.slack_team_id, person.slack_user_id, day=day),
        "team_id": team_id,
        "pulse_date": day,
        "week_start": week if week is not None else week_start(day),
    }


def note(session: Session, ws: Workspace, team: Team, person: Person, day: date, text: str) -> None:
    session.add(PulseNote(text=text, **answer_columns(ws, person, day, team.id)))


def moment(
    session: Session,
    ws: Workspace,
    team: Team | None,
    day: date,
    outcome: str,
    *,
    customer: str = "Acme",
    what: str = "helped",
    backstory: str = "",
    csat: int | None = None,
    sentiment: float = 0.0,
    would_tell: bool = False,
) -> CustomerMoment:
    cust = Customer(workspace_id=ws.id, name=customer, name_key=f"{customer.lower()}-{day}-{what}")
    session.add(cust)
    session.flush()
    row = CustomerMoment(
        workspace_id=ws.id,
        customer_id=cust.id,
        team_id=team.id if team else None,
        happened_on=day,
        week_start=week_start(day),
        touchpoint="support",
        outcome=outcome,
        what_happened=what,
        backstory=backstory,
        csat=csat,
        sentiment=sentiment,
        would_tell_story=would_tell,
    )
    session.add(row)
    session.flush()
    return row


def celebration(
    session: Session, ws: Workspace, team: Team | None, day: date, values: list[str]
) -> None:
    row = Celebration(
        workspace_id=ws.id,
        celebrated_by="ULEAD",
        team_id=team.id if team else None,
        reason="for a save",
        week_start=week_start(day),
        values=[CelebrationValue(value=v) for v in values],
    )
    session.add(row)
    session.flush()


def lead_guess(session: Session, ws: Workspace, user_id: str, day: date, value: int) -> None:
    session.add(
        PulseExtraAnswer(
            workspace_id=ws.id,
            respondent_key=monthly_key(SECRET, ws.slack_team_id, user_id, day=day),
            pulse_date=day.replace(day=1),
            week_start=day.replace(day=1),
            question_key="experience_gap",
            value=value,
        )
    )
    session.flush()


def extra_answers(
    session: Session,
    ws: Workspace,
    team: Team | None,
    people: list[Person],
    day: date,
    key: str,
    values: list[int],
) -> None:
    """People i < len(values) answer second question ``key`` with ``values[i]`` on ``day``."""
    for person, value in zip(people, values, strict=False):
        row = answer_columns(ws, person, day, team.id if team else None)
        session.add(PulseExtraAnswer(question_key=key, value=value, **row))
    session.flush()
