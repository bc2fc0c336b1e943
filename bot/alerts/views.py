"""The drop alert DM: the figures, and two things a lead can do. Nobody is named."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.alerts.store import LEVEL, DropCheck
from bot.core.text import escape
from bot.core.weeks import iso_week_label


def alert_text(check: DropCheck) -> str:
    """Plain-text fallback (notifications)."""
    return (
        f"Heads-up: {escape(check.team)}'s mood fell in {iso_week_label(check.week_start)} "
        f"({check.mood:.1f}/5, about {check.band.expected:.1f} was likely)."
    )


def build_alert_blocks(check: DropCheck, *, threshold: int) -> list[dict[str, Any]]:
    """The figures against the band, two suggestions, and what the alert never says."""
    band = check.band
    figures = (
        f"*{escape(check.team)}'s mood dropped in {iso_week_label(check.week_start)}.*\n"
        f"Mean mood *{check.mood:.1f}*/5 from {check.respondents} people. Its last "
        f"{band.weeks} weeks made about *{band.expected:.1f}* likely, and not below "
        f"{band.low:.1f} ({LEVEL:.0%} band, allowing for how one week follows another)."
    )
    suggestions = (
        "*Two things that may help*\n"
        "1. *Ask the team.* In your next team meeting or channel, ask openly how the week "
        "went and what got in the way; listen before fixing anything.\n"
        "2. *Look at this week's customer moments.* Problems logged that week often explain "
        "a dip: your App Home and `/cx digest` show them."
    )
    note = (
        f"Aggregates of at least {threshold} people only; this never says who answered what. "
        "You get at most one such alert every four weeks per team."
    )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=figures)),
        SectionBlock(text=MarkdownTextObject(text=suggestions)),
        ContextBlock(elements=[MarkdownTextObject(text=note)]),
    ]
    return [b.to_dict() for b in blocks]
