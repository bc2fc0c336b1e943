"""Customers, moment validation and logging, timelines, on real databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.customers.store import (
    closest_customers,
    customer_timeline,
    ensure_customer,
    find_customer,
    name_key,
    recent_customers,
)
from bot.moments.store import LogResult, MomentDraft, local_today, log_moment, moments_by
from bot.workspace.store import ensure_team, ensure_workspace
from models import Customer, CustomerMoment, Person, Workspace

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)  # Wednesday
TODAY = NOW.date()


def _setup(session: Session, tz: str = "UTC") -> tuple[Workspace, Person]:
    ws = ensure_workspace(session, slack_team_id="T1", name="Acme")
    team = ensure_team(session, workspace=ws, name="Support")
    person = Person(workspace_id=ws.id, slack_user_id="U1", tz=tz, team_id=team.id)
    session.add(person)
    session.flush()
    return ws, person


def _draft(**kw: object) -> MomentDraft:
    base: dict[str, object] = {
        "new_customer_name": "Globex",
        "touchpoint": "support",
        "outcome": "win",
        "happened_on": TODAY.isoformat(),
        "what_happened": "Fixed their login; they were delighted",
    }
    base.update(kw)
    return MomentDraft(**base)  # type: ignore[arg-type]


def _log(
    session: Session, ws: Workspace, person: Person, now: datetime = NOW, **draft: object
) -> LogResult:
    """``person`` logs a moment: the standard draft with ``draft``'s fields changed."""
    return log_moment(session, workspace=ws, person=person, draft=_draft(**draft), now=now)


def test_name_key_ignores_case_and_spaces() -> None:
    assert name_key("  Acme   Corp ") == name_key("acmecorp") == name_key("ACME CORP")
    assert name_key("Ｇｌｏｂｅｘ") == name_key("globex")  # full-width letters
    assert name_key("   ") == ""


def test_customers_match_per_workspace(session: Session) -> None:
    with session.begin():
        one = ensure_workspace(session, slack_team_id="T1")
        two = ensure_workspace(session, slack_team_id="T2")
        a = ensure_customer(session, workspace=one, name="Acme  Corp", now=NOW)
        again = ensure_customer(session, workspace=one, name="acme corp", now=NOW)
        other = ensure_customer(session, workspace=two, name="ACME CORP", now=NOW)
    assert a.id == again.id != other.id
    assert a.name == "Acme Corp"
    assert find_customer(session, workspace=one, name="ACMECORP") == a
    assert find_customer(session, workspace=two, name="nobody") is None


def test_a_customer_created_meanwhile_by_someone_else_is_reused(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two people log the first moment for one new customer at once: one customer, no error."""
    from bot.customers import store as customers

    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
    real_find = customers.find_customer
    looks: list[str] = []

    def find_then_lose_the_race(session: Session, *, workspace: Workspace, name: str) -> object:
        looks.append(name)
        if len(looks) == 1:  # we looked first and saw nothing; then the other person saved it
            other = Session(session.get_bind())
            with other.begin():
                other.add(Customer(workspace_id=ws.id, name="Globex", name_key="globex"))
            other.close()
            return None
        return real_find(session, workspace=workspace, name=name)

    monkeypatch.setattr(customers, "find_customer", find_then_lose_the_race)
    with session.begin():
        mine = ensure_customer(session, workspace=ws, name="globex ", now=NOW)
    assert mine.name == "Globex"  # the other person's row, as they typed it
    total = session.scalar(select(func.count()).select_from(Customer))
    assert total == 1


def test_closest_customers_suggests_similar_names(session: Session) -> None:
    with session.begin():
        ws = ensure_workspace(session, slack_team_id="T1")
        for name in ("Acme Corp", "Acme Ltd", "Globex", "Initech"):
            ensure_customer(session, workspace=ws, name=name, now=NOW)
    names = [c.name for c in closest_customers(session, workspace=ws, name="acme")]
    assert set(names) == {"Acme Corp", "Acme Ltd"}
    assert [c.name for c in closest_customers(session, workspace=ws, name="Globexx")] == ["Globex"]
    assert closest_customers(session, workspace=ws, name="zzzzzz") == []


def test_log_moment_stores_everything_attributed(session: Session) -> None:
    with session.begin():
        ws, person = _setup(session)
        result = _log(
            session,
            ws,
            person,
            backstory="Their launch was tomorrow",
            csat="5",
            followup_on=(TODAY + timedelta(days=7)).isoformat(),
            would_tell_story=True,
            source="shortcut",
            source_permalink="https://x.slack.com/archives/C1/p1",
        )
    assert result.errors == {}
    moment = session.scalars(select(CustomerMoment)).one()
    assert (moment.person_id, moment.team_id) == (person.id, person.team_id)
    assert moment.customer.name == "Globex"
    assert moment.week_start == date(2026, 3, 2)
    assert (moment.csat, moment.would_tell_story, moment.source) == (5, True, "shortcut")
    assert moment.sentiment > 0.15
    assert moment.followup_on == TODAY + timedelta(days=7)
    assert moment.created_at == NOW


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"new_customer_name": "  "}, "new_customer"),
        ({"new_customer_name": "x" * 81}, "new_customer"),
        ({"customer_id": "999999"}, "customer"),
        ({"customer_id": "99999999999999999999"}, "customer"),
        ({"touchpoint": "carrier pigeon"}, "touchpoint"),
        ({"touchpoint": None}, "touchpoint"),
        ({"outcome": "meh"}, "outcome"),
        ({"happened_on": None}, "happened_on"),
        ({"happened_on": "not-a-date"}, "happened_on"),
        ({"happened_on": (TODAY + timedelta(days=1)).isoformat()}, "happened_on"),
        ({"happened_on": (TODAY - timedelta(days=91)).isoformat()}, "happened_on"),
        ({"what_happened": "   \n "}, "what_happened"),
        ({"what_happened": "x" * 3001}, "what_happened"),
        ({"backstory": "y" * 3001}, "backstory"),
        ({"csat": "0"}, "csat"),
        ({"csat": "6"}, "csat"),
        ({"csat": "4.5"}, "csat"),
        ({"csat": "-1"}, "csat"),
        ({"followup_on": (TODAY - timedelta(days=1)).isoformat()}, "followup_on"),
        ({"followup_on": "2026-02-30"}, "followup_on"),
    ],
)
def test_each_invalid_field_is_reported_and_nothing_saved(
    session: Session, changes: dict[str, object], field: str
) -> None:
    with session.begin():
        ws, person = _setup(session)
        result = _log(session, ws, person, **changes)
    assert set(result.errors) == {field}
    assert result.moment is None
    assert session.scalar(select(func.count()).select_from(CustomerMoment)) == 0
    assert session.scalar(select(func.count()).select_from(Customer)) == 0


def test_limits_are_inclusive(session: Session) -> None:
    with session.begin():
        ws, person = _setup(session)
        result = _log(
            session,
            ws,
            person,
            happened_on=(TODAY - timedelta(days=90)).isoformat(),
            followup_on=TODAY.isoformat(),
            what_happened="w" * 3000,
            backstory="b" * 3000,
            csat="1",
            new_customer_name="n" * 80,
        )
    assert result.errors == {}


def test_today_is_the_loggers_local_date(session: Session) -> None:
    # 15:00 UTC on the 4th is already the 5th in Auckland: the 5th is not "the future".
    with session.begin():
        ws, person = _setup(session, tz="Pacific/Auckland")
        assert local_today(person.tz, NOW) == date(2026, 3, 5)
        result = _log(session, ws, person, happened_on="2026-03-05")
    assert result.errors == {}
    assert local_today("Not/AZone", NOW) == TODAY


def test_both_picked_and_typed_must_agree(session: Session) -> None:
    with session.begin():
        ws, person = _setup(session)
        globex = ensure_customer(session, workspace=ws, name="Globex", now=NOW)
        same = _log(session, ws, person, customer_id=str(globex.id), new_customer_name="GLOBEX")
        differ = _log(session, ws, person, customer_id=str(globex.id), new_customer_name="Initech")
    assert same.errors == {}
    assert set(differ.errors) == {"new_customer"}


def test_customer_of_another_workspace_is_refused(session: Session) -> None:
    with session.begin():
        ws, person = _setup(session)
        other = ensure_workspace(session, slack_team_id="T2")
        theirs = ensure_customer(session, workspace=other, name="Secret", now=NOW)
        result = _log(session, ws, person, customer_id=str(theirs.id), new_customer_name="")
    assert set(result.errors) == {"customer"}


def test_timeline_is_newest_first_and_paged(session: Session) -> None:
    with session.begin():
        ws, person = _setup(session)
        for day, outcome, csat in [(1, "win", "5"), (3, "problem", "2"), (2, "neutral", None)]:
            _log(
                session,
                ws,
                person,
                happened_on=date(2026, 3, day).isoformat(),
                outcome=outcome,
                csat=csat,
                what_happened=f"day {day}",
                would_tell_story=day == 1,
            )
    customer = session.scalars(select(Customer)).one()
    first = customer_timeline(session, customer=customer, limit=2)
    assert [e.what_happened for e in first.entries] == ["day 3", "day 2"]
    assert first.next_offset == 2
    assert first.total == 3
    assert first.outcomes == {"win": 1, "neutral": 1, "problem": 1}
    assert first.mean_csat == pytest.approx(3.5)
    assert first.would_tell == 1
    assert first.entries[0].logged_by == "U1"
    assert first.entries[0].team_name == "Support"
    second = customer_timeline(session, customer=customer, offset=2, limit=2)
    assert [e.what_happened for e in second.entries] == ["day 1"]
    assert second.next_offset is None


def test_recent_customers_and_own_moments_newest_first(session: Session) -> None:
    with session.begin():
        ws, person = _setup(session)
        for i, name in enumerate(["Old", "Middle", "Fresh"]):
            _log(
                session,
                ws,
                person,
                new_customer_name=name,
                what_happened=name,
                now=NOW + timedelta(minutes=i),
            )
        ensure_customer(session, workspace=ws, name="Never logged", now=NOW - timedelta(days=9))
    assert [c.name for c in recent_customers(session, workspace=ws)] == [
        "Fresh",
        "Middle",
        "Old",
        "Never logged",
    ]
    assert [m.what_happened for m in moments_by(session, person=person, limit=2)] == [
        "Fresh",
        "Middle",
    ]
