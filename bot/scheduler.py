"""APScheduler wiring: every registered job with a stable id and an explicit time zone."""

from __future__ import annotations

import logging
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler

from bot.jobs import Job, all_jobs
from bot.runtime import Runtime

logger = logging.getLogger(__name__)


def _runner(job: Job, runtime: Runtime) -> None:
    try:
        result = job.run(runtime, runtime.now())
        logger.info("job %s: %s", job.name, result)
    except Exception:
        # A failed run is retried at the next tick; claims in the database stop doubles.
        logger.exception("job %s failed", job.name)


def register_jobs(scheduler: BackgroundScheduler, runtime: Runtime) -> list[str]:
    """Add every job to ``scheduler``; returns their ids."""
    ids = []
    for job in all_jobs().values():
        kind, args = job.trigger
        scheduler.add_job(
            _runner,
            kind,
            args=(job, runtime),
            id=job.name,
            name=job.summary,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=300,
            timezone=UTC,
            **args,
        )
        ids.append(job.name)
    return ids


def start_scheduler(runtime: Runtime) -> BackgroundScheduler:
    """A running background scheduler with every job registered."""
    scheduler = BackgroundScheduler(timezone=UTC)
    register_jobs(scheduler, runtime)
    scheduler.start()
    return scheduler
