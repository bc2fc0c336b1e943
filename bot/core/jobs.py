"""Scheduled jobs: each a named function a feature adds with ``parts.jobs.add``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.runtime import Runtime

JobFunction = Callable[["Runtime", datetime], dict[str, Any]]


@dataclass(frozen=True)
class Job:
    """A named job, how often the scheduler runs it, and what it does."""

    name: str
    run: JobFunction
    summary: str
    # APScheduler trigger: ("interval", {"minutes": 5}) or ("cron", {"hour": 3}).
    trigger: tuple[str, dict[str, Any]] = ("interval", {"minutes": 5})
    # Also run once as soon as the scheduler starts (`serve`, `start`), not only on the trigger.
    at_start: bool = False

    def __call__(self, runtime: Runtime, now: datetime) -> dict[str, Any]:
        """Run the job's function once (uncounted; the scheduler uses ``run_counted``)."""
        return self.run(runtime, now)


@dataclass
class JobRegistry:
    """All jobs by name."""

    jobs: dict[str, Job] = field(default_factory=dict)

    def add(self, job: Job) -> None:
        """Register ``job``; names are unique."""
        if job.name in self.jobs:
            raise ValueError(f"job {job.name} registered twice")
        self.jobs[job.name] = job


def job(
    name: str,
    *,
    summary: str,
    trigger: tuple[str, dict[str, Any]] = ("interval", {"minutes": 5}),
    at_start: bool = False,
) -> Callable[[JobFunction], Job]:
    """Make a job of a function (the feature's ``register`` adds it to ``parts.jobs``)."""

    def decorate(fn: JobFunction) -> Job:
        return Job(name=name, run=fn, summary=summary, trigger=trigger, at_start=at_start)

    return decorate


def run_counted(job: Job, runtime: Runtime, now: datetime) -> dict[str, Any]:
    """Run ``job`` once at ``now``, counting the run (and a failure) in ``runtime.metrics``."""
    metrics = runtime.metrics
    try:
        result = job.run(runtime, now)
    except Exception:
        metrics.jobs_failed.labels(job.name).inc()
        raise
    finally:
        metrics.jobs_run.labels(job.name).inc()
    # Wall-clock time, not ``now``: alerts compare it with the scrape's own clock.
    metrics.job_last_success.labels(job.name).set(time.time())
    return result
