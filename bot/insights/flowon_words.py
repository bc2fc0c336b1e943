"""The sentences of the flow-on finding: an association with its interval, n, lag and
direction, never a cause; "no clear link" says how weak a link could have gone unseen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import DEFAULT_LANGUAGE, ENGLISH, Translator
from bot.insights.flowon_metrics import BY_NAME, MIN_TEAMS, OUTCOME_LEADS
from bot.insights.flowon_translated import claimed_sentence, opposite_sentence

if TYPE_CHECKING:
    from bot.insights.flowon import FlowOnFinding, FlowOnResult

_WHEN = {0: "that same week", 1: "the next week", 2: "two weeks later"}
UNMEASURED_WORKLOAD = (
    "Workload was not measured: a busy week lowers mood and customers' ratings together, "
    "so it remains an alternative explanation (import handling time or tickets with the "
    "help-desk ratings to control for it)."
)


def not_enough(team_weeks: int, teams: int, min_n: int, t: Translator = ENGLISH) -> str:
    """Too little data to test anything."""
    # The team-weeks counted have a plural of their own ("1 team-week", "3 team-weeks").
    counted = t.ngettext("%(n)s team-week", "%(n)s team-weeks", team_weeks)
    return t.ngettext(
        "Not enough data for a flow-on finding yet: %(team_weeks)s with both mood "
        "and customer outcomes, from %(n)s team; at least %(min_n)s team-weeks from "
        "%(min_teams)s teams are needed (with fewer teams, too few re-pairings of teams exist "
        "to tell a flow-on from chance).",
        "Not enough data for a flow-on finding yet: %(team_weeks)s with both mood "
        "and customer outcomes, from %(n)s teams; at least %(min_n)s team-weeks from "
        "%(min_teams)s teams are needed (with fewer teams, too few re-pairings of teams exist "
        "to tell a flow-on from chance).",
        teams,
        team_weeks=counted,
        min_n=t.number(min_n),
        min_teams=t.number(MIN_TEAMS),
    )


def finding_summary(finding: FlowOnFinding, t: Translator = ENGLISH) -> str:
    """The summary in ``t``'s language.

    English is the summary as computed; other languages word the same finding anew.
    """
    if t.language == DEFAULT_LANGUAGE:
        return finding.summary
    if finding.shortfall is not None:
        return not_enough(*finding.shortfall, t=t)
    if finding.best is not None:
        return claimed_sentence(t, finding)
    text = _no_clear_link(finding, t)
    if finding.opposite is None:
        return text
    return text + " " + opposite_sentence(t, finding.opposite)


def _no_clear_link(finding: FlowOnFinding, t: Translator) -> str:
    metric = BY_NAME[finding.primary_metric or "win_share"]
    widest = max(
        (r.n for r in finding.results if r.metric == metric.name and r.rho is not None),
        default=0,
    )
    outcome = t.gettext(metric.label)
    if finding.detectable_rho is None:
        return t.gettext(
            "No clear link between team mood and %(outcome)s in %(n)s team-weeks.",
            outcome=outcome,
            n=t.number(widest),
        )
    return t.gettext(
        "No clear link between team mood and %(outcome)s in %(n)s team-weeks; a link weaker "
        "than about ρ %(rho)s could go unseen with this much data.",
        outcome=outcome,
        n=t.number(widest),
        rho=t.number(finding.detectable_rho, decimals=2),
    )


def numbers(r: FlowOnResult) -> str:
    """(ρ, interval, n) as shown beside a finding."""
    return f"(ρ {r.rho:.2f}, 95% CI {r.ci_low:.2f} to {r.ci_high:.2f}, {r.n} team-weeks)"


def opposite(r: FlowOnResult) -> str:
    """A clearly negative primary link: named, but exploratory (the test is one-sided)."""
    metric = BY_NAME[r.metric]
    return (
        f"In weeks when a team's mood was above its usual level, {_WHEN[r.lag_weeks]} "
        f"{metric.moved(False)} {numbers(r)}; the test was declared for better mood going "
        "with better outcomes, so this opposite pattern is exploratory, not a finding."
    )


def sentence(finding: FlowOnFinding) -> str:
    """The summary: the claimed link, or no clear link and what could have gone unseen."""
    best = finding.best
    metric = BY_NAME[finding.primary_metric or "win_share"]
    if best is None:
        widest = max(
            (r.n for r in finding.results if r.metric == metric.name and r.rho is not None),
            default=0,
        )
        unseen = (
            f"; a link weaker than about ρ {finding.detectable_rho:.2f} could go unseen with "
            "this much data"
            if finding.detectable_rho is not None
            else ""
        )
        text = f"No clear link between team mood and {metric.label} in {widest} team-weeks{unseen}."
        return text if finding.opposite is None else f"{text} {opposite(finding.opposite)}"
    up = (best.rho or 0.0) > 0
    reverse = [
        r
        for r in finding.results
        if r.metric == best.metric and r.direction == OUTCOME_LEADS and r.significant
    ]
    check = (
        "Outcomes also ran ahead of mood (the reverse check), so which comes first is unclear."
        if reverse
        else "The reverse check (outcomes running ahead of mood) did not stand out."
    )
    workload = (
        " and beyond what the team's workload explains" if finding.workload_controlled else ""
    )
    return (
        "In weeks when a team's mood was above its usual level, "
        f"{_WHEN[best.lag_weeks]} {metric.moved(up)}, beyond what the team's usual level, "
        "the whole organisation's week and the outcome's previous week explain"
        f"{workload} {numbers(best)}. {check}"
        + ("" if finding.workload_controlled else " " + UNMEASURED_WORKLOAD)
    )
