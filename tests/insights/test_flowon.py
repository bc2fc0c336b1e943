"""The flow-on analysis on generated team-weeks (in memory: no database)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from bot.insights.flowon import (
    MOOD_LEADS,
    FlowOnResult,
    analyse,
    fisher_interval,
    holm,
    spearman,
)

FIRST_WEEK = date(2026, 1, 5)
RESULT_KEYS = ["metric", "lag_weeks", "direction", "rho", "ci_low", "ci_high", "n", "p_adjusted"]


@dataclass(frozen=True)
class Row:
    team: str
    week_start: date
    mean_mood: float | None
    win_share: float | None
    mean_csat: float | None
    mean_sentiment: float | None
    customer_csat: float | None = None
    customer_nps: float | None = None


def generate(seed: int, *, effect: float, teams: int = 20, weeks: int = 16) -> list[Row]:
    """Teams with their own baselines; win share follows last week's centred mood by ``effect``."""
    rng = np.random.default_rng(seed)
    rows: list[Row] = []
    for t in range(teams):
        base_mood = rng.normal(3.5, 0.4)
        base_win = rng.uniform(0.3, 0.7)
        mood = rng.normal(0.0, 1.0, weeks)
        noise = rng.normal(0.0, 1.0, weeks)
        for w in range(weeks):
            lagged = mood[w - 1] if w > 0 else rng.normal()
            # corr(effect·m + sqrt(1-effect²)·e, m) = effect
            signal = effect * lagged + math.sqrt(1 - effect**2) * noise[w]
            rows.append(
                Row(
                    team=f"team-{t}",
                    week_start=FIRST_WEEK + timedelta(weeks=w),
                    mean_mood=base_mood + 0.3 * mood[w],
                    win_share=base_win + 0.1 * signal,
                    mean_csat=float(rng.normal(4.0, 0.3)),
                    mean_sentiment=float(rng.normal(0.1, 0.2)),
                )
            )
    return rows


def test_planted_lag_one_effect_is_found_with_an_interval_excluding_zero() -> None:
    finding = analyse(generate(7, effect=0.5), min_team_weeks=10)
    best = finding.best
    assert best is not None
    assert (best.metric, best.lag_weeks, best.direction) == ("win_share", 1, MOOD_LEADS)
    assert best.ci_low is not None
    assert best.ci_low > 0
    assert best.n == 20 * 15
    assert "the next week's customer moments were more often wins" in finding.summary
    assert f"{best.n} team-weeks" in finding.summary
    assert "95% CI" in finding.summary
    assert "cause" not in finding.summary.lower()


def test_planted_effect_is_found_in_most_seeds() -> None:
    found = 0
    for seed in range(20):
        best = analyse(generate(seed, effect=0.5)).best
        found += best is not None and (best.metric, best.lag_weeks) == ("win_share", 1)
    assert found >= 19


def test_no_effect_makes_no_claim_in_at_least_95_of_100_seeds() -> None:
    claims = sum(analyse(generate(seed, effect=0.0)).best is not None for seed in range(100))
    assert claims <= 5
    quiet = analyse(generate(1000, effect=0.0))
    if quiet.best is None:
        assert quiet.summary.startswith("No clear link")


def test_too_few_team_weeks_makes_no_claim() -> None:
    rows = generate(3, effect=0.9, teams=1, weeks=8)
    finding = analyse(rows, min_team_weeks=10)
    assert finding.best is None
    assert all(r.rho is None and r.p_adjusted is None for r in finding.results)
    assert finding.summary.startswith("Not enough data")
    assert "at least 10" in finding.summary


def test_results_cover_every_metric_lag_and_direction_with_the_stable_keys() -> None:
    finding = analyse(generate(1, effect=0.5))
    combos = {(r.metric, r.lag_weeks, r.direction) for r in finding.results}
    assert len(combos) == len(finding.results) == 25
    assert ("win_share", 2, "outcome_leads") in combos
    for item in finding.to_dict()["results"]:
        assert list(item) == RESULT_KEYS


def test_withheld_mood_is_left_out() -> None:
    rows = [Row("a", FIRST_WEEK + timedelta(weeks=w), None, 0.5, 4.0, 0.1) for w in range(30)]
    finding = analyse(rows)
    assert all(r.n == 0 for r in finding.results)


def test_within_team_centring_removes_between_team_differences() -> None:
    # Happy teams win more overall, but within each team mood and wins move oppositely.
    rng = np.random.default_rng(5)
    rows = []
    for t in range(6):
        for w in range(10):
            wiggle = float(rng.normal(0, 0.1))
            rows.append(
                Row(
                    f"t{t}",
                    FIRST_WEEK + timedelta(weeks=w),
                    t + wiggle,
                    t / 10 - wiggle / 10,
                    None,
                    None,
                )
            )
    lag0 = next(
        r
        for r in analyse(rows).results
        if (r.metric, r.lag_weeks, r.direction) == ("win_share", 0, MOOD_LEADS)
    )
    assert lag0.rho is not None
    assert lag0.rho < -0.9


def test_statistics_helpers() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert math.isclose(spearman([1, 2, 2, 3], [1, 2, 3, 4]) or 0, 0.9486833, rel_tol=1e-6)
    low, high, p = fisher_interval(0.41, 38)
    assert round(low, 2) == 0.09
    assert round(high, 2) == 0.65
    assert 0.01 < p < 0.02
    assert holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06]
    assert FlowOnResult("win_share", 1, MOOD_LEADS, None, None, None, 3).significant is False
