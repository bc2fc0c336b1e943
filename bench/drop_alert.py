"""Calibration of the drop alert (bot/alerts/store.py) on generated teams.

Usage: python bench/drop_alert.py [--quick] [--seed N]

Each generated team has 6–25 people who answer on some of five days a week (1–5,
rounded and clipped like the faces), a person effect, day-to-day noise, and a team
mood that drifts week to week as an AR(1) with persistence phi of 0, 0.5, 0.8 or 0.95
(a persistent team stays high or low for weeks, as real teams do). Thirteen weeks are
generated; the rule sees the first twelve weekly means and checks the thirteenth.

- false alarms: the thirteenth week has no real change; the share of teams alerted,
  per persistence family (target ≤ 5 %). The anchor is the naive rule "below the mean
  minus 1.96 sd of the last twelve weeks" on the same teams, which ignores persistence.
- detection: the team's mood really falls by 0.5 or 0.8 points in the thirteenth week;
  the share of teams alerted (targets: ≥ 70 % for 0.8, ≥ 40 % for 0.5).

Prints one JSON line per figure, last.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.alerts.store import MIN_DROP, mood_band  # noqa: E402

WEEKS = 13
PHIS = (0.0, 0.5, 0.8, 0.95)
TEAM_SD = 0.25  # stationary sd of a team's weekly mood level
PERSON_SD = 0.6
DAY_SD = 0.8
BASE = 3.6


def weekly_means(rng: np.random.Generator, phi: float, drop: float) -> list[float]:
    """One team's thirteen weekly mean moods (answers rounded to 1–5)."""
    size = int(rng.integers(6, 26))
    person = rng.normal(0, PERSON_SD, size)
    level = np.empty(WEEKS)
    level[0] = rng.normal(0, TEAM_SD)
    innovation = TEAM_SD * math.sqrt(1 - phi * phi)
    for t in range(1, WEEKS):
        level[t] = phi * level[t - 1] + rng.normal(0, innovation)
    level[-1] -= drop
    means = []
    for t in range(WEEKS):
        answered = rng.random((size, 5)) < 0.7
        raw = BASE + person[:, None] + level[t] + rng.normal(0, DAY_SD, (size, 5))
        scores = np.clip(np.rint(raw), 1, 5)[answered]
        means.append(float(scores.mean()) if scores.size else BASE)
    return means


def alerted(means: list[float]) -> bool:
    """The app's rule on one team's weeks: history, then the checked week."""
    band = mood_band(means[:-1])
    return band is not None and means[-1] < band.low and band.expected - means[-1] >= MIN_DROP


def naive_alerted(means: list[float]) -> bool:
    """The rule that ignores persistence: below the history's mean − 1.96 sd."""
    history = np.array(means[:-1])
    return bool(means[-1] < history.mean() - 1.96 * history.std(ddof=1))


def figure(name: str, value: float, anchor: str, anchor_value: float, target: str) -> dict:
    ratio = round(value / anchor_value, 3) if anchor_value else None
    met = value <= 0.05 if target.startswith("≤") else value >= float(target.strip("≥ %")) / 100
    return {
        "name": name,
        "value": round(value, 4),
        "unit": "share of team-weeks",
        "anchor": anchor,
        "anchor_value": round(anchor_value, 4),
        "ratio": ratio,
        "target": target,
        "met": bool(met),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer teams, seconds not minutes")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    teams = 400 if args.quick else 4000
    rng = np.random.default_rng(args.seed)
    figures = []
    for phi in PHIS:
        hits = naive = 0
        for _ in range(teams):
            means = weekly_means(rng, phi, 0.0)
            hits += alerted(means)
            naive += naive_alerted(means)
        rate, naive_rate = hits / teams, naive / teams
        print(f"phi={phi}: false alarms {rate:.3f} (naive band {naive_rate:.3f}) over {teams}")
        figures.append(
            figure(
                f"drop_alert_false_alarm_phi_{phi}",
                rate,
                "naive mean-1.96sd band, same teams",
                naive_rate,
                "≤ 5%",
            )
        )
    for drop in (0.5, 0.8):
        found = naive = 0
        for i in range(teams):
            means = weekly_means(rng, PHIS[i % len(PHIS)], drop)
            found += alerted(means)
            naive += naive_alerted(means)
        rate = found / teams
        print(f"drop {drop}: found {rate:.3f} (naive band {naive / teams:.3f}) over {teams}")
        figures.append(
            figure(
                f"drop_alert_detection_{drop}",
                rate,
                "naive mean-1.96sd band, same teams",
                naive / teams,
                "≥ 70%" if drop == 0.8 else "≥ 40%",
            )
        )
    for line in figures:
        print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
