"""The digest chart draws the outcome and lag the flow-on finding is about, on its scale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.digest.chart import chart_alt_text, render_chart

FIRST = date(2026, 3, 2)


@dataclass(frozen=True)
class Week:
    week_start: date
    mean_mood: float | None
    win_share: float | None = None
    customer_csat: float | None = None


SERIES = [Week(FIRST + timedelta(weeks=i), 3.5 + 0.1 * i, 0.4, 3.9 + 0.1 * i) for i in range(4)]


def test_the_chart_names_the_findings_outcome_on_its_one_to_five_scale() -> None:
    alt = chart_alt_text(SERIES, scope="Everyone", lag=1, metric="customer_csat")
    assert alt.startswith(
        "Line chart of Everyone's mean mood (1–5) and the CSAT customers gave (1–5) by week"
    )
    assert "customer CSAT between 3.90 and 4.20, latest 4.20" in alt
    assert "a dashed line shifts customer CSAT back 1 week to match the finding" in alt
    assert "win share" not in alt


def test_without_a_finding_on_another_outcome_the_chart_shows_win_share() -> None:
    alt = chart_alt_text(SERIES, scope="support", lag=0)
    assert "and customer win share by week" in alt
    assert "win share between 40% and 40%" in alt


def test_the_chart_renders_the_findings_outcome_as_a_png() -> None:
    png = render_chart(SERIES, scope="Everyone", lag=1, metric="customer_csat")
    assert png.startswith(b"\x89PNG")
    assert png != render_chart(SERIES, scope="Everyone", lag=1)
