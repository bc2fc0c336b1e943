"""Importing a help-desk export of 1 M customer ratings on SQLite.

Usage: python bench/outcomes_import.py [--quick]

Writes a generic-CSV export (when, agent, kind, score, customer, comment, external_id)
of 1,000,000 ratings by 500 agents (1 in 10 rows from agents Slack does not know) and
times `cxpulse import outcomes`'s import (read, check, match by email, team on the
day, idempotent INSERT) into a migrated SQLite database, then the same file again
(every row a duplicate). The anchor, in the same run: the same file read with
csv.reader and its raw rows inserted with one executemany into a bare table (the
floor for reading and storing, with no checks at all). Prints one JSON line per
figure, last.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import sys
import tempfile
import time as clock
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.orm import Session

from bench.figures import figure, print_figures, quick_parser
from bot.outcomes.formats import import_file
from bot.workspace.store import ensure_team, ensure_workspace
from models import Person
from models.db import make_engine, make_sessionmaker, upgrade

AGENTS = 500
NOW = datetime(2027, 1, 4, tzinfo=UTC)
KINDS = (("csat", lambda r: str(r.randint(1, 5))), ("nps", lambda r: str(r.randint(0, 10))))


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    """A generic CSV of ``rows`` ratings over a year, 10% by unknown agents."""
    rng = random.Random(seed)
    start = date(2026, 1, 5)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["when", "agent", "kind", "score", "customer", "comment", "external_id"])
        for i in range(rows):
            agent = rng.randrange(AGENTS * 11 // 10)
            kind, score = KINDS[i % 3 == 0]
            thumbs = i % 7 == 0
            day = start + timedelta(days=rng.randrange(365))
            writer.writerow(
                [
                    f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z",
                    f"agent{agent}@example.com",
                    "thumbs" if thumbs else kind,
                    rng.choice(("good", "bad")) if thumbs else score(rng),
                    f"Customer {rng.randrange(50_000)}",
                    "Thanks for the quick help" if i % 4 == 0 else "",
                    f"t-{i}",
                ]
            )


def seed_people(session: Session) -> int:
    ws = ensure_workspace(session, slack_team_id="T0BENCH", name="Bench")
    teams = [ensure_team(session, workspace=ws, name=f"team {t}") for t in range(20)]
    session.add_all(
        Person(
            workspace_id=ws.id,
            slack_user_id=f"U{a:06d}",
            email=f"agent{a}@example.com",
            team_id=teams[a % len(teams)].id,
        )
        for a in range(AGENTS)
    )
    session.commit()
    return ws.id


def anchor(path: Path, db: Path) -> float:
    """csv.reader + one executemany into a bare table: reading and storing, nothing else."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE raw (a, b, c, d, e, f, g)")
    began = clock.perf_counter()
    with path.open(newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        conn.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?)", reader)
    conn.commit()
    took = clock.perf_counter() - began
    conn.close()
    return took


def main() -> int:
    args = quick_parser(__doc__, "50,000 rows, in seconds").parse_args()
    rows = 50_000 if args.quick else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = folder / "export.csv"
        write_export(export, rows)
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url, pooled=False)
        sessions = make_sessionmaker(engine)
        with sessions() as session:
            workspace_id = seed_people(session)
        timings, cpu = [], []
        for _ in range(2):  # first import, then every row again (all duplicates)
            with sessions() as session:
                began, began_cpu = clock.perf_counter(), clock.process_time()
                report = import_file(
                    session, workspace_id=workspace_id, path=export, fmt="csv", now=NOW
                )
                session.commit()
                timings.append(clock.perf_counter() - began)
                cpu.append(clock.process_time() - began_cpu)
                print(report.summary(), file=sys.stderr)
        engine.dispose()
        began_cpu = clock.process_time()
        floor = anchor(export, folder / "anchor.sqlite3")
        floor_cpu = clock.process_time() - began_cpu
    label = f"{rows:,} rows"
    scale = rows / 1_000_000
    minute = "< 60 s for 1 M rows" if not args.quick else f"< {60 * scale:g} s (1 M: 60 s)"

    def within_a_minute(name: str, value: float, anchor: str, anchor_value: float) -> Any:
        return figure(name, value, "s", anchor, anchor_value, minute, value < 60 * scale)

    plain = "csv.reader + bare executemany"
    print_figures(
        within_a_minute(f"import outcomes, {label} (SQLite)", timings[0], plain, floor),
        within_a_minute(f"re-import, all duplicates, {label} (SQLite)", timings[1], plain, floor),
        within_a_minute(
            f"import outcomes, CPU time, {label} (SQLite; steadier on a shared machine)",
            cpu[0],
            f"{plain}, CPU time",
            floor_cpu,
        ),
        figure(
            f"import rate, {label} (SQLite)",
            rows / timings[0],
            "rows/s",
            f"{plain} (rows/s)",
            rows / floor,
            "> 16,667 rows/s",
            rows / timings[0] > 1_000_000 / 60,
        ),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
