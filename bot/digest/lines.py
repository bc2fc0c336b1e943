"""The digest's sentences, in the channel's language: mood, moments, customers' ratings, eNPS
and the second questions. The lead's App Home shares them, in the lead's language.

Every sentence is one message with named placeholders, so a translation orders the figures
as its grammar wants; figures are formatted by Babel for the language ("3,7", "42 %").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.core.i18n import ENGLISH, Translator
from bot.core.text import escape
from bot.insights.questions import QuestionResult
from bot.insights.teamweeks import TeamWeek
from bot.moments.sentiment import sentiment_label


def signed(t: Translator, value: float, decimals: int = 1) -> str:
    """``value`` with its sign, as the language writes numbers: "+0,3", "−2"."""
    digits = "." + "0" * decimals if decimals else ""
    pattern = f"+#,##0{digits};-#,##0{digits}"
    return format_decimal(value, format=pattern, locale=t.locale)


def withheld_reason(threshold: int, *, besides_you: bool = False, t: Translator = ENGLISH) -> str:
    """Why a mood figure is not shown (to someone in the group: not counting themselves)."""
    if besides_you:
        return t.gettext("fewer than %(n)s people besides you answered", n=t.number(threshold))
    return t.gettext("fewer than %(n)s people answered", n=t.number(threshold))


def mood_line(
    week: TeamWeek | None,
    previous: TeamWeek | None,
    threshold: int,
    *,
    besides_you: bool = False,
    t: Translator = ENGLISH,
) -> str:
    """Mean mood, respondents, participation and the trend against the week before."""
    reason = withheld_reason(threshold, besides_you=besides_you, t=t)
    if week is None or week.mean_mood is None:
        return t.gettext(
            "Mood withheld: %(reason)s this week (or a smaller group could be worked out).",
            reason=reason,
        )
    mood = t.number(week.mean_mood, decimals=1)
    people = t.number(week.respondents or 0)
    if week.participation is not None:
        line = t.gettext(
            "Mean mood *%(mood)s*/5 from %(people)s people (participation %(share)s)",
            mood=mood,
            people=people,
            share=t.percent(week.participation),
        )
    else:
        line = t.gettext("Mean mood *%(mood)s*/5 from %(people)s people", mood=mood, people=people)
    if previous is None or previous.mean_mood is None:
        return line + t.gettext(". No trend: last week %(reason)s.", reason=reason)
    delta = week.mean_mood - previous.mean_mood
    arrow = "↑" if delta > 0.05 else "↓" if delta < -0.05 else "→"
    return line + t.gettext(
        ", %(arrow)s %(change)s vs last week (%(before)s).",
        arrow=arrow,
        change=signed(t, delta),
        before=t.number(previous.mean_mood, decimals=1),
    )


def _sentiment(mean: float, by_outcome: Mapping[str, float], t: Translator) -> str:
    label = {
        "positive": t.gettext("positive"),
        "neutral": t.gettext("neutral"),
        "negative": t.gettext("negative"),
    }[sentiment_label(mean)]
    parts = []
    if "win" in by_outcome:
        parts.append(t.gettext("wins %(score)s", score=signed(t, by_outcome["win"], 2)))
    if "problem" in by_outcome:
        parts.append(t.gettext("problems %(score)s", score=signed(t, by_outcome["problem"], 2)))
    if parts:
        return t.gettext(
            "stories read %(label)s (%(score)s; %(by_outcome)s)",
            label=label,
            score=signed(t, mean, 2),
            by_outcome=", ".join(parts),
        )
    return t.gettext("stories read %(label)s (%(score)s)", label=label, score=signed(t, mean, 2))


def moments_line(
    week: TeamWeek | None,
    by_outcome: Mapping[str, float] | None = None,
    unscored: int = 0,
    *,
    t: Translator = ENGLISH,
) -> str:
    """Counts of the week's customer moments, CSAT and the stories' sentiment.

    ``by_outcome`` (mean sentiment of the week's wins and problems) shows whether the
    stories read the way they were logged; ``unscored`` stories (in a language no scorer
    reads) are not in those means, and the line says so.
    """
    if week is None or week.moments == 0:
        return t.gettext("No customer moments were logged this week. Log one with `/cx moment`.")
    neutral = week.moments - week.wins - week.problems
    parts = [
        t.ngettext(
            # Each count after its label: "1 wins" would be wrong, and so would any one form.
            "%(n)s customer moment: wins %(wins)s, neutral %(neutral)s, problems %(problems)s",
            "%(n)s customer moments: wins %(wins)s, neutral %(neutral)s, problems %(problems)s",
            week.moments,
            wins=t.number(week.wins),
            neutral=t.number(neutral),
            problems=t.number(week.problems),
        )
    ]
    if week.mean_csat is not None:
        parts.append(t.gettext("mean CSAT %(csat)s/5", csat=t.number(week.mean_csat, decimals=1)))
    if week.mean_sentiment is not None:
        parts.append(_sentiment(week.mean_sentiment, by_outcome or {}, t))
    if unscored:
        parts.append(
            t.ngettext(
                "%(n)s story not scored: language not supported",
                "%(n)s stories not scored: language not supported",
                unscored,
            )
        )
    return " · ".join(parts) + "."


def customers_line(week: TeamWeek | None, *, t: Translator = ENGLISH) -> str:
    """What customers themselves said in the help desk: ratings, satisfaction, NPS."""
    if week is None or not week.customer_responses:
        return t.gettext("No customer ratings from the help desk this week.")
    parts = [t.ngettext("%(n)s customer rating", "%(n)s customer ratings", week.customer_responses)]
    if week.customer_csat is not None:
        parts.append(t.gettext("CSAT *%(csat)s*/5", csat=t.number(week.customer_csat, decimals=1)))
    if week.customer_nps is not None:
        parts.append(t.gettext("NPS *%(nps)s*", nps=signed(t, week.customer_nps, 0)))
    return " · ".join(parts) + "."


def value_text(result: QuestionResult, t: Translator = ENGLISH) -> str:
    """The figure as people read it: "+50", "83% yes", "4.2/5"."""
    kind = result.question.kind
    if kind == "nps":
        return signed(t, result.value, 0)
    if kind == "yes_no":
        return t.gettext("%(share)s yes", share=t.percent(result.value / 100))
    return t.gettext("%(score)s/5", score=t.number(result.value, decimals=1))


def change_text(result: QuestionResult, before: str, t: Translator = ENGLISH) -> str:
    """The change on the previous period, or why there is none."""
    change = result.change
    if change is None:
        return t.gettext("no change shown: %(before)s was withheld or not asked", before=before)
    kind = result.question.kind
    if kind == "yes_no":
        return t.gettext(
            "%(change)s points vs %(before)s", change=signed(t, change, 0), before=before
        )
    shown = signed(t, change, 0 if kind == "nps" else 1)
    return t.gettext("%(change)s vs %(before)s", change=shown, before=before)


def _people(threshold: int, besides_you: bool, t: Translator) -> str:
    return withheld_reason(threshold, besides_you=besides_you, t=t)


def enps_line(
    result: QuestionResult | None,
    *,
    month: date,
    threshold: int,
    besides_you: bool = False,
    t: Translator = ENGLISH,
) -> str:
    """eNPS for one closed month, or why it is withheld."""
    title = t.gettext("eNPS, %(month)s", month=t.month(month))
    if result is None:
        return t.gettext(
            "%(title)s: withheld (%(reason)s, or it was not asked).",
            title=title,
            reason=_people(threshold, besides_you, t),
        )
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    before = format_date(previous, format="LLLL", locale=t.locale)
    line = t.gettext(
        "%(title)s: *%(value)s* from %(people)s people (%(change)s).",
        title=title,
        value=value_text(result, t),
        people=t.number(result.respondents),
        change=change_text(result, before, t),
    )
    return line + " " + t.gettext("eNPS is the share answering 9–10 minus the share answering 0–6.")


def questions_text(
    results: Sequence[QuestionResult],
    *,
    week: date,
    threshold: int,
    besides_you: bool = False,
    t: Translator = ENGLISH,
) -> str:
    """The week's second questions, one line each, or why none are shown; the week named by
    its Monday ("week of 9 March"), in the digest as on the lead's App Home."""
    title = t.gettext("*Second questions, week of %(day)s*", day=t.day_of_month(week))
    if not results:
        return (
            title
            + "\n"
            + t.gettext(
                "None to show: each was withheld (%(reason)s) or not asked.",
                reason=_people(threshold, besides_you, t),
            )
        )
    # Looked up apart: Babel does not extract a message nested in another's arguments.
    before = t.gettext("last week")
    lines = [
        t.gettext(
            "• %(question)s *%(value)s* from %(people)s people (%(change)s)",
            question=escape(t.gettext(r.question.text)),
            value=value_text(r, t),
            people=t.number(r.respondents),
            change=change_text(r, before, t),
        )
        for r in results
    ]
    return title + "\n" + "\n".join(lines)
