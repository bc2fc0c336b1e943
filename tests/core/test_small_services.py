"""Weeks and pseudonymous keys."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.core.weeks import iso_week_label, parse_iso_week, week_start
from bot.pulse.anonymity import respondent_key


@pytest.mark.parametrize(
    ("day", "label", "monday"),
    [
        (date(2026, 3, 11), "2026-W11", date(2026, 3, 9)),
        (date(2027, 1, 1), "2026-W53", date(2026, 12, 28)),
        (date(2024, 12, 30), "2025-W01", date(2024, 12, 30)),
    ],
)
def test_iso_weeks(day: date, label: str, monday: date) -> None:
    assert iso_week_label(day) == label
    assert week_start(day) == monday
    assert parse_iso_week(label) == monday


def test_respondent_key_is_keyed_per_week_and_not_the_user_id() -> None:
    monday, sunday = date(2026, 3, 2), date(2026, 3, 8)
    a = respondent_key("secret", "T1", "U1", day=monday)
    assert a == respondent_key("secret", "T1", "U1", day=sunday)  # one key for the week
    assert a != respondent_key("secret", "T1", "U1", day=sunday + timedelta(days=1))
    assert a != respondent_key("other", "T1", "U1", day=monday)
    assert a != respondent_key("secret", "T2", "U1", day=monday)
    assert len(a) == 64
    assert "U1" not in a


def test_respondent_key_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="CXPULSE_SECRET"):
        respondent_key("", "T1", "U1", day=date(2026, 3, 2))
