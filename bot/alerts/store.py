"""Drop alerts: who leads a team, and one claimed alert per team at most every four weeks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import DropAlert, Person
from models.upsert import dialect_insert

COOLDOWN = timedelta(weeks=4)


def team_members(
    session: Session, *, workspace_id: int, team_ids: Iterable[int]
) -> dict[int, list[str]]:
    """Active people's Slack ids per team (to find each team's leads among them)."""
    ids = list(team_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Person.team_id, Person.slack_user_id)
        .where(
            Person.workspace_id == workspace_id,
            Person.team_id.in_(ids),
            Person.active.is_(True),
        )
        .order_by(Person.slack_user_id)
    )
    members: dict[int, list[str]] = {}
    for team_id, user_id in rows:
        if team_id is not None:
            members.setdefault(team_id, []).append(user_id)
    return members


def claim_alert(
    session: Session, *, workspace_id: int, team_id: int, week: date, now: datetime
) -> bool:
    """Claim the alert for ``team_id``'s ``week``; False when one went in the last four weeks."""
    recent = session.scalar(
        select(DropAlert.id).where(
            DropAlert.workspace_id == workspace_id,
            DropAlert.team_id == team_id,
            DropAlert.week_start > week - COOLDOWN,
            DropAlert.week_start <= week,
        )
    )
    if recent is not None:
        return False
    stmt = (
        dialect_insert(session, DropAlert.__table__)
        .values(workspace_id=workspace_id, team_id=team_id, week_start=week, created_at=now)
        .on_conflict_do_nothing(index_elements=["workspace_id", "team_id", "week_start"])
        .returning(DropAlert.id)
    )
    return session.execute(stmt).first() is not None


def record_told(
    session: Session, *, workspace_id: int, team_id: int, week: date, leads_told: int
) -> None:
    """How many leads the alert reached."""
    session.execute(
        update(DropAlert)
        .where(
            DropAlert.workspace_id == workspace_id,
            DropAlert.team_id == team_id,
            DropAlert.week_start == week,
        )
        .values(leads_told=leads_told)
    )
