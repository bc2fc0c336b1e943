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
    engine = make_engine(url, pooled=False)
    try:
        with Session(engine) as session:
            rows = session.scalars(select(CustomerMoment)).all()
            return {m.outcome: m.sentiment for m in rows}
    finally:
        engine.dispose()


def test_existing_moments_are_rescored_once_and_for_all(db_url: str) -> None:
    config = alembic_config(db_url)
    revision = ScriptDirectory.from_config(config).get_revision(REVISION)
    assert revision is not None
    previous = str(revision.down_revision)
    command.downgrade(config, previous)
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
