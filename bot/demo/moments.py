"""The customer moments simulated people log: drawn from the planted effect, then typed in."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.core import ids
from bot.demo.simulation import (
    BACKSTORIES,
    CUSTOMERS,
    NEUTRAL_STORIES,
    PROBLEM_STORIES,
    TOUCHPOINTS,
    WIN_STORIES,
    Population,
    SimPerson,
)

MOMENTS_PER_TEAM_WEEK = (3, 6)  # inclusive range
FOLLOWUP_RATE = 0.2  # moments logged with a follow-up date
STORIES = {"win": WIN_STORIES, "problem": PROBLEM_STORIES, "neutral": NEUTRAL_STORIES}
CSAT_BASE = {"win": 4.4, "problem": 2.2, "neutral": 3.4}


@dataclass(frozen=True)
class MomentPlan:
    """A customer moment someone will log: who, which customer, what they will type."""

    person: SimPerson
    customer: str
    values: dict[str, Any]

    @property
    def is_win(self) -> bool:
        """True when the planned outcome is a win."""
        return bool(self.values[ids.MOMENT_OUTCOME] == "win")

    @property
    def story(self) -> str:
        """ "Customer: what happened", as a lead would quote it in a celebration."""
        return f"{self.customer}: {self.values[ids.MOMENT_WHAT]}"


def plan_moment(
    rng: random.Random, population: Population, person: SimPerson, week: int, today: date
) -> MomentPlan:
    """Draw one moment for ``person``: wins follow the team's mood ``population.lag`` weeks ago."""
    p_win = population.win_probability(person.team, week)
    roll = rng.random()
    outcome = "win" if roll < p_win else ("problem" if rng.random() < 0.35 else "neutral")
    csat = max(1, min(5, round(CSAT_BASE[outcome] + rng.gauss(0, 0.8))))
    values: dict[str, Any] = {
        ids.MOMENT_TOUCHPOINT: rng.choice(TOUCHPOINTS),
        ids.MOMENT_OUTCOME: outcome,
        ids.MOMENT_WHEN: today.isoformat(),
        ids.MOMENT_WHAT: rng.choice(STORIES[outcome]),
    }
    if rng.random() < 0.6:
        values[ids.MOMENT_BACKSTORY] = rng.choice(BACKSTORIES)
    if rng.random() < 0.5:
        values[ids.MOMENT_CSAT] = str(csat)
    if rng.random() < FOLLOWUP_RATE:
        values[ids.MOMENT_FOLLOWUP] = (today + timedelta(days=2)).isoformat()
    return MomentPlan(person, rng.choice(CUSTOMERS), values)


def customer_choice(view: dict[str, Any], customer: str) -> dict[str, Any]:
    """Pick the customer from the modal's list when it is there, else type the name."""
    for block in view.get("blocks") or []:
        if block.get("block_id") != ids.MOMENT_CUSTOMER:
            continue
        for option in block.get("element", {}).get("options") or []:
            if option.get("text", {}).get("text") == customer:
                return {ids.MOMENT_CUSTOMER: option["value"]}
    return {ids.MOMENT_NEW_CUSTOMER: customer}
