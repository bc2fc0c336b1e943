"""Workspace, team and person models on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from models import Person, Team, Workspace
from models.db import make_sessionmaker


def _workspace(session: Session, slack_team_id: str = "T001") -> Workspace:
    ws = Workspace(slack_team_id=slack_team_id, name="Acme")
    with session.begin():
        session.add(ws)
    return ws


def test_person_unique_per_workspace(session: Session) -> None:
    ws = _workspace(session)
    other = _workspace(session, "T002")
    with session.begin():
        session.add(Person(workspace_id=ws.id, slack_user_id="U1"))
        # The same Slack user id in another workspace is a different person.
        session.add(Person(workspace_id=other.id, slack_user_id="U1"))

    with pytest.raises(IntegrityError), session.begin():
        session.add(Person(workspace_id=ws.id, slack_user_id="U1"))

    with session.begin():
        count = len(session.scalars(select(Person).where(Person.slack_user_id == "U1")).all())
    assert count == 2


def test_team_person_relationship_and_set_null(session: Session) -> None:
    ws = _workspace(session)
    with session.begin():
        team = Team(workspace_id=ws.id, name="Support")
        session.add(team)
        session.flush()
        session.add(Person(workspace_id=ws.id, slack_user_id="U1", team_id=team.id))
    with session.begin():
        session.delete(team)
    with session.begin():
        person = session.scalars(select(Person)).one()
        session.refresh(person)
        assert person.team_id is None


def test_aware_datetimes_round_trip_as_utc(engine: Engine, session: Session) -> None:
    sydney = datetime(2024, 7, 1, 9, 30, tzinfo=ZoneInfo("Australia/Sydney"))
    ws = Workspace(slack_team_id="T001", created_at=sydney)
    with session.begin():
        session.add(ws)

    with make_sessionmaker(engine)() as fresh, fresh.begin():
        loaded = fresh.get(Workspace, ws.id)
        assert loaded is not None
        assert loaded.created_at.tzinfo is not None
        assert loaded.created_at.utcoffset() == timedelta(0)
        assert loaded.created_at == sydney  # the same instant
        assert loaded.created_at == datetime(2024, 6, 30, 23, 30, tzinfo=UTC)


def test_default_timestamps_are_aware(engine: Engine, session: Session) -> None:
    ws = _workspace(session)
    with make_sessionmaker(engine)() as fresh, fresh.begin():
        loaded = fresh.get(Workspace, ws.id)
        assert loaded is not None
        assert loaded.created_at.utcoffset() == timedelta(0)
        assert abs(datetime.now(UTC) - loaded.created_at) < timedelta(minutes=5)


def test_naive_datetimes_are_refused(session: Session) -> None:
    naive = datetime(2024, 7, 1, 9, 30)  # noqa: DTZ001 - deliberately naive
    with pytest.raises(StatementError) as info, session.begin():
        session.add(Workspace(slack_team_id="T001", created_at=naive))
    assert isinstance(info.value.orig, ValueError)
    assert "naive" in str(info.value.orig)
