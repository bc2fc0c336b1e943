"""When a person's pulse is due: local time zone, pulse time, working days, pause, DST.

The plan is pure functions (no database, no clock); ``due_pulses`` applies it to a
workspace's people. Every instant returned is timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.workspace.config import WorkspaceConfig
from bot.workspace.store import language_of
from models import Person, PulsePreference, PulseSend, Workspace

DEFAULT_CATCH_UP = timedelta(hours=3)
ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)
_BATCH = 500  # people per IN (...) query


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


@dataclass(frozen=True)
class DuePulse:
    """A person whose pulse for ``pulse_date`` is due and not yet claimed."""

    person_id: int
    team_id: int | None
    slack_user_id: str
    pulse_date: date
    scheduled_for: datetime
    language: str = "en"  # the person's (bot/core/i18n.py)


def plan_for(
    person: Person, preference: PulsePreference | None, config: WorkspaceConfig
) -> PulsePlan:
    """The person's pulse plan: their settings over the workspace's."""
    pref = preference
    return PulsePlan(
        tz=person.tz or "UTC",
        pulse_time=(pref.pulse_time if pref and pref.pulse_time else config.pulse_time),
        working_days=parse_working_days(pref.working_days if pref else None, config.working_days),
        paused_until=pref.paused_until if pref else None,
        opted_out=bool(pref and pref.opted_out),
        holidays=frozenset(config.holidays),
    )


def preferences(session: Session, *, person_ids: Iterable[int]) -> dict[int, PulsePreference]:
    """Pulse preferences by person id (people without one are absent)."""
    ids = list(person_ids)
    found: dict[int, PulsePreference] = {}
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        for pref in session.scalars(
            select(PulsePreference).where(PulsePreference.person_id.in_(chunk))
        ):
            found[pref.person_id] = pref
    return found


def due_pulses(
    session: Session,
    *,
    workspace: Workspace,
    config: WorkspaceConfig,
    now: datetime,
    catch_up: timedelta = DEFAULT_CATCH_UP,
) -> list[DuePulse]:
    """Active, reachable people whose pulse time has passed (within ``catch_up``), unclaimed."""
    people = list(
        session.scalars(
            select(Person)
            .where(
                Person.workspace_id == workspace.id,
                Person.active.is_(True),
                Person.dm_error.is_(None),
            )
            .order_by(Person.id)
        )
    )
    prefs = preferences(session, person_ids=[p.id for p in people])
    due: list[DuePulse] = []
    for person in people:
        pref = prefs.get(person.id)
        hit = due_pulse(plan_for(person, pref, config), now, catch_up=catch_up)
        if hit is not None:
            day, instant = hit
            if pref is not None and pref.forgotten_on is not None and day <= pref.forgotten_on:
                continue  # forgotten today: the next pulse is tomorrow's
            due.append(
                DuePulse(
                    person.id,
                    person.team_id,
                    person.slack_user_id,
                    day,
                    instant,
                    language_of(person),
                )
            )
    if not due:
        return []
    dates = {d.pulse_date for d in due}
    taken = set(
        session.execute(
            select(PulseSend.person_id, PulseSend.pulse_date).where(
                PulseSend.workspace_id == workspace.id, PulseSend.pulse_date.in_(dates)
            )
        ).all()
    )
    return [d for d in due if (d.person_id, d.pulse_date) not in taken]
