"""A database made by the previous release, with data in it, upgrades to this one's head.

The previous release's migrations end at 0009_privacy (main at 55092de). Rows are written
at that revision with plain SQL, as that release's code stored them; after the upgrade the
app's own services must read them back: the team's week, one person's answers, moments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, text

from bot.config import Settings
from bot.insights.export import EXPORTS
from bot.insights.reports import load_team_weeks
from bot.pulse.anonymity import respondent_key
from bot.workspace.person_export import person_record
from bot.workspace.retention import erase_person
from bot.workspace.store import DirectoryUser, sync_people
from models import Person, Workspace
from models.db import current_revision, make_engine, make_sessionmaker, upgrade

PREVIOUS_RELEASE_HEAD = "0009_privacy"
SECRET = "previous-release-secret"
TEAM = "T0PREV"
MONDAY = date(2026, 11, 9)
SCORES = {"U01": 5, "U02": 4, "U03": 4, "U04": 3, "U05": 2, "U06": 3}  # mean 3.5


def _seed_previous_release(url: str) -> None:
    engine = make_engine(url, pooled=False)
    now = "2026-11-20 09:00:00+00:00"
    with engine.begin() as conn:
        ws = conn.execute(
            text(
                "INSERT INTO workspace (slack_team_id, name, created_at, active) "
                "VALUES (:team, 'Prev Co', :now, true) RETURNING id"
            ),
            {"team": TEAM, "now": now},
        ).scalar_one()
        team = conn.execute(
            text("INSERT INTO team (workspace_id, name) VALUES (:ws, 'Support') RETURNING id"),
            {"ws": ws},
        ).scalar_one()
        ids = {"ws": ws, "team": team}
        person = 0
        for n, (user, score) in enumerate(SCORES.items(), start=1):
            person = conn.execute(
                text(
                    "INSERT INTO person (workspace_id, slack_user_id, display_name, tz, "
                    "email, is_admin, team_id, active, updated_at) VALUES (:ws, :user, "
                    ":name, 'Europe/London', :email, false, :team, true, :now) RETURNING id"
                ),
                {"user": user, "name": f"p{n}", "email": f"{user.lower()}@prev.co", "now": now}
                | ids,
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO pulse_send (workspace_id, person_id, team_id, pulse_date, "
                    "week_start, status, attempts) VALUES (:ws, :id, :team, :day, :day, "
                    "'closed', 1)"
                ),
                {"id": person, "day": MONDAY} | ids,
            )
            conn.execute(
                text(
                    "INSERT INTO pulse_answer (id, workspace_id, respondent_key, team_id, "
                    "pulse_date, week_start, score, sealed) "
                    "VALUES (:id, :ws, :key, :team, :day, :day, :score, true)"
                ),
                {
                    "id": 7_000_000_000 + n * 7919,
                    "key": respondent_key(SECRET, TEAM, user, day=MONDAY),
                    "day": MONDAY,
                    "score": score,
                }
                | ids,
            )
        conn.execute(
            text(
                "INSERT INTO pulse_preference (person_id, opted_out, paused_until, updated_at) "
                "VALUES (:id, false, :until, :now)"
            ),
            {"id": person, "until": MONDAY + timedelta(days=60), "now": now},
        )
        customer = conn.execute(
            text(
                "INSERT INTO customer (workspace_id, name, name_key, created_at) "
                "VALUES (:ws, 'Acme Ltd', 'acme ltd', :now) RETURNING id"
            ),
            {"now": now} | ids,
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO customer_moment (workspace_id, customer_id, person_id, team_id, "
                "happened_on, week_start, touchpoint, outcome, what_happened, backstory, csat, "
                "sentiment, would_tell_story, source, created_at) VALUES (:ws, :customer, :person, "
                ":team, :day, "
                ":day, 'support', 'win', 'Refund sorted within the hour', 'Billed twice', 5, "
                "0.6, false, 'command', :now)"
            ),
            {"day": MONDAY, "now": now, "customer": customer, "person": person} | ids,
        )
    engine.dispose()


def test_previous_release_database_upgrades_with_its_data(empty_db_url: str) -> None:
    url = empty_db_url
    upgrade(url, PREVIOUS_RELEASE_HEAD)
    _seed_previous_release(url)

    result = upgrade(url)
    assert result.before == PREVIOUS_RELEASE_HEAD
    assert result.after != PREVIOUS_RELEASE_HEAD
    assert current_revision(url) == result.after

    settings = Settings(database_url=url, cxpulse_secret=SECRET)
    engine = make_engine(url, pooled=False)
    try:
        with make_sessionmaker(engine)() as session:
            rows, _ = load_team_weeks(
                session,
                settings,
                TEAM,
                now=datetime.combine(MONDAY + timedelta(days=14), time(12), UTC),
            )
            week = next(r for r in rows if r.week_start == MONDAY)
            assert (week.team, week.respondents) == ("Support", 6)
            assert week.mean_mood is not None
            assert round(week.mean_mood, 3) == 3.5
            assert week.participation == 1.0

            moments = EXPORTS["moments"][0](session, slack_team_id=TEAM)
            assert [m["what_happened"] for m in moments] == ["Refund sorted within the hour"]

            ws = session.scalars(select(Workspace)).one()
            p5 = session.scalars(select(Person).where(Person.slack_user_id == "U05")).one()
            p6 = session.scalars(select(Person).where(Person.slack_user_id == "U06")).one()
            today = MONDAY + timedelta(days=20)
            record = person_record(session, secret=SECRET, workspace=ws, person=p5, today=today)
            assert record["pulse_answers"] == [{"day": MONDAY.isoformat(), "score": 2}]
            record = person_record(session, secret=SECRET, workspace=ws, person=p6, today=today)
            assert record["pulse_preferences"]["paused_until"] == "2027-01-08"

            # This release's erasure works on the old rows, and the sync honours it.
            now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
            erase_person(session, secret=SECRET, workspace=ws, person=p5, today=today, now=now)
            session.commit()
            directory = [DirectoryUser(u, u, "Europe/London") for u in SCORES]
            report = sync_people(session, workspace=ws, users=directory, secret=SECRET)
            session.commit()
            assert report.added == 0
            assert report.skipped == 1
    finally:
        engine.dispose()
