"""When a person's pulse is due: local time zone, pulse time, working days, pause, DST.

Pure functions: no database, no clock. Every instant returned is timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_CATCH_UP = timedelta(hours=3)
ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)


@cache
def zone(name: str | None) -> ZoneInfo:
    """The tz database zone ``name``, or UTC for an empty or unknown name."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class PulsePlan:
    """Everything that decides one person's pulse days and time."""

    tz: str
    pulse_time: time
    working_days: frozenset[int]
    paused_until: date | None = None
    opted_out: bool = False
    # The workspace's holidays: no pulse and no reminder on these local dates.
    holidays: frozenset[date] = frozenset()


def parse_working_days(raw: str | None, default: tuple[int, ...]) -> frozenset[int]:
    """Working days stored as "0,1,2,3,4" (date.weekday()); ``default`` when unset."""
    if raw is None:
        return frozenset(default)
    days = {int(part) for part in raw.split(",") if part.strip().isdigit()}
    return frozenset(d for d in days if d in ALL_DAYS)


def format_working_days(days: frozenset[int] | set[int] | tuple[int, ...]) -> str:
    """The stored form of a set of working days, e.g. "0,1,2,3,4"."""
    return ",".join(str(d) for d in sorted(set(days)))


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of local wall time ``at`` on ``day`` in ``tz``.

    A wall time that does not exist (spring forward) is moved forward by the
    gap, e.g. 02:30 becomes 03:30; an ambiguous one (fall back) is the first
    occurrence. Both come from ``fold=0``.
    """
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone(tz)).replace(fold=0)
    return local.astimezone(UTC)


def local_date(instant: datetime, tz: str) -> date:
    """The calendar date at ``instant`` for someone living in ``tz``."""
    return instant.astimezone(zone(tz)).date()


def is_paused(plan: PulsePlan, day: date) -> bool:
    """True when ``day`` falls within the pause (``paused_until`` is the last paused day)."""
    return plan.paused_until is not None and day <= plan.paused_until


def is_pulse_day(plan: PulsePlan, day: date) -> bool:
    """True when a pulse goes out on local ``day``: a working day, not a holiday, not paused,
    not opted out."""
    return (
        not plan.opted_out
        and day.weekday() in plan.working_days
        and day not in plan.holidays
        and not is_paused(plan, day)
    )


def pulse_instant(plan: PulsePlan, day: date) -> datetime | None:
    """When the pulse for local ``day`` is due, or None when there is none that day."""
    if not is_pulse_day(plan, day):
        return None
    return local_instant(day, plan.pulse_time, plan.tz)


def due_pulse(
    plan: PulsePlan, now: datetime, *, catch_up: timedelta = DEFAULT_CATCH_UP
) -> tuple[date, datetime] | None:
    """The (local pulse date, due instant) to send at ``now``, if any.

    Due means the pulse time has passed but by less than ``catch_up``, so a
    scheduler that was down briefly catches up and one down all day does not
    send a stale pulse. Yesterday is checked too: a late pulse time plus the
    catch-up window can cross local midnight.
    """
    today = local_date(now, plan.tz)
    for day in (today, today - timedelta(days=1)):
        instant = pulse_instant(plan, day)
        if instant is not None and instant <= now < instant + catch_up:
            return day, instant
    return None


def next_pulse(plan: PulsePlan, now: datetime, *, horizon_days: int = 14) -> datetime | None:
    """The next due instant strictly after ``now`` within ``horizon_days`` (for the Home)."""
    today = local_date(now, plan.tz)
    for offset in range(horizon_days + 1):
        instant = pulse_instant(plan, today + timedelta(days=offset))
        if instant is not None and instant > now:
            return instant
    return None


def reminder_due(plan: PulsePlan, pulse_day: date, now: datetime, *, after: timedelta) -> bool:
    """True when a reminder for ``pulse_day`` may go at ``now``.

    At least ``after`` past the pulse instant, and still the same local day.
    """
    instant = pulse_instant(plan, pulse_day)
    if instant is None:
        return False
    return instant + after <= now and local_date(now, plan.tz) == pulse_day
