"""The drop alert DM, in the lead's language: the figures, and two things a lead can do.
Nobody is named."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.alerts.store import LEVEL, DropCheck
from bot.core.i18n import ENGLISH, Translator
from bot.core.text import escape


def alert_text(check: DropCheck, t: Translator = ENGLISH) -> str:
    """Plain-text fallback (notifications)."""
    return t.gettext(
        "Heads-up: %(team)s's mood fell in the week of %(day)s (%(mood)s/5, about %(expected)s "
        "was likely).",
        team=escape(check.team),
        day=t.day_of_month(check.week_start),
        mood=t.number(check.mood, decimals=1),
        expected=t.number(check.band.expected, decimals=1),
    )


def build_alert_blocks(
    check: DropCheck, *, threshold: int, t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """The figures against the band, two suggestions, and what the alert never says."""
    band = check.band
    figures = (
        t.gettext(
            "*%(team)s's mood dropped in the week of %(day)s.*",
            team=escape(check.team),
            day=t.day_of_month(check.week_start),
        )
        + "\n"
        + t.gettext(
            "Mean mood *%(mood)s*/5 from %(people)s people. Its last %(weeks)s weeks made about "
            "*%(expected)s* likely, and not below %(low)s (%(level)s band, allowing for how one "
            "week follows another).",
            mood=t.number(check.mood, decimals=1),
            people=t.number(check.respondents),
            weeks=t.number(band.weeks),
            expected=t.number(band.expected, decimals=1),
            low=t.number(band.low, decimals=1),
            level=t.percent(LEVEL),
        )
    )
    suggestions = t.gettext(
        "*Two things that may help*\n"
        "1. *Ask the team.* In your next team meeting or channel, ask openly how the week "
        "went and what got in the way; listen before fixing anything.\n"
        "2. *Look at this week's customer moments.* Problems logged that week often explain "
        "a dip: your App Home and `/cx digest` show them."
    )
    note = t.gettext(
        "Aggregates of at least %(n)s people only; this never says who answered what. "
        "You get at most one such alert every four weeks per team.",
        n=t.number(threshold),
    )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=figures)),
        SectionBlock(text=MarkdownTextObject(text=suggestions)),
        ContextBlock(elements=[MarkdownTextObject(text=note)]),
    ]
    return [b.to_dict() for b in blocks]
