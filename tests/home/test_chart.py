"""The lead's chart: a withheld week is a gap (NaN), never a zero; the alt text says so."""

from __future__ import annotations

import math
from datetime import date, timedelta

from bot.home.chart import ALT_TEXT_LIMIT, chart_alt_text, lead_figure, render_lead_chart
from bot.insights.teamweeks import TeamWeek

FIRST = date(2026, 1, 19)
WEEKS = [FIRST + timedelta(weeks=k) for k in range(12)]


def _row(week: date, mood: float | None) -> TeamWeek:
    shown = mood is not None
    return TeamWeek(
        team_id=1,
        team="support",
        week_start=week,
        respondents=6 if shown else None,
        mean_mood=mood,
        participation=0.75 if shown else None,
        moments=2,
        wins=1,
        problems=1,
        win_share=0.5,
        mean_csat=4.0,
        mean_sentiment=0.1,
        celebrations=0,
    )


def test_a_withheld_week_is_a_gap_in_mood_and_participation_not_a_zero() -> None:
    rows = {w: _row(w, None if k == 5 else 3.5 + (k % 3) / 10) for k, w in enumerate(WEEKS)}
    figure = lead_figure(WEEKS, rows, scope="support")
    mood_axis, share_axis = figure.axes
    mood = mood_axis.lines[0].get_ydata()
    participation = share_axis.lines[0].get_ydata()
    assert math.isnan(mood[5])
    assert math.isnan(participation[5])
    assert all(not math.isnan(v) and v > 0 for i, v in enumerate(mood) if i != 5)
    assert participation[4] == 75.0
    # Customer outcomes are not pulse answers: the withheld week still has them.
    assert share_axis.lines[1].get_ydata()[5] == 50.0
    assert render_lead_chart(WEEKS, rows, scope="support").startswith(b"\x89PNG")


def test_alt_text_names_the_weeks_the_figures_and_each_gap() -> None:
    rows = {w: _row(w, 4.0) for w in WEEKS}
    rows.pop(WEEKS[2])  # nobody answered at all that week
    rows[WEEKS[7]] = _row(WEEKS[7], None)
    alt = chart_alt_text(WEEKS, rows, scope="support", threshold=5)
    assert alt.startswith("Line chart of support's last 12 closed weeks, 2026-W04 to 2026-W15")
    assert "mean mood (1–5) between 4.0 and 4.0, latest 4.0" in alt
    assert "participation between 75% and 75%" in alt
    assert "2026-W06 withheld, 2026-W11 withheld (fewer than 5 people answered" in alt
    assert "gap, not a zero" in alt
    long = chart_alt_text(WEEKS, rows, scope="x" * 3000, threshold=5)
    assert len(long) <= ALT_TEXT_LIMIT
