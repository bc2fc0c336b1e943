"""eNPS and second-question lines, shared by the digests and the lead's App Home."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.text import escape
from bot.core.weeks import iso_week_label
from bot.insights.questions import QuestionResult


def value_text(result: QuestionResult) -> str:
    """The figure as people read it: "+50", "83% yes", "4.2/5"."""
    kind = result.question.kind
    if kind == "nps":
        return f"{result.value:+.0f}"
    if kind == "yes_no":
        return f"{result.value:.0f}% yes"
    return f"{result.value:.1f}/5"


def change_text(result: QuestionResult, before: str) -> str:
    """The change on the previous period, or why there is none."""
    change = result.change
    if change is None:
        return f"no change shown: {before} was withheld or not asked"
    kind = result.question.kind
    if kind == "nps":
        return f"{change:+.0f} vs {before}"
    if kind == "yes_no":
        return f"{change:+.0f} points vs {before}"
    return f"{change:+.1f} vs {before}"


def _people(threshold: int, besides_you: bool) -> str:
    return f"{threshold} people {'besides you ' if besides_you else ''}"


def enps_line(
    result: QuestionResult | None, *, month: date, threshold: int, besides_you: bool = False
) -> str:
    """eNPS for one closed month, or why it is withheld."""
    title = f"eNPS, {month:%B %Y}"
    if result is None:
        people = _people(threshold, besides_you)
        return f"{title}: withheld (fewer than {people}answered, or it was not asked)."
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    return (
        f"{title}: *{value_text(result)}* from {result.respondents} people "
        f"({change_text(result, f'{previous:%B}')}). "
        "eNPS is the % answering 9–10 minus the % answering 0–6."
    )


def questions_text(
    results: Sequence[QuestionResult], *, week: date, threshold: int, besides_you: bool = False
) -> str:
    """The week's second questions, one line each, or why none are shown."""
    title = f"*Second questions, {iso_week_label(week)}*"
    if not results:
        return (
            f"{title}\nNone to show: each was withheld (fewer than "
            f"{_people(threshold, besides_you)}answered) or not asked."
        )
    lines = [
        f"• {escape(r.question.text)} *{value_text(r)}* from {r.respondents} people "
        f"({change_text(r, 'last week')})"
        for r in results
    ]
    return title + "\n" + "\n".join(lines)
