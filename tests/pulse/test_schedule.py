"""Pulse scheduling: local instants on DST days, odd offsets, working days, pause, catch-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.pulse.schedule import (
    PulsePlan,
    due_pulse,
    local_instant,
    next_pulse,
    parse_working_days,
    pulse_instant,
    reminder_due,
)

WEEKDAYS = frozenset({0, 1, 2, 3, 4})


def plan(tz: str, at: time = time(10, 0), **kw: object) -> PulsePlan:
    return PulsePlan(tz=tz, pulse_time=at, working_days=WEEKDAYS, **kw)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "day", "expected"),
    [
        # US spring forward is Sunday 8 March 2026: EST (-5) before, EDT (-4) after.
        ("America/New_York", date(2026, 3, 6), utc(2026, 3, 6, 15, 0)),
        ("America/New_York", date(2026, 3, 9), utc(2026, 3, 9, 14, 0)),
        # EU change is Sunday 29 March 2026: GMT before, BST after.
        ("Europe/London", date(2026, 3, 27), utc(2026, 3, 27, 10, 0)),
        ("Europe/London", date(2026, 3, 30), utc(2026, 3, 30, 9, 0)),
        # Half-hour and quarter-hour offsets.
        ("Asia/Kolkata", date(2026, 3, 9), utc(2026, 3, 9, 4, 30)),
        ("Pacific/Chatham", date(2026, 3, 9), utc(2026, 3, 8, 20, 15)),  # +13:45 (summer)
        ("Pacific/Chatham", date(2026, 4, 6), utc(2026, 4, 5, 21, 15)),  # +12:45 after 5 April
        ("America/St_Johns", date(2026, 3, 6), utc(2026, 3, 6, 13, 30)),  # -3:30
        ("America/St_Johns", date(2026, 3, 9), utc(2026, 3, 9, 12, 30)),  # -2:30
    ],
)
def test_local_pulse_instant(tz: str, day: date, expected: datetime) -> None:
    assert pulse_instant(plan(tz), day) == expected


def test_nonexistent_local_time_skips_forward_by_the_gap() -> None:
    # 02:30 does not exist in New York on 8 March 2026 (02:00 → 03:00): it becomes 03:30 EDT.
    instant = local_instant(date(2026, 3, 8), time(2, 30), "America/New_York")
    assert instant == utc(2026, 3, 8, 7, 30)
    # London's 01:30 on 29 March 2026 does not exist either: 02:30 BST.
    assert local_instant(date(2026, 3, 29), time(1, 30), "Europe/London") == utc(2026, 3, 29, 1, 30)


def test_ambiguous_local_time_is_the_first_occurrence() -> None:
    # 01:30 happens twice in New York on 1 November 2026; the first is still EDT (-4).
    instant = local_instant(date(2026, 11, 1), time(1, 30), "America/New_York")
    assert instant == utc(2026, 11, 1, 5, 30)
    # St John's falls back at 02:00 local on 1 November 2026: 01:30 first occurrence is NDT.
    assert local_instant(date(2026, 11, 1), time(1, 30), "America/St_Johns") == utc(
        2026, 11, 1, 4, 0
    )


def test_weekends_paused_days_and_opt_out_have_no_pulse() -> None:
    base = plan("Europe/Paris")
    assert pulse_instant(base, date(2026, 3, 7)) is None  # Saturday
    assert pulse_instant(base, date(2026, 3, 8)) is None  # Sunday
    paused = plan("Europe/Paris", paused_until=date(2026, 3, 10))
    assert pulse_instant(paused, date(2026, 3, 10)) is None
    assert pulse_instant(paused, date(2026, 3, 11)) == utc(2026, 3, 11, 9, 0)
    assert pulse_instant(plan("Europe/Paris", opted_out=True), date(2026, 3, 11)) is None


def test_custom_working_days() -> None:
    weekend_worker = PulsePlan("UTC", time(8, 0), frozenset({5, 6}))
    assert pulse_instant(weekend_worker, date(2026, 3, 7)) == utc(2026, 3, 7, 8, 0)
    assert pulse_instant(weekend_worker, date(2026, 3, 9)) is None
    assert parse_working_days("5,6", (0,)) == frozenset({5, 6})
    assert parse_working_days(None, (0, 1)) == frozenset({0, 1})
    assert parse_working_days("", (0, 1)) == frozenset()


def test_due_only_after_the_instant_and_within_catch_up() -> None:
    p = plan("America/New_York")
    instant = utc(2026, 3, 9, 14, 0)
    assert due_pulse(p, instant - timedelta(minutes=1)) is None
    assert due_pulse(p, instant) == (date(2026, 3, 9), instant)
    assert due_pulse(p, instant + timedelta(hours=2, minutes=59)) == (date(2026, 3, 9), instant)
    assert due_pulse(p, instant + timedelta(hours=3)) is None


def test_catch_up_across_local_midnight_keeps_yesterdays_date() -> None:
    late = plan("Asia/Kolkata", at=time(23, 30))
    # 23:30 IST Monday = 18:00 UTC; at 00:30 IST Tuesday the pulse is still Monday's.
    assert due_pulse(late, utc(2026, 3, 9, 19, 0)) == (date(2026, 3, 9), utc(2026, 3, 9, 18, 0))


def test_unknown_time_zone_falls_back_to_utc() -> None:
    assert pulse_instant(plan("Not/AZone"), date(2026, 3, 9)) == utc(2026, 3, 9, 10, 0)


def test_next_pulse_skips_the_weekend() -> None:
    p = plan("Europe/London")
    assert next_pulse(p, utc(2026, 3, 6, 11, 0)) == utc(2026, 3, 9, 10, 0)


def test_reminder_same_local_day_only() -> None:
    p = plan("America/New_York")
    day = date(2026, 3, 9)
    four_hours = timedelta(hours=4)
    assert not reminder_due(p, day, utc(2026, 3, 9, 17, 59), after=four_hours)
    assert reminder_due(p, day, utc(2026, 3, 9, 18, 0), after=four_hours)
    # 00:30 local the next day: too late.
    assert not reminder_due(p, day, utc(2026, 3, 10, 4, 30), after=four_hours)
