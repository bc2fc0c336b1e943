"""The lead's App Home section: team aggregates, notes, the flow-on finding, the gap."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.core.text import escape, header_text, truncate
from bot.core.weeks import iso_week_label
from bot.digest.views import customers_line, moments_line, mood_line, withheld_reason
from bot.home.lead import LeadView
from bot.insights.experience_gap import ExperienceGap


def gap_line(gap: ExperienceGap, threshold: int) -> str:
    """Leads' belief beside customers' CSAT for the month."""
    month = gap.month.strftime("%B %Y")
    if gap.leads_mean is not None:
        belief = f"Leads guessed customers would rate you *{gap.leads_mean:.1f}*/5"
    elif gap.own_guess is not None:
        belief = (
            f"You guessed customers would rate you *{gap.own_guess}*/5 "
            f"(the leads' average shows once {threshold} leads have answered)"
        )
    else:
        belief = f"No lead guesses yet ({withheld_reason(threshold).replace('people', 'leads')})"
    if gap.customer_rating is not None:
        n = gap.customer_responses
        said = (
            f"customers themselves rated you *{gap.customer_rating:.1f}*/5 "
            f"({n} customer rating{'s' if n != 1 else ''} from the help desk"
        )
        if gap.customer_nps is not None:
            said += f", NPS *{gap.customer_nps:+.0f}*"
        return f"*Experience gap, {month}*\n{belief}; {said})."
    if gap.customers_csat is None:
        return f"*Experience gap, {month}*\n{belief}; no customer CSAT recorded yet."
    return (
        f"*Experience gap, {month}*\n{belief}; customers gave *{gap.customers_csat:.1f}*/5 "
        f"over {gap.csat_count} rated moments (staff-typed; connect the help desk for "
        "customers' own ratings)."
    )


# A section holds 3,000 characters: the heading, the quoted notes, and a line for the rest.
NOTES_ROOM = 2800


def _notes(notes: list[str]) -> str:
    """As many notes as fit one section, each quoted; then how many more there are."""
    lines: list[str] = []
    used = 0
    for note in notes:
        line = f"> {escape(truncate(note, 300))}"
        if used + len(line) + 1 > NOTES_ROOM:
            lines.append(f"_…and {len(notes) - len(lines)} more: `/cx notes` lists them all._")
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines)


def build_lead_home_blocks(view: LeadView) -> list[dict[str, Any]]:
    """Blocks for a lead: nothing below the anonymity threshold, no names, no days."""
    week = view.this_week
    blocks: list[Block] = [
        DividerBlock(),
        # plain_text: shown as is, so not escaped (an escaped "&" would show as "&amp;").
        HeaderBlock(text=truncate(f"Your team: {header_text(view.scope)}", 150)),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*Week {iso_week_label(view.week_start)}*\n"
                + mood_line(week, view.last_week, view.threshold, besides_you=view.viewer_in_group)
                + "\n"
                + moments_line(week)
                + "\n"
                + customers_line(week)
            )
        ),
    ]
    if view.notes:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="*What people noted (anonymous)*\n" + _notes(view.notes)
                )
            )
        )
    blocks.append(
        SectionBlock(text=MarkdownTextObject(text="*Flow-on*\n" + escape(view.finding.summary)))
    )
    blocks.append(SectionBlock(text=MarkdownTextObject(text=gap_line(view.gap, view.threshold))))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Only aggregates of at least {view.threshold} people are shown; notes "
                    "only when that many wrote one, without names or days. "
                    "`/cx digest` previews the weekly digest."
                )
            ]
        )
    )
    return [b.to_dict() for b in blocks]
