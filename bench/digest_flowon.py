"""Weekly digest + flow-on over a year of pulses, on SQLite and PostgreSQL.

Usage: python bench/digest_flowon.py [--quick] [--backend sqlite|postgres]

Generates 52 weeks × 10,000 people (5 answers a week each: ≈2.6 M answers, as many
pulse sends, ~52 k customer moments) with bulk inserts (executemany on SQLite, COPY
on PostgreSQL, in a throwaway cluster from tests/support/pgcluster.py), then times the
workspace digest (team-week aggregates, flow-on finding, blocks and chart) beside
a bare SQL GROUP BY over the same answers (the anchor), and measures the peak
Python memory of one digest with tracemalloc. Closed weeks are rolled up first, as
the `rollup`/`digests` jobs do; the one-time backfill and the weekly fill are timed
and printed too. Prints one JSON line per figure, last.
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import tempfile
import time as clock
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402

from bench.figures import figure, print_figures, quick_parser  # noqa: E402
from bot.core.disclosure import Audience  # noqa: E402
from bot.digest.chart import render_chart  # noqa: E402
from bot.digest.store import compute_digest, workspace_finding  # noqa: E402
from bot.digest.views import build_digest_blocks  # noqa: E402
from bot.insights.flowon import analyse  # noqa: E402
from bot.insights.rollup import invalidate_weeks, refresh_rollup  # noqa: E402
from models.db import make_engine, make_sessionmaker, upgrade  # noqa: E402

FIRST_WEEK = date(2025, 3, 10)
TEAM_SIZE = 50
ANSWER_COLS = "id, workspace_id, respondent_key, team_id, pulse_date, week_start, score, sealed"
SEND_COLS = (
    "workspace_id, person_id, team_id, pulse_date, week_start, scheduled_for, status, "
    "claimed_at, attempts"
)
MOMENT_COLS = (
    "workspace_id, customer_id, team_id, happened_on, week_start, touchpoint, outcome, "
    "what_happened, backstory, csat, sentiment, would_tell_story, source, created_at"
)
ANCHOR_SQL = (
    "SELECT team_id, week_start, count(DISTINCT respondent_key), avg(score) FROM pulse_answer "
    "WHERE workspace_id = 1 GROUP BY team_id, week_start"
)


class Literals:
    """How one backend's bulk loader wants dates, instants and booleans written."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"
        # SQLAlchemy stores SQLite instants as naive ISO strings in UTC; match it exactly.
        self.stamp = "2025-01-01 00:00:00+00" if self.pg else "2025-01-01 00:00:00.000000"
        self.true, self.false = ("t", "f") if self.pg else (1, 0)


def tables(people: int, weeks: int, lit: Literals, seed: int = 1) -> dict[str, Iterator[list[Any]]]:
    """Per table, batches of rows (one batch per pulse day), values ready for the loader."""
    rng = np.random.default_rng(seed)
    teams = people // TEAM_SIZE
    team_of = np.arange(people) // TEAM_SIZE + 1
    team_list = team_of.tolist()
    keys = [hashlib.sha256(f"bench:{p}".encode()).hexdigest() for p in range(people)]
    base = rng.normal(3.6, 0.3, teams)

    def days() -> Iterator[tuple[str, str]]:
        for w in range(weeks):
            week = FIRST_WEEK + timedelta(weeks=w)
            for d in range(5):
                yield (week + timedelta(days=d)).isoformat(), week.isoformat()

    def answers() -> Iterator[list[Any]]:
        team_mood = base
        for i, (day, week) in enumerate(days()):
            if i % 5 == 0:
                team_mood = base + rng.normal(0, 0.3, teams)
            noise = rng.normal(0, 1, people)
            scores = np.clip(np.rint(team_mood[team_of - 1] + noise), 1, 5).astype(int).tolist()
            # Ids are the app's random 62-bit ones there; any unique number does here.
            yield [
                (i * people + j + 1, 1, k, t, day, week, s, lit.true)
                for j, (k, t, s) in enumerate(zip(keys, team_list, scores, strict=True))
            ]

    def sends() -> Iterator[list[Any]]:
        for day, week in days():
            yield [
                (1, p + 1, t, day, week, lit.stamp, "sent", lit.stamp, 1)
                for p, t in enumerate(team_list)
            ]

    def moments() -> Iterator[list[Any]]:
        for w in range(weeks):
            week = FIRST_WEEK + timedelta(weeks=w)
            batch = []
            for t in range(teams):
                for i in range(5):
                    outcome = ("win", "neutral", "problem")[int(rng.integers(3))]
                    batch.append(
                        (
                            1,
                            t + 1,
                            t + 1,
                            (week + timedelta(days=i)).isoformat(),
                            week.isoformat(),
                            "support",
                            outcome,
                            "helped",
                            "",
                            int(rng.integers(1, 6)),
                            float(rng.normal(0, 0.3)),
                            lit.true if i == 0 else lit.false,
                            "command",
                            lit.stamp,
                        )
                    )
            yield batch

    people_rows = [
        (1, f"U{p:08d}", f"p{p}", "UTC", lit.false, lit.true, team_list[p], lit.stamp)
        for p in range(people)
    ]
    return {
        "person": iter([people_rows]),
        "pulse_answer": answers(),
        "pulse_send": sends(),
        "customer_moment": moments(),
    }


COLUMNS = {
    "person": (
        "workspace_id, slack_user_id, display_name, tz, is_admin, active, team_id, updated_at"
    ),
    "pulse_answer": ANSWER_COLS,
    "pulse_send": SEND_COLS,
    "customer_moment": MOMENT_COLS,
}


def seed(engine: Engine, people: int, weeks: int) -> dict[str, int]:
    """Bulk-load a workspace, its teams, people, answers, sends, customers and moments."""
    teams = people // TEAM_SIZE
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspace (id, slack_team_id, name, created_at, active) "
                "VALUES (1, 'TBENCH', 'Bench', :t, true)"
            ),
            {"t": datetime.now(UTC)},
        )
        conn.execute(
            text("INSERT INTO team (id, workspace_id, name) VALUES (:id, 1, :n)"),
            [{"id": t + 1, "n": f"team-{t + 1:03d}"} for t in range(teams)],
        )
        conn.execute(
            text(
                "INSERT INTO customer (id, workspace_id, name, name_key, created_at) "
                "VALUES (:id, 1, :n, :n, :t)"
            ),
            [{"id": t + 1, "n": f"customer {t + 1}", "t": datetime.now(UTC)} for t in range(teams)],
        )
    lit = Literals(engine.dialect.name)
    counts: dict[str, int] = {}
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for table, batches in tables(people, weeks, lit).items():
            cols = COLUMNS[table]
            marks = ", ".join("?" * len(cols.split(",")))
            n = 0
            for batch in batches:
                if lit.pg:
                    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                        copy.write("".join("\t".join(map(str, r)) + "\n" for r in batch))
                else:
                    cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)  # noqa: S608
                n += len(batch)
            counts[table] = n
        raw.commit()
    finally:
        raw.close()
    # A steady-state database: on PostgreSQL, VACUUM now rather than have autovacuum
    # (woken by 5 M new rows) compete with the timed runs for the 2 cores.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if lit.pg else "ANALYZE"))
    return counts


def _time(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up: imports, caches, font cache
    return statistics.median(_once(fn) for _ in range(repeat))


def _once(fn: Callable[[], Any]) -> float:
    start = clock.perf_counter()
    fn()
    return clock.perf_counter() - start


def measure(url: str, backend: str, people: int, weeks: int, repeat: int) -> list[dict[str, Any]]:
    """Seed ``url`` and return this backend's figures."""
    upgrade(url)
    engine = make_engine(url)
    began = clock.perf_counter()
    counts = seed(engine, people, weeks)
    print(f"{backend}: seeded {counts} in {clock.perf_counter() - began:.1f}s", file=sys.stderr)
    sessions = make_sessionmaker(engine)
    last_week = FIRST_WEEK + timedelta(weeks=weeks - 1)
    # The digest job's moment: Monday 09:00 after the reported week. Closed weeks are
    # rolled up first (once; afterwards one week a week), the last ones stay live.
    digest_at = datetime.combine(last_week + timedelta(weeks=1), time(9), tzinfo=UTC)
    # When last_week has closed (the gate reports only closed weeks): the Thursday after.
    closed_at = digest_at + timedelta(days=3)
    began = clock.perf_counter()
    with sessions.begin() as session:
        rolled = refresh_rollup(session, workspace_id=1, now=digest_at)
    backfill_s = clock.perf_counter() - began
    with sessions.begin() as session:
        invalidate_weeks(session, workspace_id=1, weeks=rolled[-1:])
    began = clock.perf_counter()
    with sessions.begin() as session:
        refresh_rollup(session, workspace_id=1, now=digest_at)
    weekly_s = clock.perf_counter() - began
    print(
        f"{backend}: rolled up {len(rolled)} closed weeks in {backfill_s:.2f}s (once); "
        f"one more week in {weekly_s:.3f}s",
        file=sys.stderr,
    )

    def compute() -> Any:
        """What the weekly digest job computes for the whole workspace's last closed week."""
        with sessions() as session:
            return compute_digest(
                session,
                workspace_id=1,
                week=last_week,
                team=None,
                audience=Audience(5),
                now=closed_at,
                min_team_weeks=10,
            )

    def digest() -> None:
        data = compute()
        build_digest_blocks(data)
        render_chart(data.series, scope=data.scope, lag=data.lag)

    def anchor() -> None:
        with engine.connect() as conn:
            conn.execute(text(ANCHOR_SQL)).all()

    check = compute()
    print(
        f"{backend}: {len(check.series)} weeks charted, this week {check.this_week}; "
        f"{check.finding.summary}",
        file=sys.stderr,
    )
    digest_s = _time(digest, repeat)
    anchor_s = _time(anchor, repeat)

    compute_s = _time(compute, repeat)
    chart_s = _time(lambda: render_chart(check.series, scope=check.scope, lag=check.lag), repeat)
    with sessions() as session:
        _, year = workspace_finding(
            session, workspace_id=1, until=last_week, threshold=5, min_team_weeks=10
        )
    analysis_s = _time(lambda: analyse(year, min_team_weeks=10), repeat)
    print(
        f"{backend}: digest {digest_s:.3f}s = queries + flow-on {compute_s:.3f}s "
        f"(of which the flow-on analysis of {len(year)} team-weeks {analysis_s:.3f}s) "
        f"+ chart {chart_s:.3f}s + blocks",
        file=sys.stderr,
    )
    tracemalloc.start()
    anchor()
    anchor_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.reset_peak()
    digest()
    digest_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    engine.dispose()
    target_s = 2.0 if backend == "sqlite" else 1.0
    return [
        figure(
            f"rollup_backfill_seconds_{backend}",
            backfill_s,
            "s",
            "bare GROUP BY",
            anchor_s,
            "once, in the rollup job (no target)",
            True,
        ),
        figure(
            f"rollup_one_week_seconds_{backend}",
            weekly_s,
            "s",
            "bare GROUP BY",
            anchor_s,
            "each week, in the rollup job (no target)",
            True,
        ),
        figure(
            f"digest_flowon_seconds_{backend}",
            digest_s,
            "s",
            "bare GROUP BY",
            anchor_s,
            f"<= {target_s} s",
            digest_s <= target_s,
        ),
        figure(
            f"digest_flowon_peak_memory_{backend}",
            digest_mb,
            "MB",
            "bare GROUP BY peak memory",
            anchor_mb,
            "< 300 MB",
            digest_mb < 300,
        ),
    ]


def main() -> int:
    parser = quick_parser(__doc__, "500 people × 12 weeks, in seconds")
    parser.add_argument(
        "--backend", choices=("both", "sqlite", "postgres"), default="both", help="which to run"
    )
    args = parser.parse_args()
    people, weeks, repeat = (500, 12, 3) if args.quick else (10_000, 52, 5)
    figures: list[dict[str, Any]] = []
    if args.backend in ("both", "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            figures += measure(f"sqlite:///{tmp}/bench.sqlite3", "sqlite", people, weeks, repeat)
    from tests.support.pgcluster import bench_cluster

    if args.backend in ("both", "postgres"):
        with bench_cluster() as cluster:
            if cluster is not None:
                url = cluster.create_database("bench_digest")
                figures += measure(url, "postgres", people, weeks, repeat)
    print_figures(*figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
