"""Generated panels of team-weeks, in the `cxpulse export team-weeks` CSV format.

Used by bench/flowon_calibration.py (false claims and power) and by the tests that pin
the flow-on method on fixed panels. Each team has a latent mood and a latent customer
outcome; both are persistent week to week (AR(1)), may share org-wide shocks, and are
observed the way CX Pulse observes them (mean of the respondents' answers, withheld
below the anonymity threshold; win share, CSAT and sentiment from the week's moments).

Strength of a planted link (``effect``, ρ): the correlation between a team's mood in
week t (its deviation from usual) and the part of its outcome in week t + lag that the
outcome's own past does not predict. Published engagement–customer correlations are
about 0.2–0.33 (Harter, Schmidt & Hayes 2002).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from bot.core.weeks import iso_week_label
from bot.insights.reports import BASE_TEAM_WEEK_COLUMNS, TEAM_WEEK_COLUMNS

FIRST_WEEK = date(2025, 1, 6)  # a Monday
# Exactly the `cxpulse export team-weeks` columns, as the CLI writes and reads them.
COLUMNS = BASE_TEAM_WEEK_COLUMNS
CUSTOMER_COLUMNS = ("customer_responses", "customer_csat", "customer_nps")
WORKLOAD_COLUMNS = ("tickets", "handle_time")
assert TEAM_WEEK_COLUMNS == COLUMNS + CUSTOMER_COLUMNS + WORKLOAD_COLUMNS
Grid = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PanelSpec:
    """One family of panels: its shape, its nuisances and the link planted (if any)."""

    teams: int = 20
    weeks: int = 26
    mood_ar: float = 0.6
    outcome_ar: float = 0.6
    shock: float = 0.0  # sd of the org-wide weekly shock, in units of a team's own variation
    shock_ar: float = 0.5
    effect: float = 0.0
    lag: int = 1
    missing: float = 0.0  # share of team-weeks (in runs) with no customer moments at all
    team_size: tuple[int, int] = (12, 12)  # people per team (inclusive range)
    moments: float | None = None  # mean moments a team-week; None: outcomes measured cleanly
    answer_noise: bool = False  # mood as the mean of a few noisy answers
    customer: bool = False  # add customer_* columns (customer-reported outcomes)
    threshold: int = 5
    # Workload (tickets) driving mood and outcomes the same week and, lingering, the next;
    # ``workload_column`` writes it as the `tickets` and `handle_time` columns.
    workload: float = 0.0
    workload_column: bool = False
    trend: float = 0.0  # sd of each team's own linear trend (per side), in own sds per year
    seasonal: float = 0.0  # amplitude of a yearly cycle; each team and side has its loading
    heavy_tails: bool = False  # answers and ratings with t(3) noise, 2% gross outliers


def _ar(rng: np.random.Generator, shape: tuple[int, int], phi: float) -> Grid:
    """Stationary AR(1) series of unit variance along the last axis."""
    out = np.empty(shape)
    out[:, 0] = rng.normal(size=shape[0])
    scale = math.sqrt(1.0 - phi * phi)
    for t in range(1, shape[1]):
        out[:, t] = phi * out[:, t - 1] + scale * rng.normal(size=shape[0])
    return out


def _shock(rng: np.random.Generator, spec: PanelSpec, teams: int, weeks: int) -> Grid:
    """The org-wide shock as each team feels it (loadings differ by team)."""
    if spec.shock == 0.0:
        return np.zeros((teams, weeks))
    common = _ar(rng, (1, weeks), spec.shock_ar)[0] * spec.shock
    loading = rng.uniform(0.5, 1.5, size=(teams, 1))
    return loading * common


def latent(rng: np.random.Generator, spec: PanelSpec) -> tuple[Grid, Grid]:
    """(mood, outcome) latent grids, teams × weeks, before observation."""
    n, w = spec.teams, spec.weeks
    burn = 20  # start every series in its stationary state
    mood = _ar(rng, (n, w + burn), spec.mood_ar)[:, burn:]
    mood_total = mood + _shock(rng, spec, n, w)
    sigma = math.sqrt(1.0 - spec.outcome_ar**2)
    rho = spec.effect
    beta = rho * sigma / math.sqrt(1.0 - rho * rho)
    own = np.empty((n, w + burn))
    own[:, 0] = rng.normal(size=n)
    driver = np.zeros((n, w + burn))
    driver[:, burn + spec.lag :] = mood[:, : w - spec.lag]
    for t in range(1, w + burn):
        own[:, t] = (
            spec.outcome_ar * own[:, t - 1] + beta * driver[:, t] + sigma * rng.normal(size=n)
        )
    outcome = own[:, burn:] + _shock(rng, spec, n, w)
    if spec.trend or spec.seasonal:
        mood_total = mood_total + _drift(rng, spec, n, w)
        outcome = outcome + _drift(rng, spec, n, w)
    return mood_total, outcome


def _drift(rng: np.random.Generator, spec: PanelSpec, teams: int, weeks: int) -> Grid:
    """A team's own trend and its loading on a yearly cycle (drawn per side: no link)."""
    t = np.arange(weeks)[None, :]
    slope = rng.normal(0.0, spec.trend, size=(teams, 1)) / 52
    cycle = np.sin(2 * np.pi * (t + rng.uniform(0, 52)) / 52)
    loading = rng.uniform(0.0, 2.0, size=(teams, 1)) * spec.seasonal
    return slope * (t - weeks / 2) + loading * cycle


def workload(rng: np.random.Generator, spec: PanelSpec) -> Grid:
    """Each team's workload (log tickets, own sd 1), persistent week to week."""
    return _ar(rng, (spec.teams, spec.weeks + 1), 0.6)


def _noise(rng: np.random.Generator, spec: PanelSpec, shape: tuple[int, int]) -> Grid:
    """Unit-scale noise: normal, or t with 3 degrees of freedom (heavy tails)."""
    if spec.heavy_tails:
        return rng.standard_t(3, size=shape) / math.sqrt(3.0)
    return rng.normal(size=shape)


def _missing_runs(rng: np.random.Generator, shape: tuple[int, int], share: float) -> Grid:
    """A mask of missing team-weeks, in runs (a quiet fortnight, a team that started late)."""
    missing = np.zeros(shape, dtype=bool)
    if share <= 0.0:
        return missing
    n, w = shape
    target = share * n * w
    while missing.sum() < target:
        i = int(rng.integers(n))
        start = int(rng.integers(w))
        missing[i, start : start + int(rng.integers(1, 4))] = True
    return missing


def panel_rows(spec: PanelSpec, seed: int) -> list[dict[str, object]]:
    """One panel as export rows (None where the export leaves a cell empty)."""
    rng = np.random.default_rng(seed)
    mood, outcome = latent(rng, spec)
    n, w = mood.shape
    load = workload(rng, spec) if spec.workload or spec.workload_column else np.zeros((n, w + 1))
    if spec.workload:
        # A busy week lowers mood and customers' ratings together, and lingers a week.
        busy = load[:, 1:] + 0.5 * load[:, :-1]
        mood = mood - spec.workload * busy
        outcome = outcome - spec.workload * busy
    base_mood = rng.normal(3.6, 0.3, size=(n, 1))
    base_win = rng.uniform(-0.4, 0.4, size=(n, 1))
    base_csat = rng.normal(4.0, 0.2, size=(n, 1))
    size = rng.integers(spec.team_size[0], spec.team_size[1] + 1, size=(n, 1))
    participation = rng.uniform(0.55, 0.95, size=(n, 1))
    respondents = rng.binomial(
        np.broadcast_to(size, (n, w)), np.broadcast_to(participation, (n, w))
    )
    # Mood as the mean of the week's answers: the team's latent mood plus answer noise.
    mean_mood = base_mood + 0.35 * mood
    if spec.answer_noise:
        mean_mood = mean_mood + 0.7 * _noise(rng, spec, (n, w)) / np.sqrt(
            np.maximum(respondents, 1)
        )
    mean_mood = np.clip(mean_mood, 1, 5)
    no_moments = _missing_runs(rng, (n, w), spec.missing)
    logit = base_win + 0.8 * outcome
    if spec.moments is None:
        moments = np.full((n, w), 20)
        win_share = 1 / (1 + np.exp(-logit))
        mean_csat = np.clip(base_csat + 0.25 * (0.7 * outcome + 0.7 * _ar(rng, (n, w), 0.4)), 1, 5)
        sentiment = np.clip(0.1 + 0.15 * (0.6 * outcome + 0.8 * _ar(rng, (n, w), 0.3)), -1, 1)
    else:
        moments = rng.poisson(spec.moments, (n, w))
        wins = rng.binomial(moments, 1 / (1 + np.exp(-logit)))
        with np.errstate(invalid="ignore", divide="ignore"):
            win_share = wins / moments
        # Staff type a CSAT on about half the moments; wins rate higher.
        rated = rng.binomial(moments, 0.5)
        rated_wins = rng.hypergeometric(wins, moments - wins, rated) if rated.any() else rated
        totals = rng.normal(4.5 * rated_wins + 3.0 * (rated - rated_wins), 0.8 * np.sqrt(rated))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_csat = np.where(rated > 0, np.clip(totals / rated, 1, 5), np.nan)
            sentiment = np.where(
                moments > 0,
                np.clip(
                    (0.3 * wins - 0.2 * (moments - wins)) / moments + rng.normal(0, 0.15, (n, w)),
                    -1,
                    1,
                ),
                np.nan,
            )
    moments = np.where(no_moments, 0, moments)
    customer = _customer(rng, spec, outcome, size) if spec.customer else None
    if spec.heavy_tails:  # a mistyped week: 2% of team-weeks far from the team's usual
        wild = rng.random((n, w)) < 0.02
        win_share = np.where(wild, rng.choice([0.0, 1.0], size=(n, w)), win_share)
        mean_mood = np.where(rng.random((n, w)) < 0.02, rng.choice([1.0, 5.0], (n, w)), mean_mood)
    tickets = np.round(size * 4 * np.exp(0.4 * load[:, 1:]))
    handle = 12 * np.exp(
        0.2 * load[:, 1:] + (rng.normal(0, 0.1, (n, w)) if spec.workload_column else 0)
    )
    rows: list[dict[str, object]] = []
    for i in range(n):
        for t in range(w):
            shown = respondents[i, t] >= spec.threshold
            has = moments[i, t] > 0
            row: dict[str, object] = {
                "team": f"team-{i:02d}",
                "week": iso_week_label(FIRST_WEEK + timedelta(weeks=t)),
                "respondents": int(respondents[i, t]) if shown else None,
                "mean_mood": _r(mean_mood[i, t]) if shown else None,
                "participation": _r(respondents[i, t] / size[i, 0]) if shown else None,
                "moments": int(moments[i, t]),
                "win_share": _r(win_share[i, t]) if has else None,
                "mean_csat": _r(mean_csat[i, t]) if has else None,
                "mean_sentiment": _r(sentiment[i, t]) if has else None,
            }
            if customer is not None:
                row.update({k: v[i][t] for k, v in customer.items()})
            if spec.workload_column:
                row["tickets"] = int(tickets[i, t])
                row["handle_time"] = _r(handle[i, t], 1)
            rows.append(row)
    return rows


def _customer(
    rng: np.random.Generator, spec: PanelSpec, outcome: Grid, size: npt.NDArray[np.int64]
) -> dict[str, list[list[object]]]:
    """Customer-reported CSAT (1–5) and NPS from the help desk, driven by outcome.

    About 2 ratings a week per person on the team (25 a week for a team of 12).
    """
    n, w = outcome.shape
    responses = rng.poisson(np.broadcast_to(25.0 * size / 12, (n, w)))
    noise = 1 / np.sqrt(np.maximum(responses, 1))
    csat = np.clip(4.1 + 0.3 * outcome + 0.6 * _noise(rng, spec, (n, w)) * noise, 1, 5)
    nps = np.clip(30 + 20 * outcome + 40 * _noise(rng, spec, (n, w)) * noise, -100, 100)
    out: dict[str, list[list[object]]] = {k: [] for k in CUSTOMER_COLUMNS}
    for i in range(n):
        has = [responses[i, t] > 0 for t in range(w)]
        out["customer_responses"].append([int(responses[i, t]) for t in range(w)])
        out["customer_csat"].append([_r(csat[i, t]) if has[t] else None for t in range(w)])
        out["customer_nps"].append([_r(nps[i, t], 1) if has[t] else None for t in range(w)])
    return out


def _r(value: float, places: int = 3) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), places)


def panel_csv(spec: PanelSpec, seed: int) -> str:
    """One panel as the CSV `cxpulse export team-weeks` writes (customer columns appended)."""
    rows = panel_rows(spec, seed)
    columns = (
        COLUMNS
        + (CUSTOMER_COLUMNS if spec.customer else ())
        + (WORKLOAD_COLUMNS if spec.workload_column else ())
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()
