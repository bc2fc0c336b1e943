"""The flow-on analysis on generated team-weeks (in memory: no database)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from bench.flowon_panels import PanelSpec, panel_rows
from bot.core.weeks import parse_iso_week
from bot.insights import flowon_stats as st
from bot.insights.flowon import MOOD_LEADS, PRIMARY, analyse, comparisons
from bot.insights.flowon_input import CsvTeamWeek

FIRST_WEEK = date(2026, 1, 5)
RESULT_KEYS = ["metric", "lag_weeks", "direction", "rho", "ci_low", "ci_high", "n", "p_adjusted"]
NULL = PanelSpec(teams=20, weeks=26, mood_ar=0.7, outcome_ar=0.7)
LINK = PanelSpec(teams=20, weeks=26, effect=0.4, lag=1)


def rows_of(spec: PanelSpec, seed: int) -> list[CsvTeamWeek]:
    """A generated panel as the rows `flowon --input` reads."""
    out = []
    for r in panel_rows(spec, seed):
        outcomes = {
            k: None if v is None else float(v)  # type: ignore[arg-type]
            for k, v in r.items()
            if k in ("win_share", "mean_csat", "mean_sentiment", "customer_csat", "customer_nps")
        }
        mood = r["mean_mood"]
        out.append(
            CsvTeamWeek(
                str(r["team"]),
                parse_iso_week(str(r["week"])),
                None if mood is None else float(mood),  # type: ignore[arg-type]
                outcomes,
            )
        )
    return out


def test_a_planted_link_is_found_at_its_lag_in_nearly_every_seed() -> None:
    found = 0
    for seed in range(20):
        best = analyse(rows_of(LINK, seed)).best
        found += best is not None and (best.lag_weeks, best.direction) == (1, MOOD_LEADS)
    assert found >= 19


def test_persistent_series_without_a_link_rarely_make_a_claim() -> None:
    # The old pooled method claimed in about a third of such panels; an exact 5% test
    # makes more than 10 claims in 100 seeds with probability about 1%.
    claims = sum(analyse(rows_of(NULL, 500 + seed)).claim for seed in range(100))
    assert claims <= 10


def test_the_same_team_weeks_give_the_same_finding_in_any_order() -> None:
    rows = rows_of(NULL, 3)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    assert analyse(rows) == analyse(shuffled)


def test_no_clear_link_says_how_weak_a_link_could_have_gone_unseen() -> None:
    small = analyse(rows_of(replace(NULL, teams=8, weeks=12), 4))
    large = analyse(rows_of(replace(NULL, teams=40, weeks=40), 4))
    for finding in (small, large):
        assert not finding.claim
        assert finding.summary.startswith("No clear link between team mood and")
        assert "could go unseen with this much data" in finding.summary
        assert f"about ρ {finding.detectable_rho:.2f}" in finding.summary
    assert small.detectable_rho is not None
    assert large.detectable_rho is not None
    assert large.detectable_rho < 0.15 < 0.3 < small.detectable_rho < 0.9


def test_a_claim_states_the_link_with_its_interval_n_and_method() -> None:
    finding = analyse(rows_of(LINK, 0))
    best = finding.best
    assert finding.claim
    assert best is not None
    assert best.role == PRIMARY
    assert best.ci_low is not None
    assert best.ci_low > 0
    text = finding.summary
    assert text.startswith("In weeks when a team's mood was above its usual level, the next week")
    assert f"{best.n} team-weeks" in text
    assert "95% CI" in text
    assert "the whole organisation's week" in text
    assert "cause" not in text.lower()


def test_too_few_team_weeks_or_teams_make_no_claim() -> None:
    few_weeks = analyse(rows_of(replace(LINK, teams=6, weeks=2), 1), min_team_weeks=10)
    few_teams = analyse(rows_of(replace(LINK, teams=3, weeks=40, effect=0.8), 1))
    for finding in (few_weeks, few_teams):
        assert not finding.claim
        assert all(r.rho is None and r.p_adjusted is None for r in finding.results)
        assert finding.summary.startswith("Not enough data for a flow-on finding yet")
    assert "from 3 teams; at least 10 team-weeks from 5 teams" in few_teams.summary


def test_results_cover_every_metric_lag_and_direction_with_the_stable_keys() -> None:
    finding = analyse(rows_of(LINK, 1))
    combos = [(r.metric, r.lag_weeks, r.direction) for r in finding.results]
    assert combos == comparisons(["win_share", "mean_csat", "mean_sentiment"])
    assert len(combos) == 15
    as_json = finding.to_dict()
    assert list(as_json)[:4] == ["summary", "claim", "method", "results"]
    assert as_json["claim"] is True
    for item in as_json["results"]:
        assert list(item)[: len(RESULT_KEYS)] == RESULT_KEYS


def test_customer_reported_outcomes_are_preferred_when_there_is_enough_of_them() -> None:
    spec = replace(LINK, customer=True)
    finding = analyse(rows_of(spec, 2))
    assert finding.primary_metric == "customer_csat"
    assert finding.best is not None
    assert finding.best.metric == "customer_csat"
    assert "customers gave higher CSAT" in finding.summary
    # Too few customer ratings: the team's own moments come first again.
    rows = rows_of(spec, 2)
    sparse_rows = [
        replace(r, outcomes={**r.outcomes, "customer_csat": None, "customer_nps": None})
        if i % 20
        else r
        for i, r in enumerate(rows)
    ]
    assert analyse(sparse_rows).primary_metric == "win_share"


def test_withheld_mood_is_left_out() -> None:
    rows = [replace(r, mean_mood=None) if r.team == "team-00" else r for r in rows_of(NULL, 5)]
    finding = analyse(rows)
    all_rows = analyse(rows_of(NULL, 5))
    lag0 = next(r for r in finding.results if r.lag_weeks == 0 and r.metric == "win_share")
    lag0_all = next(r for r in all_rows.results if r.lag_weeks == 0 and r.metric == "win_share")
    assert lag0.n == lag0_all.n - 25  # team-00's 26 weeks, less the first (no previous week)


def _shifted(rows: list[CsvTeamWeek], by_team: float, by_week: float) -> list[CsvTeamWeek]:
    """Happy teams win more, and good weeks lift everyone: neither is a flow-on."""
    out = []
    for r in rows:
        t = int(r.team.split("-")[1])
        w = (r.week_start - rows[0].week_start).days // 7
        lift = by_team * t + by_week * (w % 3)
        mood = None if r.mean_mood is None else r.mean_mood + lift
        win = r.outcomes["win_share"]
        out.append(
            replace(
                r,
                mean_mood=mood,
                outcomes={**r.outcomes, "win_share": None if win is None else win + lift / 10},
            )
        )
    return out


def test_team_and_week_differences_are_not_read_as_a_link() -> None:
    rows = rows_of(replace(NULL, teams=12), 6)
    plain = analyse(rows)
    moved = analyse(_shifted(rows, by_team=0.05, by_week=0.3))
    assert not moved.claim
    for a, b in zip(plain.results, moved.results, strict=True):
        if a.metric == "win_share" and a.rho is not None:
            assert b.rho == pytest.approx(a.rho, abs=1e-9)


def test_two_way_demeaning_matches_a_regression_on_team_and_week_dummies() -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(0)
    grid = rng.normal(size=(7, 9)) + np.arange(7)[:, None] + np.arange(9)[None, :] ** 0.5
    grid[rng.random(grid.shape) < 0.2] = np.nan
    teams, weeks = np.nonzero(~np.isnan(grid))
    dummies = np.column_stack(
        [teams == i for i in range(7)] + [weeks == j for j in range(1, 9)]
    ).astype(float)
    fit = sm.OLS(grid[teams, weeks], dummies).fit()
    assert np.allclose(st.demean_two_way(grid)[teams, weeks], fit.resid, atol=1e-8)


def test_the_partial_correlation_matches_statsmodels_ols() -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(1)
    outcome, mood = rng.normal(size=(6, 12)), rng.normal(size=(6, 12))
    outcome[:, 1:] += 0.5 * mood[:, :-1]
    outcome[0, 3] = np.nan
    design = st.Design(st.demean_two_way(outcome), st.lagged(st.demean_two_way(mood), 1), False)
    r, n = st.partial_correlation(st.pick(st.cross_sums(design), st.chooser(np.arange(6)[None, :])))
    d, c, x = design.dependent, st.lagged(design.dependent, 1), design.regressor
    ok = ~(np.isnan(d) | np.isnan(c) | np.isnan(x))
    fit = sm.OLS(d[ok], sm.add_constant(np.column_stack([c[ok], x[ok]]))).fit()
    t = fit.tvalues[2]
    assert int(n[0]) == ok.sum()
    assert r[0] == pytest.approx(t / np.sqrt(t * t + fit.df_resid), abs=1e-9)


def test_few_teams_try_every_re_pairing() -> None:
    assert st.permutations(5, seed=1).shape == (120, 5)
    many = st.permutations(12, seed=1)
    assert many.shape == (1000, 12)
    assert (many[0] == np.arange(12)).all()
    assert (np.sort(many, axis=1) == np.arange(12)).all()
    assert (st.permutations(12, seed=1) == many).all()


def test_week_starts_map_to_one_grid_column_each() -> None:
    rows = [
        CsvTeamWeek(f"t{t}", FIRST_WEEK + timedelta(weeks=w), 3.0 + (t * w) % 3, {"win_share": 0.5})
        for t in range(4)
        for w in (0, 2, 3)
    ]
    finding = analyse(rows, min_team_weeks=1)
    assert finding.summary  # a gap in the weeks is a missing week, not a crash
