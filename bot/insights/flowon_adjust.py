"""What the flow-on finding takes out of each series before comparing: workload, and spread.

Each step works on one side (mood, or one outcome) alone, each team with its own
workload and its own spread: re-pairing teams moves whole adjusted series, so the
re-pairing test stays exact over them.

- Workload: a busy week lowers mood and customers' ratings together and lingers into
  the next week. Where the team-weeks carry ``tickets`` or ``handle_time``, each series
  is replaced by its residual from a regression (pooled over teams, after team and week
  effects) on the team's workload that week and the week before.
- Spread: a week with one mistyped rating would otherwise dominate the sums of squares,
  so on both sides values beyond 3 of the team's own standard deviations are pulled in
  to 3 (winsorised). Each team's *mood* series is also divided by its own standard
  deviation: every re-paired mood series then has the same spread, so a small team whose
  mood and outcomes are both noisy cannot make its own pairing look special among the
  re-pairings (one side on a common scale is enough for that). The outcome side keeps
  its own units: dividing it by its own spread too (the method before issue 29's second
  round) also divided out the link, since a team whose outcomes moved more with its mood
  has the larger spread, and cost 2–5 points of power (docs/flowon.md).
"""

from __future__ import annotations

import warnings

import numpy as np

from bot.insights.flowon_stats import Grid, demean_two_way, lagged

WORKLOAD = ("tickets", "handle_time")
CLIP = 3.0
GROSS = 5.0
_MAD_TO_SD = 1.4826  # a normal's sd per median absolute deviation


def workload_controls(workload: dict[str, Grid]) -> Grid | None:
    """(k, teams, weeks): log workload, team and week effects removed, this week and last.

    None when no workload was measured. Weeks without a value count as the team's usual
    (zero after demeaning): they are neither dropped nor allowed to move the fit.
    """
    present = [g for g in workload.values() if not np.isnan(g).all()]
    if not present:
        return None
    columns = []
    for grid in present:
        with np.errstate(divide="ignore", invalid="ignore"):
            logged = np.log1p(np.where(grid >= 0, grid, np.nan))
        demeaned = np.nan_to_num(demean_two_way(logged), nan=0.0)
        columns.extend([demeaned, np.nan_to_num(lagged(demeaned, 1), nan=0.0)])
    return np.stack(columns)


def without_workload(series: Grid, controls: Grid | None) -> Grid:
    """``series`` less what its team's workload (this week and last) explains."""
    if controls is None:
        return series
    seen = ~np.isnan(series)
    if seen.sum() <= controls.shape[0] + 2:
        return series
    x = controls[:, seen].T
    y = series[seen]
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    out = np.full_like(series, np.nan)
    out[seen] = y - x @ beta
    return out


def per_team_scaled(series: Grid) -> Grid:
    """Each team's series over its own spread, winsorised at ``CLIP`` of them (mood's side)."""
    tamed, sd = _tamed_and_spread(series)
    return tamed / sd


def per_team_winsorised(series: Grid) -> Grid:
    """Each team's series in its own units, winsorised at ``CLIP`` of its own spreads."""
    return _tamed_and_spread(series)[0]


def _tamed_and_spread(series: Grid) -> tuple[Grid, Grid]:
    """(series winsorised at ``CLIP`` own spreads, each team's spread); NaN without one.

    A gross outlier would inflate the very spread it is measured against, so values
    beyond ``GROSS`` median-based spreads (median absolute deviation) from the team's
    median are pulled in first; the scale itself is the standard deviation (a median-based
    scale was tried and lost a tenth of the power on clean panels: with 16 weeks the
    median absolute deviation is too noisy a yardstick to divide by).
    """
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # a team with no value on this side
        centre = np.nanmedian(series, axis=1, keepdims=True)
        mad = np.nanmedian(np.abs(series - centre), axis=1, keepdims=True) * _MAD_TO_SD
        reach = np.where(mad > 1e-9, GROSS * mad, np.inf)
        tamed = np.clip(series, centre - reach, centre + reach)
        sd = np.nanstd(tamed, axis=1, keepdims=True)
        ok = np.isfinite(sd) & (sd > 1e-9)
        spread = np.where(ok, sd, 1.0)
        clipped = np.clip(tamed / spread, -CLIP, CLIP) * spread
        return np.where(ok, clipped, np.nan), spread


def adjusted(grid: Grid, controls: Grid | None, *, mood: bool) -> Grid:
    """Team and week effects removed, then workload; then mood on each team's own spread,
    an outcome winsorised in its own units."""
    residual = without_workload(demean_two_way(grid), controls)
    return per_team_scaled(residual) if mood else per_team_winsorised(residual)
