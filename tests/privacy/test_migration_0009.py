"""Migration 0009_privacy carries existing data over without losing what people can see.

A database at 0008 with answers under the old never-changing key, a note a lead
replied to, an eNPS answer, send rows with their details and a clear-text bot token is
upgraded: each person still finds their own answers (App Home), the reply still points
at its note, the monthly answer is kept at month precision, old send details are gone,
and the token is encrypted.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, time

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import MetaData, select

from bot.pulse.anonymity import monthly_key, week_keys
from bot.pulse.answers import scores_since
from bot.workspace.tokens import TokenCipher, parse_keys
from models.db import make_engine, make_sessionmaker, upgrade
from tests.support.migrations import assert_upgrade_needs_the_secret, insert_row

SECRET = "l9sJfnkZhzXaQrJfASh1tZ8222Eta2Fj2uJblHDqOoU"
TEAM = "T0MIG"
DAYS = [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 10)]  # two ISO weeks


def _old_key(user: str) -> str:
    return hmac.new(SECRET.encode(), f"{TEAM}:{user}".encode(), hashlib.sha256).hexdigest()


def _seed_0008(url: str) -> None:
    engine = make_engine(url, pooled=False)
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    noon = datetime(2026, 3, 2, 12, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert_row(t["workspace"], id=1, slack_team_id=TEAM, name="Mig"))
        conn.execute(insert_row(t["team"], id=1, workspace_id=1, name="Support"))
        for pid, user in ((1, "UANN"), (2, "UBO")):
            conn.execute(
                insert_row(
                    t["person"],
                    id=pid,
                    workspace_id=1,
                    slack_user_id=user,
                    display_name=user,
                    team_id=1,
                )
            )
        for i, day in enumerate(DAYS):
            for pid, user, score in ((1, "UANN", 2), (2, "UBO", 5)):
                common = {
                    "workspace_id": 1,
                    "respondent_key": _old_key(user),
                    "team_id": 1,
                    "pulse_date": day,
                    "week_start": day,
                }
                conn.execute(insert_row(t["pulse_answer"], score=score, answered_at=noon, **common))
                conn.execute(
                    insert_row(
                        t["pulse_send"],
                        workspace_id=1,
                        person_id=pid,
                        team_id=1,
                        pulse_date=day,
                        week_start=day,
                        scheduled_for=datetime.combine(day, time(10), tzinfo=UTC),
                        status="sent",
                        sent_at=datetime.combine(day, time(10), tzinfo=UTC),
                        channel_id=f"D{pid}",
                        message_ts=f"{i}.{pid}",
                        question_key="enps" if i == 0 else None,
                        claimed_at=noon,
                    )
                )
        note = {"workspace_id": 1, "respondent_key": _old_key("UANN"), "team_id": 1}
        conn.execute(
            insert_row(
                t["pulse_note"],
                id=7,
                pulse_date=DAYS[0],
                week_start=DAYS[0],
                text="rota",
                created_at=noon,
                **note,
            )
        )
        conn.execute(
            insert_row(t["note_reply"], id=1, workspace_id=1, note_id=7, lead_user_id="ULEAD")
        )
        conn.execute(
            insert_row(
                t["pulse_extra_answer"],
                pulse_date=DAYS[1],
                week_start=DAYS[0],
                question_key="enps",
                value=9,
                answered_at=noon,
                **note,
            )
        )
        conn.execute(
            insert_row(
                t["slack_bots"],
                client_id="1.2",
                app_id="A1",
                team_id=TEAM,
                bot_token="xoxb-clear-text-token",
                bot_id="B1",
                bot_user_id="UB",
                installed_at=noon,
            )
        )
    engine.dispose()


def test_existing_data_is_migrated_keeping_what_people_see(
    empty_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(empty_db_url, "0008_rollup")
    _seed_0008(empty_db_url)
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("CXPULSE_SECRET", SECRET)
    monkeypatch.setenv("CXPULSE_TOKEN_KEY", key)
    upgrade(empty_db_url)

    engine = make_engine(empty_db_url, pooled=False)
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    try:
        with make_sessionmaker(engine)() as session:
            for user, score in (("UANN", 2), ("UBO", 5)):
                keys = week_keys(SECRET, TEAM, user, since=DAYS[0], until=DAYS[-1])
                assert scores_since(session, keys=keys, since=DAYS[0]) == dict.fromkeys(DAYS, score)
        with engine.connect() as conn:
            answers = conn.execute(select(t["pulse_answer"])).mappings().all()
            assert len({a["respondent_key"] for a in answers}) == 4  # 2 people × 2 weeks
            assert "answered_at" not in answers[0]
            (note,) = conn.execute(select(t["pulse_note"])).mappings().all()
            (reply,) = conn.execute(select(t["note_reply"])).mappings().all()
            assert reply["note_id"] == note["id"] != 7
            (enps,) = conn.execute(select(t["pulse_extra_answer"])).mappings().all()
            assert enps["pulse_date"] == date(2026, 3, 1)
            assert enps["respondent_key"] == monthly_key(SECRET, TEAM, "UANN", day=DAYS[0])
            sends = conn.execute(select(t["pulse_send"])).mappings().all()
            assert {s["status"] for s in sends} == {"closed"}
            assert {s["channel_id"] for s in sends} == {None}
            assert {s["sent_at"] for s in sends} == {None}
            (stored,) = conn.execute(select(t["slack_bots"].c.bot_token)).scalars().all()
            assert "xoxb" not in stored
            assert TokenCipher(parse_keys(key)).open(stored) == "xoxb-clear-text-token"
    finally:
        engine.dispose()


def test_the_migration_says_which_secret_it_needs(
    empty_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_upgrade_needs_the_secret(empty_db_url, "0008_rollup", _seed_0008, monkeypatch)
