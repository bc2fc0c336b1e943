"""When the demo runs the scheduled jobs: as few instants as reach everyone, as cron would.

In production ``pulses`` runs every 5 minutes and ``reminders`` every 15; the demo
jumps the clock, so it runs each job only at instants where it has work, chosen
from the same rules the services apply (the pulse catch-up window, the reminder
delay and "same local day"). Every other job of the scheduler's own list
(``bot.core.jobs.all_jobs``) runs each simulated night (``upkeep_jobs``): the demo's
database is then what production keeps (answer windows closed, days sealed,
weeks rolled up), and a job added to the scheduler is run by the demo too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.app import all_jobs
from bot.pulse.schedule import local_date, local_instant

MARGIN = timedelta(minutes=1)
# Jobs the demo times itself, at the instants they have work (bot/demo/week.py, run.py).
TIMED_JOBS = ("sync-users", "pulses", "reminders", "digests", "followups")
UPKEEP_AT = timedelta(hours=3, minutes=30)  # UTC, each simulated night


def upkeep_jobs() -> list[str]:
    """Every other job the scheduler runs, in its order: the demo runs them each night."""
    return [name for name in all_jobs() if name not in TIMED_JOBS]


def demo_jobs() -> list[str]:
    """Every job the demo runs, timed or nightly (the scheduler's whole list)."""
    return [*TIMED_JOBS, *upkeep_jobs()]


@dataclass(frozen=True)
class PulseGroup:
    """People in one time zone whose pulse for one local day is due at ``due``."""

    tz: str
    due: datetime

    def reminder_window(self, after: timedelta) -> tuple[datetime, datetime]:
        """[first, last] instants a reminder may go: ``after`` past due, same local day."""
        day = local_date(self.due, self.tz)
        midnight = local_instant(day + timedelta(days=1), time(0, 0), self.tz)
        return self.due + after, midnight - MARGIN


def pulse_runs(groups: Sequence[PulseGroup], catch_up: timedelta) -> list[datetime]:
    """Fewest run instants so each group's due time is at most ``catch_up`` (less a minute) ago."""
    runs: list[datetime] = []
    for group in sorted(groups, key=lambda g: g.due):
        if runs and runs[-1] - catch_up < group.due <= runs[-1]:
            continue
        runs.append(group.due + catch_up - MARGIN)
    return runs


def reminder_runs(windows: Sequence[tuple[datetime, datetime]]) -> list[datetime]:
    """Fewest instants that fall inside every window (greedy: earliest window end first)."""
    runs: list[datetime] = []
    for first, last in sorted(windows, key=lambda w: w[1]):
        if runs and first <= runs[-1] <= last:
            continue
        runs.append(last)
    return runs
