"""Team-week aggregates in SQL: values, the anonymity threshold, notes, both backends alike."""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.insights.teamweeks import shareable_notes, team_weeks
from models.db import make_engine, make_sessionmaker
from tests.support import flowon_data as fd
from tests.support.pgcluster import PostgresCluster

WEEK = date(2026, 3, 9)


def test_aggregates_per_team_and_week(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "support", 8)
    fd.pulse_week(session, ws, team, people, WEEK, [5, 4, 4, 3, 2, 4], days=2)
    fd.moment(session, ws, team, WEEK, "win", csat=5, sentiment=0.5)
    fd.moment(session, ws, team, WEEK + timedelta(days=1), "win", csat=4, sentiment=0.3)
    fd.moment(session, ws, team, WEEK + timedelta(days=2), "problem", csat=2, sentiment=-0.4)
    fd.moment(session, ws, team, WEEK + timedelta(days=3), "neutral")
    fd.celebration(session, ws, team, WEEK, ["teamwork"])
    session.commit()

    (row,) = team_weeks(session, workspace_id=ws.id, threshold=5)
    assert (row.team, row.week_start) == ("support", WEEK)
    assert row.respondents == 6
    assert row.mean_mood == pytest.approx(22 / 6)
    assert row.participation == pytest.approx(6 / 8)
    assert (row.moments, row.wins, row.problems) == (4, 2, 1)
    assert row.win_share == pytest.approx(0.5)
    assert row.mean_csat == pytest.approx(11 / 3)
    assert row.mean_sentiment == pytest.approx(0.1)
    assert row.celebrations == 1


@pytest.mark.parametrize(("answered", "shown"), [(4, False), (5, True)])
def test_mood_needs_the_threshold_of_distinct_respondents(
    session: Session, answered: int, shown: bool
) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "small", answered)
    # Many answers from few people still count as few people.
    fd.pulse_week(session, ws, team, people, WEEK, [4] * answered, days=5)
    fd.moment(session, ws, team, WEEK, "win")
    session.commit()
    (row,) = team_weeks(session, workspace_id=ws.id, threshold=5)
    assert (row.mean_mood is not None) is shown
    assert (row.respondents is not None) is shown
    assert (row.participation is not None) is shown
    assert row.win_share == 1.0  # outcomes are not about people's answers
    (whole,) = team_weeks(session, workspace_id=ws.id, threshold=5, by_team=False)
    assert (whole.mean_mood is not None) is shown


def test_threshold_is_never_below_three(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "pair", 2)
    fd.pulse_week(session, ws, team, people, WEEK, [5, 5])
    session.commit()
    (row,) = team_weeks(session, workspace_id=ws.id, threshold=1)
    assert row.mean_mood is None


def test_scoped_to_workspace_team_and_weeks(session: Session) -> None:
    ws = fd.workspace(session)
    other = fd.workspace(session, "T0OTHER")
    team, people = fd.team_with_people(session, ws, "a", 5)
    team_b, people_b = fd.team_with_people(session, ws, "b", 5)
    other_team, other_people = fd.team_with_people(session, other, "a", 5)
    for week in (WEEK, WEEK + timedelta(weeks=1)):
        fd.pulse_week(session, ws, team, people, week, [3] * 5)
        fd.pulse_week(session, ws, team_b, people_b, week, [5] * 5)
        fd.pulse_week(session, other, other_team, other_people, week, [1] * 5)
    session.commit()
    rows = team_weeks(session, workspace_id=ws.id, threshold=5)
    assert [(r.team, r.week_start, r.mean_mood) for r in rows] == [
        ("a", WEEK, 3.0),
        ("b", WEEK, 5.0),
        ("a", WEEK + timedelta(weeks=1), 3.0),
        ("b", WEEK + timedelta(weeks=1), 5.0),
    ]
    only = team_weeks(
        session, workspace_id=ws.id, threshold=5, team_id=team_b.id, since=WEEK, until=WEEK
    )
    assert [(r.team, r.mean_mood) for r in only] == [("b", 5.0)]
    whole = team_weeks(session, workspace_id=ws.id, threshold=5, by_team=False)
    assert [(r.respondents, r.mean_mood) for r in whole] == [(10, 4.0), (10, 4.0)]


def test_notes_only_when_enough_people_wrote_and_without_dates(session: Session) -> None:
    ws = fd.workspace(session)
    team, people = fd.team_with_people(session, ws, "support", 6)
    for i, person in enumerate(people[:4]):
        fd.note(session, ws, team, person, WEEK + timedelta(days=i % 3), f"note {i}")
    session.commit()
    args = {"workspace_id": ws.id, "week_start": WEEK, "threshold": 5, "team_id": team.id}
    assert shareable_notes(session, **args) is None
    fd.note(session, ws, team, people[4], WEEK, "<!channel> zebra")
    session.commit()
    notes = shareable_notes(session, **args)
    assert notes is not None
    assert set(notes) == {"note 0", "note 1", "note 2", "note 3", "<!channel> zebra"}
    assert all(isinstance(n, str) for n in notes)


def _seed_random(session: Session) -> int:
    rng = random.Random(11)
    ws = fd.workspace(session)
    for t in range(4):
        size = rng.randint(3, 9)
        team, people = fd.team_with_people(session, ws, f"team{t}", size)
        for w in range(5):
            week = WEEK + timedelta(weeks=w)
            answered = rng.randint(0, size)
            fd.pulse_week(
                session,
                ws,
                team,
                people,
                week,
                [rng.randint(1, 5) for _ in range(answered)],
                days=rng.randint(1, 3),
            )
            for _ in range(rng.randint(0, 4)):
                fd.moment(
                    session,
                    ws,
                    team,
                    week + timedelta(days=rng.randint(0, 6)),
                    rng.choice(["win", "neutral", "problem"]),
                    csat=rng.choice([None, 1, 3, 5]),
                    sentiment=rng.uniform(-1, 1),
                    what=f"m{rng.random()}",
                )
            if rng.random() < 0.5:
                fd.celebration(session, ws, team, week, ["teamwork"])
    session.commit()
    return ws.id


def _snapshot(url: str) -> list[tuple[object, ...]]:
    engine = make_engine(url, pooled=False)
    try:
        with make_sessionmaker(engine)() as session:
            ws_id = _seed_random(session)
            rows = team_weeks(session, workspace_id=ws_id, threshold=5)
            rows += team_weeks(session, workspace_id=ws_id, threshold=5, by_team=False)
    finally:
        engine.dispose()
    return [
        tuple(round(v, 9) if isinstance(v, float) else v for v in vars(r).values()) for r in rows
    ]


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_identical_aggregates(
    tmp_path: Path, request: pytest.FixtureRequest, pg_cluster: PostgresCluster
) -> None:
    path = tmp_path / "same.sqlite3"
    shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
    name = pg_cluster.unique_name("same")
    pg_url = pg_cluster.create_database(name, template=request.getfixturevalue("_pg_template"))
    try:
        lite, pg = _snapshot(f"sqlite:///{path}"), _snapshot(pg_url)
    finally:
        pg_cluster.drop_database(name)
    assert len(lite) > 20
    assert lite == pg
