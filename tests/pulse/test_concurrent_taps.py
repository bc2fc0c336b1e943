"""Taps racing in one team-day: every write re-shuffles its group, none may be lost.

Each answer's write deletes and re-inserts its team-day's rows (``bot.pulse.anonymity``).
Twelve people tapping at once, half of them changing an answer they gave earlier, must
all land once, with their last score, on SQLite and PostgreSQL (where two writers that
each hold a row the other wants to move would otherwise deadlock). A team-day larger
than ``SHUFFLE_CAP`` moves only its last stored rows and the one written, losing none.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.pulse import anonymity
from bot.pulse.answers import record_answer
from bot.workspace.store import ensure_workspace
from models import PulseAnswer, PulseSend
from models.db import make_sessionmaker
from models.upsert import upsert
from tests.support.pulse import (
    MONDAY_10_LONDON,
    SECRET,
    TEAM,
    claim_now,
    mark_all_sent,
    seed,
)

PEOPLE = 12
ROUNDS = 6


def test_racing_taps_and_changed_answers_in_one_team_day_all_land(session: Session) -> None:
    people = seed(session, *((f"U{i:02d}", "Europe/London") for i in range(PEOPLE)))
    claim_now(session, MONDAY_10_LONDON)
    mark_all_sent(session, MONDAY_10_LONDON)
    send_of = {p.slack_user_id: p.id for p in people.values()}
    sends = {s.person_id: s.id for s in session.scalars(select(PulseSend)).all()}
    now = MONDAY_10_LONDON + timedelta(minutes=5)
    earlier = sorted(send_of)[: PEOPLE // 2]
    for uid in earlier:  # these change their answer in the race
        send = session.get(PulseSend, sends[send_of[uid]])
        assert send is not None
        record_answer(
            session, secret=SECRET, team_id=TEAM, user_id=uid, send=send, score=1, now=now
        )
    session.commit()
    sessions = make_sessionmaker(session.get_bind())  # type: ignore[arg-type]
    start = threading.Barrier(PEOPLE)
    failures: list[BaseException] = []

    def tap(uid: str) -> None:
        try:
            with sessions() as mine:
                send = mine.get(PulseSend, sends[send_of[uid]])
                assert send is not None
                start.wait(timeout=10)
                for score in range(1, ROUNDS):
                    record_answer(
                        mine,
                        secret=SECRET,
                        team_id=TEAM,
                        user_id=uid,
                        send=send,
                        score=score % 5 + 1,
                        now=now,
                    )
                    mine.commit()
        except BaseException as exc:  # reported below, with the others
            failures.append(exc)

    threads = [threading.Thread(target=tap, args=(uid,)) for uid in sorted(send_of)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    session.expire_all()
    rows = session.execute(
        select(PulseAnswer.score, func.count()).group_by(PulseAnswer.score)
    ).all()
    assert rows == [((ROUNDS - 1) % 5 + 1, PEOPLE)]


def test_a_team_day_larger_than_the_cap_moves_only_its_end(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anonymity, "SHUFFLE_CAP", 4)
    ws = ensure_workspace(session, slack_team_id=TEAM, name="Test")
    session.commit()
    day = MONDAY_10_LONDON.date()
    statement = upsert(
        session, PulseAnswer, keys=("respondent_key", "pulse_date"), updates=("score",)
    )
    moved = []
    for i in range(12):
        values = {
            "workspace_id": ws.id,
            "respondent_key": f"key{i:02d}",
            "team_id": None,
            "pulse_date": day,
            "week_start": day,
            "score": i % 5 + 1,
        }
        moved.append(anonymity.write_shuffled(session, PulseAnswer, statement, values))
        session.commit()
    # Each write moved its group while it fitted, then the cap's worth and the row written.
    assert moved[:4] == [1, 2, 3, 4]
    assert all(4 <= n <= 5 for n in moved[4:])
    stored = dict(session.execute(select(PulseAnswer.respondent_key, PulseAnswer.score)).all())
    assert stored == {f"key{i:02d}": i % 5 + 1 for i in range(12)}
