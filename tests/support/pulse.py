"""Pulse test data: a seeded team, claimed and sent pulses, and the time pulses go out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.pulse.schedule import DuePulse, due_pulses
from bot.pulse.store import Claim, SendOutcome, claim_pulses, record_outcomes
from bot.workspace.config import WorkspaceConfig, defaults_from_settings
from bot.workspace.store import DirectoryUser, ensure_workspace, sync_people
from models import (
    Person,
    PulseSend,
    Workspace,
)

SECRET = "KkH9I2rkHH0prj2MVbqEHUPIoyx1EYG6fJ522lOxOuE"
TEAM = "T0TEST"
MONDAY_10_LONDON = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


def config(**changes: object) -> WorkspaceConfig:
    base = defaults_from_settings(Settings(cxpulse_secret=SECRET))
    return base if not changes else WorkspaceConfig(**{**base.__dict__, **changes})


def seed(session: Session, *users: tuple[str, str]) -> dict[str, Person]:
    ws = ensure_workspace(session, slack_team_id=TEAM, name="Test")
    sync_people(
        session, workspace=ws, users=[DirectoryUser(uid, uid.lower(), tz) for uid, tz in users]
    )
    session.commit()
    return {p.slack_user_id: p for p in session.scalars(select(Person))}


def claim_due(
    session: Session,
    ws: Workspace,
    due: Sequence[DuePulse],
    now: datetime,
    worker: str,
    leads: frozenset[str] = frozenset(),
) -> list[Claim]:
    """``worker`` claims ``due`` with the default config: the claims it won."""
    return claim_pulses(
        session,
        workspace=ws,
        config=config(),
        due=due,
        leads=leads,
        now=now,
        worker=worker,
        secret=SECRET,
    )


def claim_now(session: Session, now: datetime, worker: str = "w1") -> list[int]:
    ws = ensure_workspace(session, slack_team_id=TEAM)
    due = due_pulses(session, workspace=ws, config=config(), now=now)
    claims = claim_due(session, ws, due, now, worker)
    session.commit()
    return [c.send_id for c in claims]


def mark_all_sent(session: Session, now: datetime) -> None:
    sends = session.scalars(select(PulseSend).where(PulseSend.status == "claimed")).all()
    outcomes = [SendOutcome(s.id, s.person_id, "D1", f"1.{s.id}") for s in sends]
    record_outcomes(session, outcomes=outcomes, now=now)
    session.commit()


# Monday 2 March 2026, 10:00 in London (GMT).
PULSE_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
