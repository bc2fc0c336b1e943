"""Block Kit for story links (the ask and revoke buttons, their value read back) and for a
customer's telling beside the team's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.core import ids
from bot.core.blocks import button_row
from bot.core.i18n import ENGLISH, Translator
from bot.core.redact import redact
from bot.core.text import escape_within
from bot.stories.store import Telling

STARS = {1: "★☆☆☆☆", 2: "★★☆☆☆", 3: "★★★☆☆", 4: "★★★★☆", 5: "★★★★★"}


def moment_value(moment_id: int) -> str:
    """The ask and revoke buttons' value: the moment; read back by ``read_moment_value``."""
    return str(moment_id)


def read_moment_value(value: str) -> int | None:
    """The moment id from an ask or revoke button, or None when it is not one of ours."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def story_button(moment_id: int, t: Translator = ENGLISH) -> ButtonElement:
    """ "Ask the customer to tell it": a one-time link for the moment."""
    return ButtonElement(
        text=t.gettext("💬 Ask the customer to tell it"),
        action_id=ids.STORY_ASK,
        value=moment_value(moment_id),
    )


def build_link_blocks(
    *, url: str, expires_at: datetime, moment_id: int, public: bool, t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """The link, only for the person who asked (in their language), with how to use it and
    a revoke button."""
    how = t.gettext(
        "Paste this link into your own email or chat with the customer. It works once, "
        "until %(day)s, and shows them only our company name and the topic — never what "
        "you wrote.",
        day=t.day(expires_at.date()),
    )
    if not public:
        how += "\n" + t.gettext(
            "⚠️ This app has no public address yet: an admin sets %(setting)s "
            "so the link opens from outside.",
            setting="`CXPULSE_PUBLIC_URL`",
        )
    heading = t.gettext("*Their story, in their words*")
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"{heading}\n```{url}```")),
        ContextBlock(elements=[MarkdownTextObject(text=how)]),
        button_row(
            t.gettext("Revoke link"),
            action_id=ids.STORY_REVOKE,
            value=moment_value(moment_id),
            style="danger",
        ),
    ]
    return [b.to_dict() for b in blocks]


def telling_lines(telling: Telling, *, limit: int = 900, t: Translator = ENGLISH) -> str:
    """The customer's side, for beside the team's: their rating, words and backstory."""
    rating = STARS.get(telling.rating or 0, "")
    head = (
        t.gettext("🗣️ *How they felt* %(stars)s (%(rating)s/5)", stars=rating, rating=telling.rating)
        if rating
        else t.gettext("🗣️ *How they felt*")
    )
    if not telling.consent:
        head += " · " + t.gettext("_shared only with you_")
    lines = [head]
    if telling.what_happened:
        lines.append(">" + escape_within(redact(telling.what_happened), limit).replace("\n", "\n>"))
    if telling.backstory:
        backstory = escape_within(redact(telling.backstory), limit)
        lines.append(t.gettext("_What was going on for them:_ %(text)s", text=backstory))
    return "\n".join(lines)
