"""One CX Pulse instance in its own process: the app served over HTTP and its scheduler.

Usage: python tests/hardening/instance_child.py NAME START_ISO SPEED   (settings from env)

What `cxpulse serve` runs (waitress + Bolt + an advisory-lock leader + every job on
APScheduler), with two changes so the several-instances test runs in seconds: the
clock starts at START_ISO and runs SPEED times faster than real time (so a claim goes
stale after 10 / SPEED real minutes), and every job ticks every 0.3 s instead of its
production trigger. Prints "ready PORT LOCK_BACKEND_PID", then serves until killed.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from apscheduler.schedulers.background import BackgroundScheduler

from bot.app import all_jobs, wire_app
from bot.config import Settings
from bot.core.leader import AdvisoryLockLeader
from bot.scheduler import schedule_job

JOBS = ("sync-users", "pulses", "digests")


def main(name: str, start_iso: str, speed: float) -> None:
    """Serve and schedule until killed."""
    start, began = datetime.fromisoformat(start_iso), time.monotonic()

    def clock() -> datetime:
        return datetime.fromtimestamp(
            start.timestamp() + (time.monotonic() - began) * speed, tz=UTC
        )

    settings = Settings.from_env()
    wired = wire_app(settings, clock=clock)
    runtime = wired.runtime
    server = wired.http_server().start()
    leader = AdvisoryLockLeader(settings.database_url, check_seconds=0.2, name=name).start()
    scheduler = BackgroundScheduler(timezone=UTC)
    jobs = all_jobs()
    for job in JOBS:
        schedule_job(
            scheduler, replace(jobs[job], trigger=("interval", {"seconds": 0.3})), runtime, leader
        )
    scheduler.start()
    print(f"ready {server.port} {leader.backend_pid}", flush=True)
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
