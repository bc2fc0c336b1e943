"""Block Kit for `/cx customer` (the backstory timeline) and the follow-up DM."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.core import ids
from bot.core.redact import redact
from bot.core.text import escape, header_text, truncate
from bot.customers.store import TimelineEntry, TimelinePage
from bot.moments.logged_views import story_button
from bot.moments.store import DueFollowup
from bot.moments.views import OUTCOME_LABELS, escape_within, slack_link
from bot.stories.store import Telling
from bot.stories.views import telling_lines


def _small_ints(raw: str, parts: int) -> list[int] | None:
    """``parts`` small non-negative integers from an ``a:b`` button value, or None."""
    pieces = raw.split(":")
    if len(pieces) != parts or not all(p.isascii() and p.isdigit() for p in pieces):
        return None
    numbers = [int(p) for p in pieces]
    return numbers if all(n < 2**31 for n in numbers) else None


def more_value(customer_id: int, offset: int) -> str:
    """The timeline's "More" button value; read back by ``read_more_value``."""
    return f"{customer_id}:{offset}"


def read_more_value(raw: str) -> tuple[int, int] | None:
    """(customer id, offset) from a "More" button, or None when it is not one."""
    numbers = _small_ints(raw, 2)
    return (numbers[0], numbers[1]) if numbers else None


def done_value(moment_id: int) -> str:
    """The follow-up DM's "Done" button value; read back by ``read_done_value``."""
    return str(moment_id)


def read_done_value(raw: str) -> int | None:
    """The moment id from a "Done" button, or None when it is not one."""
    numbers = _small_ints(raw, 1)
    return numbers[0] if numbers else None


def _entry_text(entry: TimelineEntry) -> str:
    """One moment: date, outcome, touchpoint, CSAT, who logged it, the story and backstory."""
    head = [f"*{entry.happened_on.isoformat()}*", OUTCOME_LABELS.get(entry.outcome, entry.outcome)]
    head.append(escape(entry.touchpoint))
    if entry.csat is not None:
        head.append(f"CSAT {entry.csat}/5")
    who = f"<@{entry.logged_by}>" if entry.logged_by else "someone who has left"
    if entry.team_name:
        who += f" ({escape_within(entry.team_name, 80)})"
    lines = [" · ".join(head) + f" · logged by {who}"]
    lines.append(">" + escape_within(redact(entry.what_happened), 1200).replace("\n", "\n>"))
    if entry.backstory:
        lines.append("_Backstory:_ " + escape_within(redact(entry.backstory), 1000))
    extras = []
    if entry.would_tell_story:
        extras.append("💬 They would tell this story themselves")
    link = slack_link(entry.source_permalink, "source message")
    if link:
        extras.append(link)
    if extras:
        lines.append(" · ".join(extras))
    return "\n".join(lines)


def _totals(page: TimelinePage) -> str:
    counts = page.outcomes
    parts = [
        f"{page.total} moment{'s' if page.total != 1 else ''}",
        f"🏆 {counts['win']} win{'s' if counts['win'] != 1 else ''}",
        f"😐 {counts['neutral']} neutral",
        f"⚠️ {counts['problem']} problem{'s' if counts['problem'] != 1 else ''}",
    ]
    if page.mean_csat is not None:
        parts.append(f"mean CSAT {page.mean_csat:.1f}/5")
    if page.would_tell:
        parts.append(f"{page.would_tell} they would tell themselves")
    return " · ".join(parts)


def build_timeline_blocks(
    page: TimelinePage,
    *,
    tellings: Mapping[int, Telling] | None = None,
    viewer: str | None = None,
) -> list[dict[str, Any]]:
    """A customer's backstory timeline, newest first, with a "More" button for older ones.

    Beside the team's telling of each moment stands the customer's own (``tellings``, as
    the viewer may see them); on the viewer's own moments not yet told by the customer, a
    button asks them to tell it.
    """
    tellings = tellings or {}
    blocks: list[Block] = [
        # plain_text: Slack shows it as is (no mentions, no entities), so it is not escaped.
        HeaderBlock(text=truncate(header_text(page.customer_name), 150)),
        SectionBlock(text=MarkdownTextObject(text=_totals(page))),
    ]
    for entry in page.entries:
        telling = tellings.get(entry.moment_id)
        blocks.append(DividerBlock())
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_entry_text(entry))))
        if telling is not None:  # their side, in a section of its own (text limits)
            blocks.append(SectionBlock(text=MarkdownTextObject(text=telling_lines(telling))))
        if viewer is not None and entry.logged_by == viewer and telling is None:
            blocks.append(ActionsBlock(elements=[story_button(entry.moment_id)]))
    if page.entries:
        first, last = page.offset + 1, page.offset + len(page.entries)
        shown = f"Showing {first}–{last} of {page.total}, newest first."
    else:
        shown = "No moments on this page."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=shown)]))
    if page.next_offset is not None:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text="More",
                        action_id=ids.CUSTOMER_MORE,
                        value=more_value(page.customer_id, page.next_offset),
                    )
                ]
            )
        )
    return [b.to_dict() for b in blocks]


def timeline_text(page: TimelinePage) -> str:
    """Plain-text fallback of the timeline."""
    return f"{escape_within(page.customer_name, 200)}: {_totals(page)}"


def build_unknown_customer_blocks(name: str, suggestions: Sequence[str]) -> list[dict[str, Any]]:
    """No such customer: say so and offer the closest names."""
    text = f"I don't know a customer called *{escape_within(name, 200)}*."
    if suggestions:
        names = ", ".join(f"*{escape_within(s, 200)}*" for s in suggestions)
        text += f"\nDid you mean {names}? Try `/cx customer {escape_within(suggestions[0], 200)}`."
    else:
        text += "\nLog a moment with `/cx moment` to add them."
    return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]


def build_customer_usage_blocks(recent: Sequence[str]) -> list[dict[str, Any]]:
    """`/cx customer` without a name: how to use it, and some names to try."""
    text = "Usage: `/cx customer NAME` shows that customer's backstory timeline."
    if recent:
        text += "\nRecent customers: " + ", ".join(f"*{escape_within(n, 200)}*" for n in recent)
    return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]


def build_followup_blocks(due: DueFollowup) -> list[dict[str, Any]]:
    """The follow-up DM: close the loop, with a "Done" button."""
    customer = escape_within(due.customer_name, 200)
    story = escape_within(redact(due.what_happened), 1500).replace("\n", "\n>")
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"⏰ Time to close the loop with *{customer}* — a thank-you note?\n"
                f"On {due.happened_on.isoformat()} you logged:\n>{story}"
            )
        ),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text="Done", action_id=ids.FOLLOWUP_DONE, value=done_value(due.moment_id)
                )
            ]
        ),
    ]
    return [b.to_dict() for b in blocks]


def followup_text(due: DueFollowup) -> str:
    """Plain-text fallback of the follow-up DM."""
    customer = escape_within(due.customer_name, 200)
    return f"Time to close the loop with {customer} — a thank-you note?"


def build_followup_done_blocks(message: str) -> list[dict[str, Any]]:
    """What the follow-up DM becomes once the button is clicked."""
    return [SectionBlock(text=MarkdownTextObject(text=message)).to_dict()]
