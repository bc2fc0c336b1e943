"""Block Kit for suggesting a celebration: the refusal a non-lead gets (with *Suggest this
to a lead*), the suggestion DM to a lead (its *Celebrate* button and the value it carries),
and what the lead and the suggester read once the lead has celebrated it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.celebrations.store import ParsedCelebration
from bot.celebrations.views import (
    USER_ID,
    Blocks,
    channel_link,
    dicts,
    reason_chunks,
    user_mention,
    values_line,
    who_line,
)
from bot.core import ids
from bot.core.blocks import button_row
from bot.core.i18n import ENGLISH, Translator
from bot.core.text import escape
from bot.workspace.roles import EVERYONE

# Button values hold at most 2000 characters, counted as sent: after JSON escaping.
BUTTON_VALUE_MAX = 2000
_LONGEST_USER_ID = "W" + "X" * 20  # room for whoever suggests it


def describe_leads(leads: Sequence[str]) -> str:
    """Who may celebrate, for the refusal: user ids as mentions, groups by their handle."""
    shown = [
        user_mention(e) if USER_ID.fullmatch(e) else escape("@" + e.lstrip("@"))
        for e in leads
        if e.lower() != EVERYONE
    ]
    return ", ".join(shown)


def build_refusal(
    leads: Sequence[str], *, suggestion: str | None, t: Translator = ENGLISH
) -> tuple[str, Blocks]:
    """A kind 'only leads celebrate' answer, with a button to pass the idea to a lead."""
    who = describe_leads(leads)
    if not who:
        text = t.gettext(
            "Celebrations are posted by leads, and none are set up yet: an admin can add them."
        )
    else:
        text = t.gettext("Celebrations are posted by leads (%(who)s).", who=who)
    offer = who and suggestion is not None and suggestion_fits(suggestion)
    if offer:
        text += " " + t.gettext(
            "Love that you want to recognise a win, though! Want me to suggest it to a lead?"
        )
    elif who and suggestion is not None:
        text += " " + t.gettext(
            "Your message is too long to pass on with a button; please shorten it, or send "
            "it to a lead yourself."
        )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text))]
    if offer and suggestion is not None:
        blocks.append(
            button_row(
                t.gettext("Suggest this to a lead"),
                action_id=ids.CELEBRATE_SUGGEST,
                value=suggestion,
                style="primary",
            )
        )
    return text, dicts(blocks)


def suggestion_value(text: str, suggested_by: str) -> str:
    """The lead's "Celebrate" button value: the original command text and who suggested it."""
    # Not ASCII-escaped: a Japanese character stays one character, not six (\uXXXX).
    return json.dumps({"text": text, "by": suggested_by}, ensure_ascii=False)


def suggestion_fits(text: str) -> bool:
    """Whether ``text`` fits both suggestion buttons (as sent, after JSON escaping)."""
    return (
        len(text) <= BUTTON_VALUE_MAX
        and len(suggestion_value(text, _LONGEST_USER_ID)) <= BUTTON_VALUE_MAX
    )


def read_suggestion(value: str) -> tuple[str, str]:
    """(text, suggested_by) from a suggestion button value."""
    data = json.loads(value)
    return str(data["text"]), str(data["by"])


def build_suggestion_dm(
    parsed: ParsedCelebration, *, text: str, suggested_by: str, t: Translator = ENGLISH
) -> tuple[str, Blocks]:
    """The DM to a lead (in the lead's language): someone suggests celebrating a win, one
    click posts it."""
    intro = t.gettext(
        "💡 %(person)s suggests celebrating %(who)s.",
        person=user_mention(suggested_by),
        who=who_line(parsed, t),
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=intro))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=c)) for c in reason_chunks(parsed.reason)]
    if parsed.values:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=values_line(parsed.values))]))
    blocks.append(
        button_row(
            t.gettext("Celebrate 🎉"),
            action_id=ids.CELEBRATE_SUGGESTED,
            value=suggestion_value(text, suggested_by),
            style="primary",
        )
    )
    return intro, dicts(blocks)


def celebrated_reply(channel_id: str, t: Translator = ENGLISH) -> str:
    """What the suggestion DM becomes for the lead who celebrated it (the lead's language)."""
    return t.gettext("✅ Celebrated in %(channel)s. Thank you!", channel=channel_link(channel_id))


def suggestion_celebrated_dm(lead: str, channel_id: str, t: Translator = ENGLISH) -> str:
    """The suggester's DM once a lead celebrated their suggestion (the suggester's language)."""
    return t.gettext(
        "🎉 %(lead)s celebrated your suggestion in %(channel)s.",
        lead=user_mention(lead),
        channel=channel_link(channel_id),
    )
