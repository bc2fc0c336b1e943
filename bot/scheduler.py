"""APScheduler wiring: every registered job with a stable id and an explicit time zone.

Every instance runs the same schedule; a run only does work in the process that leads
(``bot.core.leader``): on PostgreSQL the holder of the scheduler advisory lock, on SQLite always.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.core.jobs import Job, run_counted
from bot.core.leader import Leadership, LocalLeader
from bot.runtime import Runtime

logger = logging.getLogger(__name__)


def _runner(job: Job, runtime: Runtime, leadership: Leadership) -> None:
    if not leadership.is_leader():
        logger.debug("job %s skipped: another instance leads", job.name)
        return
    try:
        result = run_counted(job, runtime, runtime.now())
        logger.info("job %s: %s", job.name, result)
    except Exception:
        # A failed run is retried at the next tick; claims in the database stop doubles.
        logger.exception("job %s failed", job.name)


def schedule_job(
    scheduler: BackgroundScheduler, job: Job, runtime: Runtime, leadership: Leadership
) -> str:
    """Add one job, gated on ``leadership``; returns its (stable) id."""
    kind, args = job.trigger
    if job.at_start:
        # The first run is now, then the trigger's own times: a fresh install must not wait
        # for the next :07 to know its people. The scheduler is an edge: the real clock.
        args = {**args, "next_run_time": datetime.now(UTC)}
    scheduler.add_job(
        _runner,
        kind,
        args=(job, runtime, leadership),
        id=job.name,
        name=job.summary,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=300,
        timezone=UTC,
        **args,
    )
    return job.name


def register_jobs(
    scheduler: BackgroundScheduler, runtime: Runtime, leadership: Leadership | None = None
) -> list[str]:
    """Add every job to ``scheduler`` (run only while ``leadership`` leads); returns their ids."""
    gate = leadership or LocalLeader()
    from bot.app import all_jobs

    return [schedule_job(scheduler, job, runtime, gate) for job in all_jobs().values()]


def start_scheduler(runtime: Runtime, leadership: Leadership | None = None) -> BackgroundScheduler:
    """A running background scheduler with every job registered."""
    scheduler = BackgroundScheduler(timezone=UTC)
    register_jobs(scheduler, runtime, leadership)
    scheduler.start()
    return scheduler
