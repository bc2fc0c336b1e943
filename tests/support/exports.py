"""A workspace with one of everything an export shows (moment, celebration, answers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.pulse.anonymity import respondent_key
from bot.workspace.store import DirectoryUser, ensure_team, ensure_workspace, sync_people
from models import (
    Celebration,
    CelebrationRecipient,
    CelebrationValue,
    Customer,
    CustomerMoment,
    Person,
    PulseAnswer,
    PulseExtraAnswer,
    PulseNote,
    Workspace,
)


def seed_exports(session: Session) -> None:
    ws = ensure_workspace(session, slack_team_id="T1")
    team = ensure_team(session, workspace=ws, name="Support")
    sync_people(session, workspace=ws, users=[DirectoryUser("U1", "p", "UTC")])
    person = session.scalar(select(Person))
    assert person is not None
    customer = Customer(workspace_id=ws.id, name="Acme, Inc", name_key="acme inc")
    session.add(customer)
    session.flush()
    moment = CustomerMoment(
        workspace_id=ws.id,
        customer_id=customer.id,
        person_id=person.id,
        team_id=team.id,
        happened_on=WEEK,
        week_start=WEEK,
        touchpoint="support",
        outcome="win",
        what_happened='Fixed "it", fast',
        backstory="Launch week",
        csat=5,
        sentiment=0.5,
        would_tell_story=True,
    )
    session.add(moment)
    session.flush()
    celebration = Celebration(
        workspace_id=ws.id,
        celebrated_by="U9",
        team_id=team.id,
        reason="Saved the launch",
        moment_id=moment.id,
        channel_id="C1",
        week_start=WEEK,
        created_at=NOW,
    )
    celebration.recipients = [
        CelebrationRecipient(slack_user_id="U1"),
        CelebrationRecipient(slack_user_id="U2"),
    ]
    celebration.values = [CelebrationValue(value="ownership")]
    session.add(celebration)
    seed_answers(session, ws, team.id, ["U1"], WEEK)
    session.flush()


SECRET = "test-secret"


WEEK = date(2026, 3, 2)


NOW = datetime(2026, 3, 12, 9, tzinfo=UTC)


def seed_answers(
    session: Session,
    ws: Workspace,
    team_id: int | None,
    users: list[str],
    day: date,
    note_by: str | None = None,
) -> None:
    for user in users:
        common = {
            "workspace_id": ws.id,
            "respondent_key": respondent_key(SECRET, ws.slack_team_id, user, day=day),
            "team_id": team_id,
            "pulse_date": day,
            "week_start": day - timedelta(days=day.weekday()),
        }
        session.add(PulseAnswer(score=4, **common))
        session.add(PulseExtraAnswer(question_key="enps", value=9, **common))
        if note_by in (user, "*"):
            session.add(PulseNote(text=f"note by someone on {day}", **common))
    session.flush()
