"""Team-weeks built in memory, for the tests of the lines, charts and alerts drawn from them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.insights.teamweeks import TeamWeek

SUPPORT_WEEK = TeamWeek(
    team_id=1,
    team="support",
    week_start=date(2026, 3, 2),
    respondents=6,
    mean_mood=3.5,
    participation=0.75,
    moments=2,
    wins=1,
    problems=1,
    win_share=0.5,
    mean_csat=4.0,
    mean_sentiment=0.1,
    celebrations=0,
)


def team_week(**fields: Any) -> TeamWeek:
    """A shown week of the support team (six answered, two moments); ``fields`` change it."""
    return replace(SUPPORT_WEEK, **fields)


def mood_week(week: date, mood: float | None) -> TeamWeek:
    """Support's ``week`` with mean ``mood``; None: withheld (too few answered, so no
    respondents and no participation either)."""
    if mood is None:
        return team_week(week_start=week, respondents=None, mean_mood=None, participation=None)
    return team_week(week_start=week, mean_mood=mood)
