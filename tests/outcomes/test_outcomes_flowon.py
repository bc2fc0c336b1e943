"""The flow-on analysis reads the customer-reported columns (from the database or a CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from bot.insights.flowon import analyse

FIRST = date(2026, 1, 5)


@dataclass(frozen=True)
class Row:
    team: str
    week_start: date
    mean_mood: float | None
    win_share: float | None = None
    mean_csat: float | None = None
    mean_sentiment: float | None = None
    customer_csat: float | None = None
    customer_nps: float | None = None


def _rows(effect: float, seed: int = 5, lag: int = 1) -> list[Row]:
    """12 teams × 20 weeks; customers' ratings follow mood ``lag`` weeks later."""
    rng = np.random.default_rng(seed)
    rows = []
    for team in range(12):
        mood = rng.normal(0, 1, 20)
        for week in range(20):
            led = mood[week - lag] if week >= lag else rng.normal()
            rated = effect * led + np.sqrt(1 - effect**2) * rng.normal()
            rows.append(
                Row(
                    f"t{team}",
                    FIRST + timedelta(weeks=week),
                    3.5 + mood[week] * 0.4,
                    customer_csat=4.0 + 0.3 * rated,
                    customer_nps=20 + 10 * rated,
                )
            )
    return rows


def test_customers_own_ratings_are_analysed() -> None:
    finding = analyse(_rows(0.6, lag=1))
    metrics = {r.metric for r in finding.results if r.rho is not None}
    assert metrics == {"customer_csat", "customer_nps"}  # no moments logged at all
    assert finding.best is not None
    assert finding.best.metric in ("customer_csat", "customer_nps")
    assert finding.best.lag_weeks == 1
    assert "customers" in finding.summary


def test_no_link_is_claimed_when_ratings_do_not_follow_mood() -> None:
    finding = analyse(_rows(0.0))
    assert finding.best is None
