"""The flow-on finding: does a team's mood go with, or run ahead of, how its customers fare?

Pure functions over team-week rows (no database, no Slack); the digest, App Home, the
demo and ``cxpulse flowon`` (database or ``--input`` CSV) all call ``analyse``.

What is compared: a team's mood in week t with its customer outcome in week t + lag
(lags 0–2, ``mood_leads``), beyond what that team's usual level, the whole
organisation's week (two-way fixed effects) and the outcome's own previous week
(Granger-style) explain; and, as a check, the outcome in week t with mood in t + lag
beyond mood's own previous week (``outcome_leads``). Inference re-pairs whole team
series (team a's mood with team b's outcomes), which keeps each series' persistence and
the weeks it shares with every other team; see ``flowon_stats``.

One declared primary test: mood leading the first outcome with enough data (customer-
reported first) by one week (``PRIMARY_LAG``; why one week: docs/flowon.md), one-sided in
the declared direction, better mood with better outcomes (why: docs/flowon.md). Only that
can make a claim; a clearly negative primary link is named in the sentence as exploratory.
Lags 0 and 2 and the reverse direction are exploratory and shown with Holm-adjusted
p-values (statsmodels). Before comparing, each series loses what the team's workload
explains (when the team-weeks carry it); mood is put on its team's own spread and
outcomes are winsorised in their own units (``flowon_adjust``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from bot.insights import flowon_adjust as adjust
from bot.insights import flowon_stats as st
from bot.insights import flowon_words as words
from bot.insights.flowon_metrics import (
    ALWAYS_LISTED,
    METRICS,
    MIN_TEAMS,
    MOOD_LEADS,
    OUTCOME_LEADS,
)

__all__ = ["MIN_TEAMS", "MOOD_LEADS", "OUTCOME_LEADS", "FlowOnFinding", "FlowOnResult", "analyse"]

LAGS = (0, 1, 2)
PRIMARY_LAG = 1
PRIMARY = "primary"
EXPLORATORY = "exploratory"
GREATER, TWO_SIDED = "greater", "two-sided"  # the primary test's declared direction
# The claim level. The test is exact, so a claim at level α is false in α of panels with no
# link; the promise is ≤ 5% as counted by bench/flowon_calibration.py over 1,000 panels in
# each of 16 null families. At α = 0.05 about half the families would read above 5% by
# chance alone; at 0.035 a family reads above 5% with probability 0.6% (exact binomial),
# 9% for any of the 16. Chosen from that arithmetic, never from which seeds claimed.
ALPHA = 0.035
POWER = 0.8
METHOD = "twfe-granger-team-permutation-one-sided"
METHOD_IN_WORDS = (
    "two-way fixed effects (team and week), the team's workload (when measured) and the "
    "outcome's own previous week controlled, each team's mood on its own spread; p-values "
    "from re-pairing whole team series (every re-pairing up to 7 teams, else 999), "
    "one-sided for the declared link (better mood, better outcomes the next week)"
)


class TeamWeekLike(Protocol):
    """What the analysis reads from a team-week; outcome columns are read by name."""

    @property
    def team(self) -> str: ...

    @property
    def week_start(self) -> date: ...

    @property
    def mean_mood(self) -> float | None: ...


@dataclass(frozen=True)
class FlowOnResult:
    """One comparison: a metric, a lag and a direction."""

    metric: str
    lag_weeks: int
    direction: str
    rho: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    p_value: float | None = None
    p_adjusted: float | None = None
    role: str = EXPLORATORY
    alternative: str = TWO_SIDED

    @property
    def significant(self) -> bool:
        """True when the adjusted p-value is below ``ALPHA`` (only a primary one is claimed)."""
        return self.p_adjusted is not None and self.p_adjusted < ALPHA

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON keys (see DESIGN "Interfaces that stay stable"), then ``role``."""

        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "metric": self.metric,
            "lag_weeks": self.lag_weeks,
            "direction": self.direction,
            "rho": r(self.rho),
            "ci_low": r(self.ci_low),
            "ci_high": r(self.ci_high),
            "n": self.n,
            "p_adjusted": r(self.p_adjusted),
            "role": self.role,
            "alternative": self.alternative,
        }


@dataclass(frozen=True)
class FlowOnFinding:
    """Every comparison tried, the one claimed (if any) and the sentence."""

    results: list[FlowOnResult]
    best: FlowOnResult | None
    summary: str
    primary_metric: str | None = None
    detectable_rho: float | None = None
    workload_controlled: bool = False
    # The primary link when it is clearly negative: never claimed, named as exploratory.
    opposite: FlowOnResult | None = None
    # Too little data: (team-weeks, teams, team-weeks needed), to word it in any language.
    shortfall: tuple[int, int, int] | None = None

    @property
    def claim(self) -> bool:
        """True exactly when the summary states a link."""
        return self.best is not None

    def to_dict(self) -> dict[str, Any]:
        """``{"summary", "claim", "method", "results", ...}`` as the CLI prints it."""
        return {
            "summary": self.summary,
            "claim": self.claim,
            "method": METHOD,
            "results": [r.to_dict() for r in self.results],
            "claimed": None if self.best is None else self.best.to_dict(),
            "primary_metric": self.primary_metric,
            "detectable_rho": None
            if self.detectable_rho is None
            else round(self.detectable_rho, 3),
            "workload_controlled": self.workload_controlled,
        }


def comparisons(metrics: Sequence[str]) -> list[tuple[str, int, str]]:
    """(metric, lag, direction) in the order results are listed; lag 0 is tested once."""
    return [
        (metric, lag, direction)
        for metric in metrics
        for direction in (MOOD_LEADS, OUTCOME_LEADS)
        for lag in LAGS
        if not (direction == OUTCOME_LEADS and lag == 0)
    ]


def _grids(
    rows: Sequence[TeamWeekLike],
) -> tuple[st.Grid, dict[str, st.Grid], dict[str, st.Grid]]:
    """Mood, each listed outcome and workload as teams × weeks grids (NaN: no value)."""
    teams = {name: i for i, name in enumerate(sorted({row.team for row in rows}))}
    weeks = [row.week_start.toordinal() // 7 for row in rows]
    first = min(weeks, default=0)
    t_idx = np.fromiter((teams[row.team] for row in rows), dtype=np.intp, count=len(rows))
    w_idx = np.asarray(weeks, dtype=np.intp) - first
    fields = ("mean_mood", *(m.name for m in METRICS), *adjust.WORKLOAD)
    # One pass; numpy reads None as NaN. Outcome columns a row lacks are None too.
    values = np.array(
        [[getattr(row, f, None) for f in fields] for row in rows], dtype=np.float64
    ).reshape(len(rows), len(fields))
    grid = np.full((len(fields), len(teams), (max(weeks, default=0) - first) + 1), np.nan)
    grid[:, t_idx, w_idx] = values.T
    named = dict(zip(fields, grid, strict=True))
    listed = {
        m.name: named[m.name]
        for m in METRICS
        if m.name in ALWAYS_LISTED or not np.isnan(named[m.name]).all()
    }
    return grid[0], listed, {name: named[name] for name in adjust.WORKLOAD}


def analyse(rows: Sequence[TeamWeekLike], *, min_team_weeks: int = 10) -> FlowOnFinding:
    """Every metric × lag × direction, the primary test, and the sentence to show."""
    mood, outcomes, workload = _grids(rows)
    tried = comparisons(list(outcomes))
    has_mood = ~np.isnan(mood)
    has_outcome = np.any([~np.isnan(g) for g in outcomes.values()], axis=0)
    # The teams re-paired: those with some mood and some outcome.
    keep = has_mood.any(axis=1) & has_outcome.any(axis=1)
    both = int((has_mood & has_outcome)[keep].sum())
    teams = int(keep.sum())
    empty = [FlowOnResult(m, lag, d, None, None, None, 0) for m, lag, d in tried]
    if teams < MIN_TEAMS or both < min_team_weeks:
        return FlowOnFinding(
            empty,
            None,
            words.not_enough(both, teams, min_team_weeks),
            shortfall=(both, teams, min_team_weeks),
        )
    with st.one_blas_thread():
        controls = adjust.workload_controls({k: g[keep] for k, g in workload.items()})
        measured = _measure(mood[keep], {k: g[keep] for k, g in outcomes.items()}, tried, controls)
    tested = [
        i
        for i in range(len(tried))
        if measured.n_obs[i] >= min_team_weeks and not np.isnan(measured.r[0, i])
    ]
    # Declared from how much data each outcome has, never from the results.
    primary = next(
        (
            m
            for i, (m, lag, d) in enumerate(tried)
            if i in tested and (lag, d) == (PRIMARY_LAG, MOOD_LEADS)
        ),
        None,
    )
    if primary is None:
        most = int(measured.n_obs.max(initial=0))
        return FlowOnFinding(
            empty,
            None,
            words.not_enough(most, teams, min_team_weeks),
            shortfall=(most, teams, min_team_weeks),
        )
    finding = replace(
        _judge(measured, tried, tested, primary), workload_controlled=controls is not None
    )
    return replace(finding, summary=words.sentence(finding))


@dataclass(frozen=True)
class _Measured:
    """Per re-pairing (row 0: as observed) and comparison: ρ, n and the test statistic."""

    r: st.Grid
    t: st.Grid
    n_obs: npt.NDArray[np.int64]
    spread: st.Grid  # sd of t over re-pairings: how far the time structure widens Fisher's


def _measure(
    mood: st.Grid,
    outcomes: dict[str, st.Grid],
    tried: list[tuple[str, int, str]],
    controls: st.Grid | None,
) -> _Measured:
    mood_fe = adjust.adjusted(mood, controls, mood=True)
    fe = {name: adjust.adjusted(g, controls, mood=False) for name, g in outcomes.items()}
    designs = [
        st.Design(fe[m], st.lagged(mood_fe, lag), mood_is_dependent=False)
        if d == MOOD_LEADS
        else st.Design(mood_fe, st.lagged(fe[m], lag), mood_is_dependent=True)
        for m, lag, d in tried
    ]
    perms = st.permutations(mood.shape[0], st.data_seed(mood, *outcomes.values()))
    choose = st.chooser(perms)
    # One comparison at a time keeps memory to one teams × teams × 10 block (3 MB at 200 teams).
    picked = np.stack([st.pick(st.cross_sums(design), choose) for design in designs], axis=1)
    r, n = st.partial_correlation(picked)
    t = np.nan_to_num(st.fisher_t(r, n), nan=0.0)
    return _Measured(r, t, n[0].astype(np.int64), t.std(axis=0))


def _judge(
    m: _Measured, tried: list[tuple[str, int, str]], tested: list[int], primary: str
) -> FlowOnFinding:
    """p-values (one-sided for the primary test, Holm for the rest) and the claim."""
    first = tried.index((primary, PRIMARY_LAG, MOOD_LEADS))
    others = [i for i in tested if i != first]
    size = np.abs(m.t)
    p_raw = [st.share_at_least(size[:, i], size[0, i]) for i in range(len(tried))]
    p_adj = dict(zip(others, st.holm([p_raw[i] for i in others]), strict=True))
    # The declared direction: the share of re-pairings whose statistic is at least as high.
    p_adj[first] = p_raw[first] = st.share_at_least(m.t[:, first], m.t[0, first])
    p_opposite = st.share_at_least(-m.t[:, first], -m.t[0, first])
    spread = float(m.spread[first])
    # 80% power: the statistic must clear both the (1 - ALPHA) quantile of its re-pairings
    # and the 95% interval's reach above zero.
    crit = max(float(np.quantile(m.t[:, first], 1.0 - ALPHA)), st.z_crit(0.95) * spread)
    reach = crit + st.z_crit(2 * POWER - 1) * spread
    detectable = math.tanh(reach / math.sqrt(max(int(m.n_obs[first]) - 4, 1)))
    results = []
    for i, (metric, lag, direction) in enumerate(tried):
        n = int(m.n_obs[i])
        if i not in tested:
            results.append(FlowOnResult(metric, lag, direction, None, None, None, n))
            continue
        rho = float(m.r[0, i])
        low, high = st.interval(rho, n, float(m.spread[i]))
        role, side = (PRIMARY, GREATER) if i == first else (EXPLORATORY, TWO_SIDED)
        results.append(
            FlowOnResult(metric, lag, direction, rho, low, high, n, p_raw[i], p_adj[i], role, side)
        )
    declared = results[first]
    above = declared.ci_low is not None and declared.ci_low > 0
    below = declared.ci_high is not None and declared.ci_high < 0
    best = declared if declared.significant and above else None
    opposite = declared if p_opposite < ALPHA and below else None
    return FlowOnFinding(results, best, "", primary, detectable, opposite=opposite)
