"""Block Kit for `/cx customer` (the backstory timeline) and the follow-up DM."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.core import ids
from bot.core.blocks import button_row
from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.redact import redact
from bot.core.text import escape, escape_within, header_text, slack_link, truncate
from bot.customers.store import TimelineEntry, TimelinePage
from bot.moments.logged_views import outcome_label, touchpoint_label
from bot.moments.store import DoneResult, DueFollowup
from bot.stories.store import Telling
from bot.stories.views import story_button, telling_lines


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


def _entry_text(entry: TimelineEntry, t: Translator) -> str:
    """One moment: date, outcome, touchpoint, CSAT, who logged it, the story and backstory."""
    head = [f"*{t.date(entry.happened_on)}*", outcome_label(entry.outcome, t)]
    head.append(escape(touchpoint_label(entry.touchpoint, t)))
    if entry.csat is not None:
        head.append(t.gettext("CSAT %(score)s/5", score=entry.csat))
    who = f"<@{entry.logged_by}>" if entry.logged_by else t.gettext("someone who has left")
    if entry.team_name:
        who += f" ({escape_within(entry.team_name, 80)})"
    head.append(t.gettext("logged by %(who)s", who=who))
    lines = [" · ".join(head)]
    lines.append(">" + escape_within(redact(entry.what_happened), 1200).replace("\n", "\n>"))
    if entry.backstory:
        backstory = escape_within(redact(entry.backstory), 1000)
        lines.append(t.gettext("_Backstory:_ %(text)s", text=backstory))
    extras = []
    if entry.would_tell_story:
        extras.append(t.gettext("💬 They would tell this story themselves"))
    link = slack_link(entry.source_permalink, t.gettext("source message"))
    if link:
        extras.append(link)
    if extras:
        lines.append(" · ".join(extras))
    return "\n".join(lines)


def _totals(page: TimelinePage, t: Translator) -> str:
    counts = page.outcomes
    parts = [
        t.ngettext("%(n)s moment", "%(n)s moments", page.total),
        t.ngettext("🏆 %(n)s win", "🏆 %(n)s wins", counts["win"]),
        t.ngettext("😐 %(n)s neutral", "😐 %(n)s neutral", counts["neutral"]),
        t.ngettext("⚠️ %(n)s problem", "⚠️ %(n)s problems", counts["problem"]),
    ]
    if page.mean_csat is not None:
        mean = t.number(page.mean_csat, decimals=1)
        parts.append(t.gettext("mean CSAT %(mean)s/5", mean=mean))
    if page.would_tell:
        parts.append(
            t.ngettext(
                "%(n)s they would tell themselves",
                "%(n)s they would tell themselves",
                page.would_tell,
            )
        )
    return " · ".join(parts)


def build_timeline_blocks(
    page: TimelinePage,
    *,
    tellings: Mapping[int, Telling] | None = None,
    viewer: str | None = None,
    t: Translator = ENGLISH,
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
        SectionBlock(text=MarkdownTextObject(text=_totals(page, t))),
    ]
    for entry in page.entries:
        telling = tellings.get(entry.moment_id)
        blocks.append(DividerBlock())
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_entry_text(entry, t))))
        if telling is not None:  # their side, in a section of its own (text limits)
            blocks.append(SectionBlock(text=MarkdownTextObject(text=telling_lines(telling, t=t))))
        if viewer is not None and entry.logged_by == viewer and telling is None:
            blocks.append(ActionsBlock(elements=[story_button(entry.moment_id, t)]))
    if page.entries:
        first, last = page.offset + 1, page.offset + len(page.entries)
        shown = t.gettext(
            "Showing %(first)s–%(last)s of %(total)s, newest first.",
            first=t.number(first),
            last=t.number(last),
            total=t.number(page.total),
        )
    else:
        shown = t.gettext("No moments on this page.")
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=shown)]))
    if page.next_offset is not None:
        blocks.append(
            button_row(
                t.gettext("More"),
                action_id=ids.CUSTOMER_MORE,
                value=more_value(page.customer_id, page.next_offset),
            )
        )
    return [b.to_dict() for b in blocks]


def timeline_text(page: TimelinePage, t: Translator = ENGLISH) -> str:
    """Plain-text fallback of the timeline."""
    return f"{escape_within(page.customer_name, 200)}: {_totals(page, t)}"


def unknown_customer_text(t: Translator = ENGLISH) -> str:
    """Plain-text fallback when no customer has that name."""
    return t.gettext("No customer by that name.")


def build_unknown_customer_blocks(
    name: str, suggestions: Sequence[str], t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """No such customer: say so and offer the closest names."""
    customer = f"*{escape_within(name, 200)}*"
    text = t.gettext("I don't know a customer called %(customer)s.", customer=customer)
    if suggestions:
        names = ", ".join(f"*{escape_within(s, 200)}*" for s in suggestions)
        command = f"`/cx customer {escape_within(suggestions[0], 200)}`"
        text += "\n" + t.gettext(
            "Did you mean %(names)s? Try %(command)s.", names=names, command=command
        )
    else:
        text += "\n" + t.gettext(
            "Log a moment with %(command)s to add them.", command="`/cx moment`"
        )
    return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]


def customer_usage_text(t: Translator = ENGLISH) -> str:
    """Plain-text fallback of how to use `/cx customer`."""
    return t.gettext("Usage: %(command)s", command=f"/cx {t.gettext('customer NAME')}")


def build_customer_usage_blocks(
    recent: Sequence[str], t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """`/cx customer` without a name: how to use it, and some names to try."""
    text = t.gettext(
        "Usage: %(command)s shows that customer's backstory timeline.",
        command=f"`/cx {t.gettext('customer NAME')}`",  # as /cx help words it
    )
    if recent:
        names = ", ".join(f"*{escape_within(n, 200)}*" for n in recent)
        text += "\n" + t.gettext("Recent customers: %(names)s", names=names)
    return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]


def build_followup_blocks(due: DueFollowup, t: Translator = ENGLISH) -> list[dict[str, Any]]:
    """The follow-up DM in its recipient's language: close the loop, with a "Done" button."""
    story = escape_within(redact(due.what_happened), 1500).replace("\n", "\n>")
    nudge = followup_text(due, t, customer=f"*{escape_within(due.customer_name, 200)}*")
    logged = t.gettext("On %(day)s you logged:", day=t.date(due.happened_on))
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"⏰ {nudge}\n{logged}\n>{story}")),
        button_row(
            t.pgettext("follow-up", "Done"),
            action_id=ids.FOLLOWUP_DONE,
            value=done_value(due.moment_id),
        ),
    ]
    return [b.to_dict() for b in blocks]


def followup_text(due: DueFollowup, t: Translator = ENGLISH, *, customer: str = "") -> str:
    """The follow-up DM's nudge; alone, its plain-text fallback."""
    return t.gettext(
        "Time to close the loop with %(customer)s — a thank-you note?",
        customer=customer or escape_within(due.customer_name, 200),
    )


# msgids: translated for the person who clicked "Done".
DONE_MESSAGES = {
    DoneResult.DONE: N_("✅ Loop closed. Thank you for following up!"),
    DoneResult.ALREADY: N_("✅ Loop closed. Thank you for following up!"),
    DoneResult.NOT_YOURS: N_("Only the person who logged this moment can close its follow-up."),
    DoneResult.UNKNOWN: N_("I can't find that follow-up any more."),
}


def build_followup_done_blocks(message: str) -> list[dict[str, Any]]:
    """What the follow-up DM becomes once the button is clicked."""
    return [SectionBlock(text=MarkdownTextObject(text=message)).to_dict()]
