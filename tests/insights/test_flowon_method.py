"""The flow-on method pinned on fixed generated panels (bench/flowon_panels.py).

Real team mood and customer outcomes are persistent week to week and share org-wide
shocks; a valid method makes no claim on such panels when there is no link, and finds
a planted link at its lag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bench.flowon_panels import PanelSpec, panel_rows
from bot.insights.flowon import MOOD_LEADS, FlowOnFinding, analyse
from bot.insights.weeks import parse_iso_week

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


# No link (AR 0.6, 20 teams × 16 weeks); by chance its primary p-value is 0.0384.
BORDERLINE_NULL = (PanelSpec(teams=20, weeks=16, mood_ar=0.6, outcome_ar=0.6), 89)


def test_a_primary_p_value_between_the_claim_level_and_5_percent_is_not_a_claim() -> None:
    finding = _analyse(BORDERLINE_NULL)
    primary = [r for r in finding.results if r.role == "primary" and r.p_adjusted is not None]
    assert [r.lag_weeks for r in primary] == [1]  # one declared test: mood leading by a week
    assert primary[0].p_adjusted == 0.0384
    assert finding.best is None, finding.summary
    assert finding.summary.startswith("No clear link")


def test_four_teams_are_too_few_to_reach_the_claim_level() -> None:
    # 4! = 24 re-pairings: the smallest possible p-value, 1/24 = 0.042, is above the level.
    finding = _analyse((PanelSpec(teams=4, weeks=52, effect=0.9, lag=1), 0))
    assert finding.best is None
    assert finding.summary.startswith("Not enough data for a flow-on finding yet")
    assert "from 5 teams are needed" in finding.summary
