"""What a pulse tap's write costs now that it re-shuffles its team-day, on SQLite and PostgreSQL.

Usage: python bench/tap_write.py [--quick]

For teams of 10, 50, 300 and 2,000 people (one pulse day, everyone sent; 2,000 is past
``SHUFFLE_CAP``, as a workspace without teams would be), every person taps once (the
group grows from 1 row to the team size) and then taps again (a changed answer: the
group is full). Each tap is ``record_answer`` in its own transaction, as
the app runs it. The anchor is the same upsert without the re-shuffle (the write as it
was before). Prints one JSON line per figure: median and p95 milliseconds per tap.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time as clock
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bot.core.weeks import week_start  # noqa: E402
from bot.pulse import answers  # noqa: E402
from bot.pulse.anonymity import respondent_key  # noqa: E402
from bot.workspace.store import DirectoryUser, ensure_workspace, sync_people  # noqa: E402
from models import Person, PulseAnswer, PulseSend  # noqa: E402
from models.db import make_engine, make_sessionmaker, upgrade  # noqa: E402
from models.upsert import upsert  # noqa: E402

SECRET = "bench-nE4yVq7Rk2LmX9cTz5JpW1hBd8sGf3aUo6iKt0rHxQw"  # noqa: S105 - a bench key only
TEAM = "T0BENCH"
NOW = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


def _plain_write(session: Session, *, send: PulseSend, user_id: str, score: int) -> None:
    """The anchor: the upsert alone, as a tap wrote before the re-shuffle."""
    key = respondent_key(SECRET, TEAM, user_id, day=send.pulse_date)
    session.execute(
        upsert(session, PulseAnswer, keys=("respondent_key", "pulse_date"), updates=("score",)),
        {**answers._day_row(session, send, key), "score": score},
    )


def _seed(session: Session, size: int) -> list[tuple[str, int]]:
    """A workspace of ``size`` people in one team (no team id), each sent today's pulse."""
    ws = ensure_workspace(session, slack_team_id=TEAM, name="Bench")
    users = [DirectoryUser(f"U{i:05d}", f"u{i}", "Europe/London") for i in range(size)]
    sync_people(session, workspace=ws, users=users)
    session.flush()
    people = session.scalars(select(Person).where(Person.workspace_id == ws.id)).all()
    for person in people:
        session.add(
            PulseSend(
                workspace_id=ws.id,
                person_id=person.id,
                team_id=person.team_id,
                pulse_date=NOW.date(),
                week_start=week_start(NOW.date()),
                status="sent",
                sent_at=NOW,
                attempts=1,
            )
        )
    session.commit()
    rows = session.execute(
        select(Person.slack_user_id, PulseSend.id).join(PulseSend, PulseSend.person_id == Person.id)
    ).all()
    return [(str(u), int(s)) for u, s in rows]


def _taps(url: str, size: int, write: Callable[..., Any]) -> list[float]:
    """Milliseconds per tap: everyone once, then everyone again."""
    upgrade(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        people = _seed(session, size)
    took = []
    for score in (3, 4):
        for user_id, send_id in people:
            with sessions() as session:
                send = session.get(PulseSend, send_id)
                assert send is not None
                start = clock.perf_counter()
                write(session, send=send, user_id=user_id, score=score)
                session.commit()
                took.append((clock.perf_counter() - start) * 1000)
    engine.dispose()
    return took


def _shuffled_write(session: Session, *, send: PulseSend, user_id: str, score: int) -> None:
    answers.record_answer(
        session, secret=SECRET, team_id=TEAM, user_id=user_id, send=send, score=score, now=NOW
    )


def measure(new_url: Callable[[str], str], backend: str, sizes: list[int]) -> list[dict[str, Any]]:
    figures = []
    for size in sizes:
        plain = _taps(new_url(f"plain{size}"), size, _plain_write)
        shuffled = _taps(new_url(f"shuffled{size}"), size, _shuffled_write)
        for stat, pick in (("median", statistics.median), ("p95", _p95)):
            value, anchor = pick(shuffled), pick(plain)
            figures.append(
                {
                    "name": f"tap_write_{stat}_ms_{backend}_team{size}",
                    "value": round(value, 2),
                    "unit": "ms",
                    "anchor": "the same upsert without the re-shuffle",
                    "anchor_value": round(anchor, 2),
                    "ratio": round(value / anchor, 2),
                    "target": "none (taps are acked first; context for the privacy change)",
                }
            )
    return figures


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="teams of 10 and 50 only")
    args = parser.parse_args()
    sizes = [10, 50] if args.quick else [10, 50, 300, 2000]
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        figures += measure(lambda name: f"sqlite:///{tmp}/{name}.sqlite3", "sqlite", sizes)
    from tests.support.pgcluster import bench_cluster

    with bench_cluster() as cluster:
        if cluster is not None:
            figures += measure(cluster.create_database, "postgres", sizes)
    for figure in figures:
        print(json.dumps(figure))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
