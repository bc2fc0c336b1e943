"""A simulated workspace with a planted flow-on effect, for the demo and its test.

Each team has a latent mood that wanders week to week. People answer around
their team's mood; the share of a team's customer moments that are wins in
week t+lag rises with how far the team's mood in week t sat above its usual
level. The analysis should find that lag, and nothing else.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

TIME_ZONES = (
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Chicago",
    "Europe/Berlin",
)
TEAM_NAMES = ("Support", "Sales", "Onboarding", "Success", "Billing", "Platform", "Partners")
FIRST_NAMES = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Ken",
    "Barbara",
    "Dennis",
    "Radia",
    "Tim",
    "Frances",
    "Vint",
    "Hedy",
    "Donald",
    "Katherine",
    "Edsger",
    "Annie",
    "Guido",
    "Sophie",
    "Bjarne",
    "Mary",
    "Niklaus",
    "Jean",
    "Claude",
    "Lynn",
    "John",
    "Evelyn",
    "Leslie",
    "Shafi",
    "Yukihiro",
    "Anita",
    "Rasmus",
    "Joan",
    "Whitfield",
    "Karen",
    "Brian",
    "Ida",
    "Larry",
    "Ruth",
    "Sergey",
]
CUSTOMERS = (
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Logistics",
    "Wayne Foods",
    "Hooli",
    "Vandelay Imports",
    "Soylent Labs",
    "Tyrell Energy",
)
TOUCHPOINTS = ("support", "sales", "onboarding", "success", "billing")
# Stories as people log them: most say how the customer took it; the first few of each
# leave that implicit, which story sentiment cannot read (README: "Story sentiment").
WIN_STORIES = (
    "Fixed their export before the board meeting and walked them through it.",
    "Turned a frustrated renewal call into an upgrade by listening first.",
    "Set up the integration on a call and they were live the same afternoon.",
    "Spotted a billing mistake before they did and refunded it proactively.",
    "Walked their new admin through reporting; she said it finally makes sense and thanked us.",
    "Their go-live went without a hitch and the sponsor sent a lovely note to the team.",
    "Answered in five minutes during their busiest hour; they were really impressed.",
    "Found a cheaper plan that fits them better; they were delighted and renewed early.",
    "Their CEO praised our support in front of the whole company.",
    "Solved a data issue that had bugged them for months; huge relief on their side.",
    "They said the training was the best they'd had from any vendor.",
    "Renewed for three years and asked us to present at their user group. A great day.",
)
PROBLEM_STORIES = (
    "Waited three days for an answer about a failed payment; they were upset.",
    "The onboarding call was rushed and they felt lost afterwards.",
    "We shipped a change that broke their reports during month end.",
    "They were passed between four people before anyone owned the issue.",
    "Our reply missed the point twice and they escalated to their director, annoyed.",
    "The sync failed overnight again and they lost a morning's work.",
    "Invoice was wrong for the third month running; they're fed up.",
    "They are unhappy with the new pricing and say they may cancel.",
    "Training was cancelled at short notice and they felt let down.",
    "Nobody answered their urgent ticket over the weekend; a bad miss.",
    "The new release slowed their dashboards to a crawl and they complained loudly.",
    "Promised a fix by Friday and missed it; they no longer trust our dates.",
)
NEUTRAL_STORIES = (
    "Routine question about user permissions, answered on the call.",
    "Asked for an invoice copy; sent it over.",
    "Walked through where to find the audit log.",
    "They asked for our security documentation; shared the link.",
    "Confirmed their renewal date and the contact for next year.",
)
BACKSTORIES = (
    "Their team had just been cut in half and they were covering two roles.",
    "First week in the job; inherited the account from someone who left.",
    "Under pressure from their CFO to justify every tool they pay for.",
    "Had a bad experience with our support last quarter.",
    "Launching their own product next month and nervous about it.",
)


@dataclass(frozen=True)
class SimPerson:
    """One simulated member of staff."""

    name: str
    team: str
    tz: str
    is_lead: bool
    answer_rate: float
    mood_offset: float


@dataclass
class Population:
    """Teams, people and each team's weekly latent mood, from one seed."""

    people: list[SimPerson]
    teams: list[str]
    weeks: int
    lag: int
    effect: float
    seed: int
    team_mood: dict[str, list[float]] = field(default_factory=dict)

    @classmethod
    def generate(
        cls,
        *,
        people: int,
        teams: int,
        weeks: int,
        seed: int,
        lag: int = 1,
        effect: float = 0.35,
    ) -> Population:
        """A population of ``people`` across ``teams`` with moods for ``weeks + lag`` weeks."""
        rng = random.Random(seed)
        names = list(TEAM_NAMES[:teams]) if teams <= len(TEAM_NAMES) else []
        names += [f"Team {i + 1}" for i in range(len(names), teams)]
        staff: list[SimPerson] = []
        for i in range(people):
            team = names[i % teams]
            first = FIRST_NAMES[i % len(FIRST_NAMES)]
            staff.append(
                SimPerson(
                    name=f"{first.lower()}{i // len(FIRST_NAMES) or ''}",
                    team=team,
                    tz=TIME_ZONES[(i // teams) % len(TIME_ZONES)],
                    is_lead=i < teams,  # the first person of each team leads it
                    answer_rate=rng.uniform(0.75, 0.97),
                    mood_offset=rng.gauss(0, 0.35),
                )
            )
        moods: dict[str, list[float]] = {}
        for team in names:
            base = rng.uniform(3.2, 3.9)
            level, series = 0.0, []
            for _ in range(weeks + lag + 1):
                level = 0.5 * level + rng.gauss(0, 0.45)
                series.append(base + level)
            moods[team] = series
        return cls(staff, names, weeks, lag, effect, seed, moods)

    def team_mean(self, team: str) -> float:
        """The team's usual mood over the simulated weeks."""
        series = self.team_mood[team][: self.weeks]
        return sum(series) / len(series)

    def score(self, person: SimPerson, week: int, rng: random.Random) -> int:
        """A 1–5 answer for ``person`` in ``week``."""
        raw = self.team_mood[person.team][week] + person.mood_offset + rng.gauss(0, 0.6)
        return max(1, min(5, round(raw)))

    def win_probability(self, team: str, week: int) -> float:
        """P(win) of a moment in ``week``: driven by the team's mood ``lag`` weeks earlier."""
        source = week - self.lag
        if source < 0:
            return 0.45
        centred = self.team_mood[team][source] - self.team_mean(team)
        return 1 / (1 + math.exp(-(-0.2 + 2.2 * self.effect * centred / 0.5)))
