"""The numerics behind the flow-on finding: no Slack, no database, no Python loop per permutation.

- Every series is a teams × weeks grid (NaN where a week has no value) with team and
  week effects removed (two-way fixed effects, by alternating projections, which also
  handle missing weeks).
- A comparison regresses a dependent series on its own previous week (Granger-style)
  and on the other series ``lag`` weeks earlier; its effect is the partial correlation.
- Inference re-pairs whole team series: team a's mood with team b's outcomes. Two-way
  demeaning commutes with re-pairing teams, so every sum a re-pairing needs is an
  entry of a teams × teams matrix of cross-products, built once; each permutation then
  only picks one entry per team (a sparse matrix product over all permutations at once).
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import math
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from threadpoolctl import ThreadpoolController

Grid = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
PERMUTATIONS = 999  # re-pairings drawn when there are too many to try them all
EXACT_UP_TO = 7  # teams: up to 7! = 5,040 re-pairings, try every one


def demean_two_way(grid: Grid, *, tol: float = 1e-10, max_iter: int = 1000) -> Grid:
    """``grid`` with team (row) and week (column) means removed over observed cells."""
    seen = ~np.isnan(grid)
    weight = seen.astype(np.float64)
    x = np.where(seen, grid, 0.0)
    per_row = np.maximum(weight.sum(axis=1), 1.0)
    per_col = np.maximum(weight.sum(axis=0), 1.0)
    for _ in range(max_iter):
        row = x.sum(axis=1) / per_row
        x -= row[:, None] * weight
        col = x.sum(axis=0) / per_col
        x -= col[None, :] * weight
        if max(float(np.abs(row).max(initial=0.0)), float(np.abs(col).max(initial=0.0))) < tol:
            break
    return np.where(seen, x, np.nan)


def lagged(grid: Grid, lag: int) -> Grid:
    """``grid`` moved ``lag`` weeks later: cell t holds week t - lag (NaN before the start)."""
    if lag == 0:
        return grid
    out = np.full_like(grid, np.nan)
    out[:, lag:] = grid[:, :-lag]
    return out


@dataclass(frozen=True)
class Design:
    """One comparison: ``dependent`` on its previous week and ``regressor`` (both demeaned).

    ``mood_is_dependent`` says which side re-pairing moves: mood is always the moved side.
    """

    dependent: Grid
    regressor: Grid
    mood_is_dependent: bool


# Sums a partial correlation needs, as (dependent-side feature, regressor-side feature):
# n, Σd, Σc, Σd², Σc², Σdc, Σx, Σx², Σdx, Σcx (d: dependent, c: its last week, x: regressor).
_PAIRS = ((0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (0, 1), (0, 2), (1, 1), (2, 1))


def _features(design: Design) -> tuple[Grid, Grid]:
    """(dependent-side, regressor-side) feature stacks, zero where a value is missing."""
    d = design.dependent
    c = lagged(d, 1)
    both = ~(np.isnan(d) | np.isnan(c))
    d0, c0 = np.where(both, d, 0.0), np.where(both, c, 0.0)
    dep = np.stack([both.astype(np.float64), d0, c0, d0 * d0, c0 * c0, d0 * c0])
    x = design.regressor
    has = ~np.isnan(x)
    x0 = np.where(has, x, 0.0)
    reg = np.stack([has.astype(np.float64), x0, x0 * x0])
    return dep, reg


def cross_sums(design: Design) -> Grid:
    """(10, mood team, outcome team): each sum with that mood team paired with that outcome team."""
    dep, reg = _features(design)
    mood, outcome = (dep, reg) if design.mood_is_dependent else (reg, dep)
    mood_at = [i if design.mood_is_dependent else j for i, j in _PAIRS]
    outcome_at = [j if design.mood_is_dependent else i for i, j in _PAIRS]
    # Contiguous stacks, so each of the 10 products is one BLAS call.
    left = np.ascontiguousarray(mood[mood_at])
    right = np.ascontiguousarray(outcome[outcome_at].transpose(0, 2, 1))
    products: Grid = np.matmul(left, right)
    return products


def permutations(teams: int, seed: int) -> Ints:
    """Re-pairings as rows (row[b]: the mood team paired with outcome team b); row 0 as observed.

    Every re-pairing when there are few teams, else ``PERMUTATIONS`` drawn at random.
    """
    if teams <= EXACT_UP_TO:
        return np.array(list(itertools.permutations(range(teams))), dtype=np.intp)
    rng = np.random.default_rng(seed)
    drawn = rng.permuted(np.tile(np.arange(teams, dtype=np.intp), (PERMUTATIONS, 1)), axis=1)
    return np.vstack([np.arange(teams, dtype=np.intp), drawn])


def chooser(perms: Ints) -> sparse.csc_matrix:
    """(re-pairings, teams²): a one where re-pairing r puts mood team a with outcome team b."""
    count, teams = perms.shape
    cols = (perms * teams + np.arange(teams)).ravel()
    rows = np.repeat(np.arange(count), teams)
    # Column-compressed, so the product walks the sums in memory order (5× faster).
    return sparse.csc_matrix(
        (np.ones(rows.size), (rows, cols)), shape=(count, teams * teams), dtype=np.float64
    )


def pick(sums: Grid, choose: sparse.csc_matrix) -> Grid:
    """(re-pairings, k): Σ over outcome teams b of sums[k, a, b] for the pairs (a, b) chosen."""
    k, teams, _ = sums.shape
    by_cell = np.ascontiguousarray(sums.reshape(k, teams * teams).T)
    return np.asarray(choose @ by_cell)


def partial_correlation(s: Grid) -> tuple[Grid, Grid]:
    """(r, n) from the 10 sums (last axis): corr of d and x given c, with an intercept."""
    n, sd, sc, sdd, scc, sdc, sx, sxx, sdx, scx = np.moveaxis(s, -1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = 1.0 / n
        cdd, ccc, cxx = sdd - sd * sd * inv, scc - sc * sc * inv, sxx - sx * sx * inv
        cdc, cdx, ccx = sdc - sd * sc * inv, sdx - sd * sx * inv, scx - sc * sx * inv
        num = cdx - cdc * ccx / ccc
        var_x = cxx - ccx * ccx / ccc
        var_d = cdd - cdc * cdc / ccc
        r = num / np.sqrt(var_x * var_d)
        ok = (n >= 6) & (ccc > 1e-12) & (var_x > 1e-12) & (var_d > 1e-12)
    return np.where(ok, np.clip(r, -0.9999, 0.9999), np.nan), np.round(n)


def fisher_t(r: Grid, n: Grid) -> Grid:
    """Fisher's z scaled by its iid standard error (one control): comparable across n."""
    return np.arctanh(r) * np.sqrt(np.maximum(n - 4.0, 1.0))


def data_seed(*grids: Grid) -> int:
    """A seed from the data itself, so the same team-weeks always give the same finding."""
    digest = hashlib.sha256()
    for grid in grids:
        digest.update(np.ascontiguousarray(np.round(np.nan_to_num(grid, nan=-999.0), 6)).tobytes())
    return int.from_bytes(digest.digest()[:8], "big")


def share_at_least(null: Grid, observed: float) -> float:
    """Permutation p-value: the share of re-pairings (the observed one included) at least as
    high; the tolerance (for rounding in the sums) is relative, so the observed re-pairing
    always counts itself, negative statistics too."""
    value = float(observed)
    return float(np.mean(null >= value - 1e-9 * abs(value) - 1e-12))


@cache
def z_crit(level: float) -> float:
    """The standard normal quantile (two-sided ``level``)."""
    return NormalDist().inv_cdf(1.0 - (1.0 - level) / 2.0)


def interval(r: float, n: int, spread: float, level: float = 0.95) -> tuple[float, float]:
    """Fisher interval of ``r`` widened by ``spread`` (sd of the re-paired statistics)."""
    half = z_crit(level) * spread / math.sqrt(max(n - 4, 1))
    z = math.atanh(r)
    return math.tanh(z - half), math.tanh(z + half)


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> Any:
    """Matrix products on one thread: on a shared 2-core machine OpenBLAS's own threads
    made the analysis of 200 teams × 52 weeks 10× slower (1.0 s against 0.1 s, measured)."""
    return _blas().limit(limits=1, user_api="blas")


def holm(p_values: list[float]) -> list[float]:
    """Holm-adjusted p-values (statsmodels), in the order given."""
    if not p_values:
        return []
    from statsmodels.stats.multitest import multipletests

    # Its Holm branch ends with gc.collect(): a full collection, 115 ms in the app's
    # process (measured), more than the digest can spare. Frozen objects are skipped, so
    # that collection only looks at what was made since; unfreeze puts everything back.
    gc.freeze()
    try:
        adjusted = multipletests(p_values, alpha=0.05, method="holm")[1]
    finally:
        gc.unfreeze()
    return [float(p) for p in adjusted]
