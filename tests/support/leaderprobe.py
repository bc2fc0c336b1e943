"""A scheduler with one probe job gated on leadership: shared by the test and its child."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text

from bot.app import build_runtime
from bot.config import Settings
from bot.core.jobs import Job
from bot.core.leader import AdvisoryLockLeader
from bot.runtime import Runtime
from bot.scheduler import schedule_job

PROBE_TABLE = "CREATE TABLE leader_probe (instance text NOT NULL, at timestamptz NOT NULL)"
CHECK_SECONDS = 0.2


class ProbeInstance:
    """One instance: its scheduler, its leadership, its runtime."""

    def __init__(
        self, scheduler: BackgroundScheduler, leader: AdvisoryLockLeader, runtime: Runtime
    ) -> None:
        self.scheduler, self.leader, self.runtime = scheduler, leader, runtime

    def stop(self) -> None:
        """Shut down cleanly (the test's kill -9 is the unclean way)."""
        self.scheduler.shutdown(wait=True)
        self.leader.close()
        self.runtime.sessions.kw["bind"].dispose()


def start_probe_scheduler(url: str, name: str) -> ProbeInstance:
    """Start a leader and a scheduler whose job records ``name`` with the server's clock."""

    def record(runtime: Runtime, now: datetime) -> dict[str, Any]:
        with runtime.transaction() as session:
            session.execute(
                text("INSERT INTO leader_probe VALUES (:name, clock_timestamp())"), {"name": name}
            )
        return {"recorded": name}

    runtime = build_runtime(
        Settings(database_url=url, cxpulse_secret="BfcjW2itwzqB9gqj12F5xa2NUnpuF62XWcm36xmeZ9k")
    )
    leader = AdvisoryLockLeader(url, check_seconds=CHECK_SECONDS, name=name).start()
    scheduler = BackgroundScheduler(timezone=UTC)
    probe = Job("probe", record, "record who ran", ("interval", {"seconds": 0.1}))
    schedule_job(scheduler, probe, runtime, leader)
    scheduler.start()
    return ProbeInstance(scheduler, leader, runtime)
