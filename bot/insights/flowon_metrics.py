"""The customer outcomes the flow-on finding can compare mood with, and how each is worded.

Order is preference: the first metric with enough data is the primary comparison, so
customer-reported outcomes (help desk CSAT/NPS, customers' own ratings) come before the
team's own moments. To add an outcome, add a ``Metric`` here (and the column to the
team-week export); nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.i18n import N_

MOOD_LEADS = "mood_leads"  # mood in week t, outcome in week t + lag
OUTCOME_LEADS = "outcome_leads"  # the reverse check: outcome in week t, mood in week t + lag
MIN_TEAMS = 5  # 5! = 120 re-pairings; 4! = 24 cannot go below p = 1/24 = 0.042 > ALPHA


@dataclass(frozen=True)
class Metric:
    """One outcome column of the team-week export and the words a finding uses for it."""

    name: str
    customer_reported: bool
    label: str  # "customer outcomes" in "no clear link between team mood and ..."
    higher: str  # "the next week's " + higher
    lower: str
    above: str  # "in weeks when a team's " + above

    def moved(self, up: bool) -> str:
        """How the outcome moved, in words."""
        return self.higher if up else self.lower


METRICS: tuple[Metric, ...] = (
    Metric(
        "customer_csat",
        True,
        N_("the CSAT customers gave"),
        "customers gave higher CSAT",
        "customers gave lower CSAT",
        "customers gave higher CSAT than usual",
    ),
    Metric(
        "customer_nps",
        True,
        N_("customers' NPS"),
        "customers' NPS was higher",
        "customers' NPS was lower",
        "customers' NPS was higher than usual",
    ),
    Metric(
        "win_share",
        False,
        N_("the share of customer moments that were wins"),
        "customer moments were more often wins",
        "customer moments were less often wins",
        "customer moments were more often wins than usual",
    ),
    Metric(
        "mean_csat",
        False,
        N_("the CSAT staff recorded"),
        "customer CSAT was higher",
        "customer CSAT was lower",
        "customers gave higher CSAT than usual",
    ),
    Metric(
        "mean_sentiment",
        False,
        N_("how customer stories read"),
        "customer stories read more positively",
        "customer stories read more negatively",
        "customer stories read more positively than usual",
    ),
)
BY_NAME = {m.name: m for m in METRICS}
# Always listed in the results (the team-week export has had them from the start);
# the others are listed when the data carries them.
ALWAYS_LISTED = ("win_share", "mean_csat", "mean_sentiment")
