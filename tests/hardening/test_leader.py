"""Scheduler leadership on a real PostgreSQL, and fan-out claiming on both backends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from psycopg import sql
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from bot.app import build_runtime
from bot.config import Settings
from bot.core.jobs import Job
from bot.core.leader import AdvisoryLockLeader, LocalLeader, claim_batch, leadership_for
from bot.scheduler import _runner
from models import Workspace
from models.db import make_sessionmaker
from tests.support.leaderprobe import CHECK_SECONDS, PROBE_TABLE, start_probe_scheduler
from tests.support.pgcluster import PostgresCluster

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("leader_child.py")


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``condition`` until it holds (AssertionError after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@pytest.fixture
def pg_url(pg_cluster: PostgresCluster) -> Iterator[str]:
    """A fresh, empty PostgreSQL database (no migrations needed for the lock)."""
    name = pg_cluster.unique_name("leader")
    url = pg_cluster.create_database(name)
    yield url
    pg_cluster.drop_database(name)


def leaders(url: str, count: int = 2) -> list[AdvisoryLockLeader]:
    return [
        AdvisoryLockLeader(url, check_seconds=CHECK_SECONDS, name=f"instance-{i}").start()
        for i in range(count)
    ]


@pytest.mark.postgres
def test_exactly_one_of_two_instances_leads(pg_url: str) -> None:
    first, second = leaders(pg_url)
    try:
        assert [first.is_leader(), second.is_leader()] == [True, False]
        time.sleep(3 * CHECK_SECONDS)  # re-checks change nothing while the leader lives
        assert [first.check(), second.check()] == [True, False]
    finally:
        first.close()
        second.close()


@pytest.mark.postgres
def test_a_terminated_leader_connection_hands_over(
    pg_cluster: PostgresCluster, pg_url: str
) -> None:
    first, second = leaders(pg_url)
    try:
        pid = first.backend_pid
        assert pid is not None
        pg_cluster.execute(sql.SQL("SELECT pg_terminate_backend({})").format(sql.Literal(pid)))
        wait_until(second.is_leader)
        wait_until(lambda: not first.is_leader())
        time.sleep(3 * CHECK_SECONDS)  # the old leader reconnects but cannot take the lock back
        assert [first.is_leader(), second.is_leader()] == [False, True]
    finally:
        first.close()
        second.close()


@pytest.mark.postgres
def test_closing_the_leader_hands_over(pg_url: str) -> None:
    first, second = leaders(pg_url)
    try:
        first.close()
        assert not first.is_leader()
        assert not first.check()  # a closed leader never leads again
        wait_until(second.is_leader)
    finally:
        second.close()


def test_sqlite_always_leads(tmp_path: Path) -> None:
    leadership = leadership_for(f"sqlite:///{tmp_path / 'x.db'}")
    assert isinstance(leadership, LocalLeader)
    assert leadership.start().is_leader()


def test_a_job_run_is_skipped_unless_this_process_leads(tmp_path: Path) -> None:
    runs: list[str] = []
    job = Job("probe", lambda runtime, now: runs.append("ran") or {}, "probe")
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}"))

    class Follower(LocalLeader):
        def is_leader(self) -> bool:
            return False

    _runner(job, runtime, Follower())
    assert runs == []
    _runner(job, runtime, LocalLeader())
    assert runs == ["ran"]


@pytest.mark.postgres
def test_two_schedulers_run_jobs_in_one_process_and_survive_a_kill(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(PROBE_TABLE))

    def runs() -> list[tuple[str, object]]:
        with engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(text("SELECT * FROM leader_probe"))]

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), pg_url, "A"],
        env=env,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    instance = None
    try:
        wait_until(lambda: any(name == "A" for name, _ in runs()), timeout=30)
        instance = start_probe_scheduler(pg_url, "B")
        time.sleep(1.0)  # both schedulers tick ~10 times; only the leader's runs count
        assert {name for name, _ in runs()} == {"A"}
        assert not instance.leader.is_leader()

        child.send_signal(signal.SIGKILL)  # the leader dies without a goodbye
        child.wait(timeout=5)
        wait_until(lambda: any(name == "B" for name, _ in runs()), timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if instance is not None:
            instance.stop()
    rows = runs()
    last_a = max(at for name, at in rows if name == "A")
    first_b = min(at for name, at in rows if name == "B")
    assert last_a < first_b  # never both at once
    engine.dispose()


def test_claim_batch_hands_out_each_row_once(session: Session) -> None:
    with session.begin():
        session.add_all(Workspace(slack_team_id=f"T{i}", name=f"w{i}") for i in range(5))
    stmt = select(Workspace.id).order_by(Workspace.id)
    sessions = make_sessionmaker(session.get_bind())  # type: ignore[arg-type]
    with sessions.begin() as first:
        mine = claim_batch(first, stmt, limit=3)
        assert len(mine) == 3
        if first.get_bind().dialect.name == "postgresql":
            # A second worker is not blocked by the first one's locks: it gets the rest.
            with sessions.begin() as second:
                theirs = claim_batch(second, stmt, limit=3)
            assert sorted(mine + theirs) == sorted(session.scalars(stmt))
