"""Migration 0016_send_flags moves "reminded" and "skipped" off the send rows, keeping them.

A database at 0009 with an open pulse that was reminded and one that was skipped today
is upgraded: the send rows no longer say either, yet the app (holding the secret) still
finds both, so nobody is reminded twice and the skipped day stays skipped.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from bot.pulse.anonymity import REMINDED, SKIPPED, flagged, send_flag_trace
from models.db import make_engine, upgrade
from tests.support.migrations import assert_upgrade_needs_the_secret, insert_row

SECRET = "migration-secret-0016"
TEAM = "T0MIG"
DAY = date(2026, 3, 2)
AT = datetime.combine(DAY, time(10), tzinfo=UTC)


def _seed_0009(url: str) -> None:
    engine = make_engine(url, pooled=False)
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as conn:
        conn.execute(insert_row(t["workspace"], id=1, slack_team_id=TEAM, name="Mig"))
        for pid, user in ((1, "UANN"), (2, "UBO"), (3, "UCY")):
            conn.execute(
                insert_row(
                    t["person"],
                    id=pid,
                    workspace_id=1,
                    slack_user_id=user,
                    display_name=user,
                    active=True,
                )
            )
        common = {
            "workspace_id": 1,
            "pulse_date": DAY,
            "week_start": DAY,
            "scheduled_for": AT,
            "sent_at": AT,
            "claimed_at": AT,
            "attempts": 1,
        }
        conn.execute(
            insert_row(
                t["pulse_send"],
                person_id=1,
                status="sent",
                reminder_sent_at=AT,
                reminder_ts="9.1",
                **common,
            )
        )
        conn.execute(
            insert_row(t["pulse_send"], person_id=2, status="skipped", error="skip_today", **common)
        )
        conn.execute(insert_row(t["pulse_send"], person_id=3, status="sent", **common))
    engine.dispose()


def test_open_flags_are_carried_over_under_keyed_traces(
    empty_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(empty_db_url, "0009_privacy")
    _seed_0009(empty_db_url)
    monkeypatch.setenv("CXPULSE_SECRET", SECRET)
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url, pooled=False)
    meta = MetaData()
    meta.reflect(engine)
    try:
        sends = meta.tables["pulse_send"]
        assert not {"reminder_sent_at", "reminder_ts"} & set(sends.c.keys())
        with engine.connect() as conn:
            rows = conn.execute(select(sends.c.status, sends.c.error)).all()
            assert sorted(rows) == [("sent", None)] * 3  # the rows cannot tell them apart
            flags = conn.execute(select(meta.tables["pulse_send_flag"])).mappings().all()
            assert {f["pulse_date"] for f in flags} == {DAY}
        with Session(engine) as session:
            expected = {
                send_flag_trace(SECRET, TEAM, "UANN", day=DAY, kind=REMINDED),
                send_flag_trace(SECRET, TEAM, "UBO", day=DAY, kind=SKIPPED),
            }
            others = {
                send_flag_trace(SECRET, TEAM, user, day=DAY, kind=kind)
                for user in ("UANN", "UBO", "UCY")
                for kind in (REMINDED, SKIPPED)
            } - expected
            assert flagged(session, expected | others) == expected
    finally:
        engine.dispose()


def test_the_migration_says_which_secret_it_needs(
    empty_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_upgrade_needs_the_secret(empty_db_url, "0009_privacy", _seed_0009, monkeypatch)
