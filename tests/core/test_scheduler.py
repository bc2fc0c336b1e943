"""APScheduler wiring: every job once, stable ids, explicit UTC, no overlap."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from bot.app import all_jobs, build_runtime
from bot.config import Settings
from bot.scheduler import register_jobs


def test_every_job_is_scheduled_once_with_a_stable_id(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        cxpulse_secret="BfcjW2itwzqB9gqj12F5xa2NUnpuF62XWcm36xmeZ9k",
    )
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.start(paused=True)  # a running store applies replace_existing; paused runs nothing
    runtime = build_runtime(settings)
    try:
        ids = register_jobs(scheduler, runtime)
        ids_again = register_jobs(scheduler, runtime)  # a restart re-registers: no duplicates
        jobs = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=False)
    assert ids == ids_again
    assert sorted(ids) == sorted(all_jobs())
    assert "sync-users" in ids
    assert len(jobs) == len(ids)
    for job in jobs:
        assert job.max_instances == 1
        assert job.coalesce is True
        assert str(job.trigger.timezone) == "UTC"


def test_sync_users_runs_first_at_start_then_on_its_schedule(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", cxpulse_secret="k")
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.start(paused=True)
    runtime = build_runtime(settings)
    before = datetime.now(UTC)
    try:
        register_jobs(scheduler, runtime)
        sync = scheduler.get_job("sync-users")
        purge = scheduler.get_job("purge")
    finally:
        scheduler.shutdown(wait=False)
    assert before <= sync.next_run_time <= datetime.now(UTC)
    assert sync.trigger.fields[6].expressions[0].first == 7  # then hourly at :07
    assert (purge.next_run_time.hour, purge.next_run_time.minute) == (3, 17)
