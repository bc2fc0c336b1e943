"""The drop alert's band: persistence allowed for, too little history refused, drops found."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from bot.alerts.store import MIN_HISTORY, check_week, mood_band
from tests.support.team_weeks import mood_week


def test_too_little_history_or_a_withheld_last_week_gives_no_band() -> None:
    assert mood_band([4.0] * (MIN_HISTORY - 1)) is None
    assert mood_band([4.0, 3.9, 4.1, 4.0, 3.8, 4.2, 4.0, 3.9, None]) is None


def test_a_sharp_fall_after_steady_weeks_is_below_the_band() -> None:
    history = [4.0, 4.1, 3.9, 4.0, 4.2, 3.9, 4.0, 4.1, 3.95, 4.05, 4.0, 4.1]
    band = mood_band(history)
    assert band is not None
    assert 3.8 < band.expected < 4.2
    assert band.low < 3.9
    assert band.low > 3.2  # a fall to 3.2 is outside it


def test_a_persistent_team_is_predicted_from_last_week_not_its_average() -> None:
    # A team that has sat low for weeks after a good spell: low is expected now, not a drop.
    history = [4.4, 4.5, 4.4, 4.3, 4.4, 3.6, 3.5, 3.6, 3.5, 3.6, 3.5, 3.6]
    band = mood_band(history)
    assert band is not None
    assert band.expected < 3.9
    assert band.low < 3.45


def test_on_generated_unchanged_teams_few_weeks_alert_and_real_drops_are_found() -> None:
    rng = np.random.default_rng(5)
    false_alarms = found = 0
    teams = 300
    for i in range(teams):
        phi = (0.0, 0.5, 0.8, 0.95)[i % 4]
        level, weeks = 0.0, []
        for _ in range(13):
            level = phi * level + rng.normal(0, 0.25 * (1 - phi * phi) ** 0.5)
            weeks.append(3.6 + level + rng.normal(0, 0.25))
        band = mood_band(weeks[:-1])
        assert band is not None
        false_alarms += weeks[-1] < band.low and band.expected - weeks[-1] >= 0.2
        dropped = weeks[-1] - 1.0
        found += dropped < band.low and band.expected - dropped >= 0.2
    assert false_alarms <= 0.05 * teams
    assert found >= 0.6 * teams  # 209 of 300 when written: weekly noise 0.25, drop 1.0


def test_check_week_skips_a_withheld_week_and_reports_the_figures() -> None:
    last = date(2026, 4, 6)
    moods = [4.0, 4.1, 3.9, 4.0, 4.2, 3.9, 4.0, 4.1, 3.95, 4.05, 4.0, 4.1, 2.9]
    rows = [mood_week(last - timedelta(weeks=12 - k), m) for k, m in enumerate(moods)]
    check = check_week(rows, last)
    assert check is not None
    assert check.is_drop
    assert (check.mood, check.respondents, check.team) == (2.9, 6, "support")
    rows[-1] = mood_week(last, None)
    assert check_week(rows, last) is None
