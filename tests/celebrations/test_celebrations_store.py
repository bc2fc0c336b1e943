"""Storing celebrations once per request, and the weekly summary for the digest."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.celebrations.store import (
    claim_celebration,
    discard_celebration,
    linked_moment,
    parse_celebration,
    record_post,
)
from bot.workspace.store import ensure_workspace
from models import Celebration
from tests.support.celebrations import win_moment

VALUES = ("customerfirst", "ownership", "teamwork")
# Sunday 23:30 UTC is already Monday in Auckland: the week is the workspace's local one.
SUNDAY_NIGHT = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)


def _claim(session: Session, key: str, text: str, *, posted: bool = True, **kw: object) -> int:
    parsed = parse_celebration(text, company_values=VALUES)
    claimed = claim_celebration(
        session,
        slack_team_id="T1",
        celebrated_by="ULEAD",
        recipients=parsed.people,
        parsed=parsed,
        request_key=key,
        now=kw.pop("now", SUNDAY_NIGHT),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    assert claimed is not None
    if posted:
        record_post(session, celebration_id=claimed.id, channel_id="C1", message_ts=key)
    return claimed.id


def test_claim_stores_people_values_and_local_week(session: Session) -> None:
    with session.begin():
        cid = _claim(
            session, "k1", "<@U1> <@U2> for the save #teamwork", timezone="Pacific/Auckland"
        )
    celebration = session.get(Celebration, cid)
    assert celebration is not None
    assert celebration.week_start == date(2026, 3, 9)
    assert celebration.reason == "the save"
    assert sorted(r.slack_user_id for r in celebration.recipients) == ["U1", "U2"]
    assert [v.value for v in celebration.values] == ["teamwork"]
    assert celebration.channel_id == "C1"


def test_same_request_key_is_claimed_once(session: Session) -> None:
    with session.begin():
        _claim(session, "retry-me", "<@U1> for it")
    parsed = parse_celebration("<@U1> for it", company_values=VALUES)
    with session.begin():
        again = claim_celebration(
            session,
            slack_team_id="T1",
            celebrated_by="ULEAD",
            recipients=["U1"],
            parsed=parsed,
            request_key="retry-me",
            now=SUNDAY_NIGHT,
        )
    assert again is None
    assert len(session.scalars(select(Celebration)).all()) == 1


def test_request_keys_are_unique_in_the_database_too(session: Session) -> None:
    # What stops two concurrent deliveries that both passed the look-up before inserting.
    with session.begin():
        _claim(session, "race", "<@U1> for it")
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        session.add(
            Celebration(
                workspace_id=ws.id,
                celebrated_by="ULEAD",
                reason="x",
                request_key="race",
                week_start=date(2026, 3, 2),
            )
        )
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_discard_forgets_an_unposted_claim(session: Session) -> None:
    with session.begin():
        cid = _claim(session, "k", "<@U1> for it", posted=False)
    with session.begin():
        discard_celebration(session, celebration_id=cid)
    assert session.scalars(select(Celebration)).all() == []


def test_linked_moment_is_scoped_to_its_workspace(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        ensure_workspace(session, slack_team_id="T2")
        moment_id = win_moment(session, ws, "U1", "ACME", "Turned the outage into a renewal")
    with session.begin():
        found = linked_moment(session, slack_team_id="T1", moment_id=moment_id)
        elsewhere = linked_moment(session, slack_team_id="T2", moment_id=moment_id)
    assert found is not None
    assert (found.customer, found.outcome, found.logged_by) == ("ACME", "win", "U1")
    assert elsewhere is None
