"""Seeding pulse answers and notes straight into the database (pulse DMs are another feature)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.weeks import week_start
from bot.pulse.anonymity import respondent_key
from models import (
    Person,
    PulseAnswer,
    PulseNote,
    Workspace,
)


def seed_week(
    session: Session,
    *,
    secret: str,
    team_id: str,
    users: list[str],
    week_start: date,
    notes: dict[str, str] | None = None,
) -> None:
    """Answers (score 3) on ``week_start`` for ``users`` and notes by some, keyed like the app."""
    ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
    assert ws is not None, f"run sync-users for {team_id} first"
    for user in users:
        person = session.scalar(
            select(Person).where(Person.workspace_id == ws.id, Person.slack_user_id == user)
        )
        key = respondent_key(secret, team_id, user, day=week_start)
        common = {
            "workspace_id": ws.id,
            "respondent_key": key,
            "team_id": person.team_id if person else None,
            "pulse_date": week_start,
            "week_start": week_start,
        }
        session.add(PulseAnswer(score=3, **common))
        if notes and user in notes:
            session.add(PulseNote(text=notes[user], **common))
    session.flush()


def last_week(today: date) -> date:
    """The Monday of the week before ``today``'s."""
    return week_start(today) - timedelta(weeks=1)
