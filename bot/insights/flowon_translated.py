"""The flow-on finding's claimed (or opposite) link in the reader's language.

The English sentences stay built in bot/insights/flowon_words.py (their wording is pinned
by tests and reports); these messages say the same for a digest written in another
language. The outcome's movement carries the lag inside one message (``%(when)s``), so a
translation can put the time where its word order needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_, Translator
from bot.insights.flowon_metrics import OUTCOME_LEADS

if TYPE_CHECKING:
    from bot.insights.flowon import FlowOnFinding, FlowOnResult

_WHEN = {0: N_("that same week"), 1: N_("the next week"), 2: N_("two weeks later")}
_MOVED = {
    ("customer_csat", True): N_("%(when)s customers gave higher CSAT"),
    ("customer_csat", False): N_("%(when)s customers gave lower CSAT"),
    ("customer_nps", True): N_("%(when)s customers' NPS was higher"),
    ("customer_nps", False): N_("%(when)s customers' NPS was lower"),
    ("win_share", True): N_("%(when)s customer moments were more often wins"),
    ("win_share", False): N_("%(when)s customer moments were less often wins"),
    ("mean_csat", True): N_("%(when)s customer CSAT was higher"),
    ("mean_csat", False): N_("%(when)s customer CSAT was lower"),
    ("mean_sentiment", True): N_("%(when)s customer stories read more positively"),
    ("mean_sentiment", False): N_("%(when)s customer stories read more negatively"),
}


def _moved(t: Translator, r: FlowOnResult, up: bool) -> str:
    return t.gettext(_MOVED[(r.metric, up)], when=t.gettext(_WHEN[r.lag_weeks]))


def _numbers(t: Translator, r: FlowOnResult) -> str:
    return t.gettext(
        "(ρ %(rho)s, %(level)s CI %(low)s to %(high)s, %(n)s team-weeks)",
        rho=t.number(r.rho or 0.0, decimals=2),
        level=t.percent(0.95),
        low=t.number(r.ci_low or 0.0, decimals=2),
        high=t.number(r.ci_high or 0.0, decimals=2),
        n=t.number(r.n),
    )


def opposite_sentence(t: Translator, r: FlowOnResult) -> str:
    """A clearly negative primary link: named, but exploratory (the test is one-sided)."""
    return t.gettext(
        "In weeks when a team's mood was above its usual level, %(moved)s %(numbers)s; the "
        "test was declared for better mood going with better outcomes, so this opposite "
        "pattern is exploratory, not a finding.",
        moved=_moved(t, r, False),
        numbers=_numbers(t, r),
    )


def claimed_sentence(t: Translator, finding: FlowOnFinding) -> str:
    """The claimed link, its reverse check and, unless controlled for, workload's caveat."""
    best = finding.best
    assert best is not None
    values = {"moved": _moved(t, best, (best.rho or 0.0) > 0), "numbers": _numbers(t, best)}
    if finding.workload_controlled:
        text = t.gettext(
            "In weeks when a team's mood was above its usual level, %(moved)s, beyond what "
            "the team's usual level, the whole organisation's week, the outcome's previous "
            "week and the team's workload explain %(numbers)s.",
            **values,
        )
    else:
        text = t.gettext(
            "In weeks when a team's mood was above its usual level, %(moved)s, beyond what "
            "the team's usual level, the whole organisation's week and the outcome's previous "
            "week explain %(numbers)s.",
            **values,
        )
    reverse = any(
        r.metric == best.metric and r.direction == OUTCOME_LEADS and r.significant
        for r in finding.results
    )
    check = (
        t.gettext(
            "Outcomes also ran ahead of mood (the reverse check), so which comes first is unclear."
        )
        if reverse
        else t.gettext("The reverse check (outcomes running ahead of mood) did not stand out.")
    )
    parts = [text, check]
    if not finding.workload_controlled:
        parts.append(
            t.gettext(
                "Workload was not measured: a busy week lowers mood and customers' ratings "
                "together, so it remains an alternative explanation (import handling time or "
                "tickets with the help-desk ratings to control for it)."
            )
        )
    return " ".join(parts)
