"""Migration 0022_lead_chart_language: a chart stored before is kept, as the English one, and
a second language of the same team and week can then be stored beside it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import MetaData, insert, select

from models.db import alembic_config, make_engine, upgrade
from tests.support.migrations import insert_row

WEEK = date(2026, 4, 6)
AT = datetime(2026, 4, 20, 9, tzinfo=UTC)


def _tables(url: str) -> MetaData:
    engine = make_engine(url, pooled=False)
    meta = MetaData()
    meta.reflect(engine)
    engine.dispose()
    return meta


def test_a_chart_stored_before_is_the_english_one_and_others_fit_beside_it(
    empty_db_url: str,
) -> None:
    upgrade(empty_db_url, "0021_digest_language")
    chart = dict(team_key=7, last_week=WEEK, file_id="F0OLD", alt_text="Line chart", created_at=AT)
    engine = make_engine(empty_db_url, pooled=False)
    try:
        t = _tables(empty_db_url).tables
        with engine.begin() as conn:
            conn.execute(insert_row(t["workspace"], id=1, slack_team_id="T0MIG", name="Mig"))
            conn.execute(insert(t["lead_chart"]).values(workspace_id=1, **chart))
        upgrade(empty_db_url)
        lead_chart = _tables(empty_db_url).tables["lead_chart"]
        assert [c.name for c in lead_chart.primary_key.columns] == [
            "workspace_id",
            "team_key",
            "language",
        ]
        with engine.begin() as conn:
            conn.execute(
                insert(lead_chart).values(
                    workspace_id=1, **{**chart, "file_id": "F0FR"}, language="fr"
                )
            )
            rows = conn.execute(
                select(lead_chart.c.language, lead_chart.c.file_id).order_by(lead_chart.c.language)
            ).all()
        assert rows == [("en", "F0OLD"), ("fr", "F0FR")]

        command.downgrade(alembic_config(empty_db_url), "0021_digest_language")
        old = _tables(empty_db_url).tables["lead_chart"]
        assert "language" not in old.c
        with engine.connect() as conn:
            assert conn.execute(select(old.c.file_id)).scalars().all() == ["F0OLD"]
    finally:
        engine.dispose()
