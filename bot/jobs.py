"""Scheduled jobs: a registry of named jobs, each runnable once via `cxpulse run-job`."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.runtime import Runtime

JobFunction = Callable[[Runtime, datetime], dict[str, Any]]

# Modules that define jobs with @job; imported on first use of the registry.
JOB_MODULES: tuple[str, ...] = (
    "bot.workspace.jobs",
    "bot.pulse.jobs",
    "bot.moments.jobs",
    "bot.digest.jobs",
    "bot.insights.jobs",
    "bot.alerts.jobs",
)


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


@dataclass
class JobRegistry:
    """All jobs by name."""

    jobs: dict[str, Job] = field(default_factory=dict)

    def add(self, job: Job) -> None:
        """Register ``job``; names are unique."""
        if job.name in self.jobs:
            raise ValueError(f"job {job.name} registered twice")
        self.jobs[job.name] = job


REGISTRY = JobRegistry()


def job(
    name: str,
    *,
    summary: str,
    trigger: tuple[str, dict[str, Any]] = ("interval", {"minutes": 5}),
    at_start: bool = False,
) -> Callable[[JobFunction], JobFunction]:
    """Decorator registering a job function under ``name``."""

    def decorate(fn: JobFunction) -> JobFunction:
        REGISTRY.add(Job(name=name, run=fn, summary=summary, trigger=trigger, at_start=at_start))
        return fn

    return decorate


def all_jobs() -> dict[str, Job]:
    """Every registered job, importing the job modules on first call."""
    for module in JOB_MODULES:
        importlib.import_module(module)
    return dict(REGISTRY.jobs)


def run_job(name: str, runtime: Runtime, at: datetime | None = None) -> dict[str, Any]:
    """Run ``name`` once, as if the time were ``at`` (default: now)."""
    jobs = all_jobs()
    if name not in jobs:
        raise KeyError(f"unknown job {name!r}; known: {', '.join(sorted(jobs))}")
    return run_counted(jobs[name], runtime, at or runtime.now())


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
