"""Migration 0012 re-scores stored moments, so the digest and the flow-on use one scale."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.moments.sentiment import story_sentiment, textblob_sentiment
from models import CustomerMoment
from models.db import alembic_config, make_engine, upgrade
from tests.support import flowon_data as fd

REVISION = "0012_sentiment_rescore"
STORIES = {
    "win": "Not a single complaint after the switch; they thanked the whole team.",
    "problem": "They were furious: the outage cost them a day of orders.",
    "neutral": "Asked for an invoice copy; sent it over.",
}


def _scores(url: str) -> dict[str, float]:
    # Read with the table's own columns: the model has columns later migrations add.
    table = CustomerMoment.__table__
    engine = make_engine(url, pooled=False)
    try:
        with Session(engine) as session:
            rows = session.execute(select(table.c.outcome, table.c.sentiment)).all()
            return {outcome: sentiment for outcome, sentiment in rows}
    finally:
        engine.dispose()


def test_existing_moments_are_rescored_once_and_for_all(db_url: str) -> None:
    config = alembic_config(db_url)
    revision = ScriptDirectory.from_config(config).get_revision(REVISION)
    assert revision is not None
    previous = str(revision.down_revision)
    # Stored at head (the model's columns), then taken back before 0012: its downgrade
    # puts back the previous release's score, TextBlob's tempered polarity.
    engine = make_engine(db_url, pooled=False)
    try:
        with Session(engine) as session, session.begin():
            ws = fd.workspace(session)
            team = fd.ensure_team(session, workspace=ws, name="Support")
            for outcome, text in STORIES.items():
                # Stored as the previous release did: TextBlob's tempered polarity.
                fd.moment(
                    session,
                    ws,
                    team,
                    date(2026, 3, 2),
                    outcome,
                    what=text,
                    sentiment=textblob_sentiment(text),
                )
    finally:
        engine.dispose()
    command.downgrade(config, previous)
    before = _scores(db_url)
    assert before["win"] < 0.15  # the old scale called this win neutral at best

    upgrade(db_url)
    after = _scores(db_url)
    assert after == {o: story_sentiment(t) for o, t in STORIES.items()}
    assert after["win"] > 0.15 > -0.15 > after["problem"]

    upgrade(db_url)  # already at head: nothing changes
    assert _scores(db_url) == after
    command.downgrade(config, previous)  # back to the old scale, then forward again
    assert _scores(db_url) == before
    upgrade(db_url)
    assert _scores(db_url) == after


def test_migration_0020_unscores_stories_no_scorer_reads(db_url: str) -> None:
    """Stored 0.0 ("neutral") before, a Japanese story becomes unscored with its language."""
    japanese = "三か月続けて請求書が間違っていて、お客様は激怒しています。"
    english = STORIES["problem"]
    config = alembic_config(db_url)
    engine = make_engine(db_url, pooled=False)
    try:
        with Session(engine) as session, session.begin():
            ws = fd.workspace(session)
            team = fd.ensure_team(session, workspace=ws, name="Support")
            fd.moment(session, ws, team, date(2026, 3, 2), "problem", what=english, sentiment=-0.77)
            fd.moment(session, ws, team, date(2026, 3, 2), "win", what=japanese, sentiment=0.0)
    finally:
        engine.dispose()
    command.downgrade(config, "0019_workload")
    assert _scores(db_url) == {"problem": -0.77, "win": 0.0}  # as the previous release kept it
    upgrade(db_url)
    assert _scores(db_url) == {"problem": story_sentiment(english), "win": None}
    table = CustomerMoment.__table__
    engine = make_engine(db_url, pooled=False)
    try:
        with Session(engine) as session:
            languages = dict(session.execute(select(table.c.outcome, table.c.story_language)).all())
    finally:
        engine.dispose()
    assert languages == {"problem": "en", "win": "ja"}
    command.downgrade(config, "0019_workload")
    assert _scores(db_url)["win"] == 0.0
