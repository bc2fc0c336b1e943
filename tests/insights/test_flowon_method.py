"""The flow-on method pinned on fixed generated panels (bench/flowon_panels.py).

Real team mood and customer outcomes are persistent week to week and share org-wide
shocks; a valid method makes no claim on such panels when there is no link, and finds
a planted link at its lag.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bench.flowon_panels import PanelSpec, panel_csv, panel_rows
from bot.core.weeks import parse_iso_week
from bot.insights.flowon import MOOD_LEADS, FlowOnFinding, analyse
from bot.insights.flowon_adjust import CLIP, per_team_scaled, per_team_winsorised
from bot.insights.flowon_input import read_team_weeks
from bot.insights.flowon_stats import share_at_least
from bot.insights.flowon_words import UNMEASURED_WORKLOAD

# No link; mood and outcomes each persistent (AR 0.8), 20 teams × 16 weeks.
PERSISTENT_NULL = (PanelSpec(teams=20, weeks=16, mood_ar=0.8, outcome_ar=0.8), 1)
# No link; an org-wide shock moves every team's mood and outcomes, 12 teams × 26 weeks.
ORG_SHOCK_NULL = (PanelSpec(teams=12, weeks=26, shock=1.5), 0)
# Mood leads the outcome by one week at strength 0.4, 20 teams × 26 weeks.
LAG_ONE_LINK = (PanelSpec(teams=20, weeks=26, effect=0.4, lag=1), 0)


@dataclass(frozen=True)
class Row:
    team: str
    week_start: date
    mean_mood: float | None
    win_share: float | None
    mean_csat: float | None
    mean_sentiment: float | None


def _analyse(panel: tuple[PanelSpec, int]) -> FlowOnFinding:
    spec, seed = panel
    rows = [
        Row(
            str(r["team"]),
            parse_iso_week(str(r["week"])),
            r["mean_mood"],  # type: ignore[arg-type]
            r["win_share"],  # type: ignore[arg-type]
            r["mean_csat"],  # type: ignore[arg-type]
            r["mean_sentiment"],  # type: ignore[arg-type]
        )
        for r in panel_rows(spec, seed)
    ]
    return analyse(rows, min_team_weeks=10)


def test_persistent_series_without_a_link_make_no_claim() -> None:
    finding = _analyse(PERSISTENT_NULL)
    assert finding.best is None, finding.summary
    assert finding.summary.startswith("No clear link")


def test_an_org_wide_shock_without_a_link_makes_no_claim() -> None:
    finding = _analyse(ORG_SHOCK_NULL)
    assert finding.best is None, finding.summary
    assert finding.summary.startswith("No clear link")


def test_a_planted_lag_one_link_is_claimed_at_lag_one_mood_leading() -> None:
    finding = _analyse(LAG_ONE_LINK)
    best = finding.best
    assert best is not None, finding.summary
    assert (best.metric, best.lag_weeks, best.direction) == ("win_share", 1, MOOD_LEADS)
    assert best.ci_low is not None
    assert best.ci_low > 0
    assert "the next week" in finding.summary
    assert f"{best.n} team-weeks" in finding.summary


# No link (AR 0.6, 20 teams × 16 weeks); by chance its primary p-value is 0.036.
BORDERLINE_NULL = (PanelSpec(teams=20, weeks=16, mood_ar=0.6, outcome_ar=0.6), 26)


def test_a_primary_p_value_between_the_claim_level_and_5_percent_is_not_a_claim() -> None:
    finding = _analyse(BORDERLINE_NULL)
    primary = [r for r in finding.results if r.role == "primary" and r.p_adjusted is not None]
    assert [r.lag_weeks for r in primary] == [1]  # one declared test: mood leading by a week
    assert primary[0].p_adjusted == 0.036
    assert finding.best is None, finding.summary
    assert finding.summary.startswith("No clear link")


# A realistic link (ρ 0.3, lag 1) in a 10-team organisation's first 16 weeks; the method
# before the one-sided test (both sides on their own spread, two-sided) missed this one.
TEN_TEAMS_LINK = (PanelSpec(teams=10, weeks=16, effect=0.3, lag=1), 18)


def test_a_realistic_link_in_ten_teams_over_sixteen_weeks_is_claimed_one_sided() -> None:
    finding = _analyse(TEN_TEAMS_LINK)
    best = finding.best
    assert best is not None, finding.summary
    assert (best.lag_weeks, best.direction, best.role) == (1, MOOD_LEADS, "primary")
    assert best.alternative == "greater"
    assert best.p_adjusted is not None
    assert best.p_adjusted < 0.035
    assert best.ci_low is not None
    assert best.ci_low > 0  # the 95% interval in the sentence lies above zero
    exploratory = [r for r in finding.results if r.role == "exploratory"]
    assert {r.alternative for r in exploratory} == {"two-sided"}


def test_a_negative_link_is_never_claimed_and_is_named_as_exploratory() -> None:
    # Better mood, *worse* outcomes the next week (ρ −0.4, 20 × 26): clear, but opposite to
    # the declared direction, so the one-sided test does not claim it.
    finding = _analyse((PanelSpec(teams=20, weeks=26, effect=-0.4, lag=1), 0))
    primary = next(r for r in finding.results if r.role == "primary")
    assert primary.rho is not None
    assert primary.ci_high is not None
    assert primary.rho < 0
    assert primary.ci_high < 0
    assert primary.p_adjusted is not None
    assert primary.p_adjusted > 0.9  # one-sided: almost every re-pairing reads higher
    assert not finding.claim
    assert finding.best is None
    assert finding.opposite == primary
    assert finding.summary.startswith("No clear link")
    assert "the next week customer moments were less often wins (ρ -0." in finding.summary
    assert "opposite pattern is exploratory, not a finding" in finding.summary


def test_a_one_sided_p_value_counts_the_observed_re_pairing_even_when_it_is_negative() -> None:
    # Row 0 is the observed pairing; a p-value of 0 would be impossible for an exact test.
    null = np.array([-2.0, -1.0, -3.0, 0.5])
    assert share_at_least(null, -2.0) == 0.75
    assert share_at_least(-null, 2.0) == 0.5


def test_four_teams_are_too_few_to_reach_the_claim_level() -> None:
    # 4! = 24 re-pairings: the smallest possible p-value, 1/24 = 0.042, is above the level.
    finding = _analyse((PanelSpec(teams=4, weeks=52, effect=0.9, lag=1), 0))
    assert finding.best is None
    assert finding.summary.startswith("Not enough data for a flow-on finding yet")
    assert "from 5 teams are needed" in finding.summary


def _from_csv(spec: PanelSpec, seed: int, tmp_path: Path) -> FlowOnFinding:
    """The panel as `cxpulse export team-weeks` writes it, read as `flowon --input` reads it."""
    path = tmp_path / f"panel-{seed}.csv"
    path.write_text(panel_csv(spec, seed), encoding="utf-8")
    return analyse(read_team_weeks(path), min_team_weeks=10)


# No link; a busy week lowers mood and outcomes together and lingers into the next week.
BUSY_NULL = PanelSpec(teams=20, weeks=26, workload=0.6)


def test_workload_without_its_column_is_named_as_an_unmeasured_alternative(
    tmp_path: Path,
) -> None:
    finding = _from_csv(BUSY_NULL, 21, tmp_path)
    # Workload alone fakes a flow-on here; the sentence must say it was not measured.
    assert finding.best is not None
    assert not finding.workload_controlled
    assert finding.summary.endswith(UNMEASURED_WORKLOAD)


def test_workload_in_the_team_weeks_is_controlled_and_the_busy_weeks_make_no_claim(
    tmp_path: Path,
) -> None:
    finding = _from_csv(replace(BUSY_NULL, workload_column=True), 21, tmp_path)
    assert finding.workload_controlled
    assert finding.best is None, finding.summary
    assert finding.summary.startswith("No clear link")


def test_a_planted_link_beside_workload_is_claimed_beyond_what_workload_explains(
    tmp_path: Path,
) -> None:
    spec = PanelSpec(teams=20, weeks=26, effect=0.4, workload=0.6, workload_column=True)
    finding = _from_csv(spec, 0, tmp_path)
    assert finding.best is not None, finding.summary
    assert (finding.best.lag_weeks, finding.best.direction) == (1, MOOD_LEADS)
    assert "beyond what the team's workload explains" in finding.summary
    assert UNMEASURED_WORKLOAD not in finding.summary


def test_unequal_teams_with_heavy_tailed_answers_and_outliers_make_no_claim(
    tmp_path: Path,
) -> None:
    spec = PanelSpec(
        teams=20,
        weeks=26,
        mood_ar=0.7,
        outcome_ar=0.7,
        team_size=(3, 60),
        answer_noise=True,
        heavy_tails=True,
        moments=4.0,
        customer=True,
    )
    finding = _from_csv(spec, 3, tmp_path)
    assert finding.primary_metric == "customer_csat"
    assert finding.best is None, finding.summary


def test_mood_is_put_on_each_teams_spread_and_outcomes_keep_their_own_units() -> None:
    rng = np.random.default_rng(4)
    quiet, noisy = rng.normal(0, 1, 30), rng.normal(0, 9, 30)
    noisy[5] = 400.0  # one mistyped week
    grid = np.vstack([quiet, noisy])
    mood, outcome = per_team_scaled(grid), per_team_winsorised(grid)
    # Mood: every team on its own spread, so every re-paired mood series has the same spread.
    assert float(np.std(mood[0])) == pytest.approx(1.0, abs=0.05)
    assert float(np.std(np.delete(mood[1], 5))) == pytest.approx(1.0, abs=0.3)
    # Outcome: the noisy team keeps its larger spread (a team whose outcomes move more with
    # its mood is not divided down), but its mistyped week is pulled in all the same.
    noisy_sd = float(np.std(np.delete(outcome[1], 5)))
    assert noisy_sd > 5 * float(np.std(outcome[0]))
    # ... pulled in to 3 of the team's own spreads, in its own units (the mistyped 400).
    assert mood[1, 5] == CLIP
    assert noisy_sd < outcome[1, 5] < CLIP * 1.5 * noisy_sd


def test_each_teams_series_is_put_on_its_own_spread_and_outliers_pulled_in() -> None:
    rng = np.random.default_rng(4)
    quiet, noisy = rng.normal(0, 1, 30), rng.normal(0, 9, 30)
    noisy[5] = 400.0  # one mistyped week
    scaled = per_team_scaled(np.vstack([quiet, noisy]))
    assert np.abs(scaled).max() == CLIP
    assert scaled[1, 5] == CLIP
    assert float(np.std(scaled[0])) == pytest.approx(1.0, abs=0.02)  # nothing to pull in
    # Its mistyped week does not set the noisy team's scale: its other weeks keep most of
    # their spread (divided by the outlier's own spread they would shrink to about 0.1).
    assert 0.7 < float(np.std(np.delete(scaled[1], 5))) < 1.1
