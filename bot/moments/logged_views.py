"""Block Kit for a logged customer moment: the confirmation and the App Home list.

The confirmation carries the gentle check of the outcome against the story: a story that
clearly reads like a problem but was logged as a win (or the reverse) is saved as logged,
and the confirmation asks, once, whether the outcome should change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.core import ids
from bot.core.i18n import ENGLISH, Translator
from bot.core.redact import redact
from bot.core.text import escape
from bot.moments.sentiment import outcome_hint, sentiment_label
from bot.moments.views import OUTCOME_LABELS, escape_within


@dataclass(frozen=True)
class LoggedMoment:
    """What the confirmation repeats back."""

    moment_id: int
    customer: str
    outcome: str
    touchpoint: str
    happened_on: date
    what_happened: str
    csat: int | None
    sentiment: float | None  # None: no scorer reads the story's language
    followup_on: date | None


def _summary_line(moment: LoggedMoment) -> str:
    label = OUTCOME_LABELS.get(moment.outcome, moment.outcome)
    parts = [f"{label} with *{escape_within(moment.customer, 200)}*"]
    parts.append(f"{escape(moment.touchpoint)}, {moment.happened_on.isoformat()}")
    if moment.csat is not None:
        parts.append(f"CSAT {moment.csat}/5")
    return " · ".join(parts)


def celebrate_value(moment_id: int) -> str:
    """The "Celebrate this" button value; read back by ``read_celebrate_value``."""
    return str(moment_id)


def read_celebrate_value(value: str) -> int:
    """The moment id from a "Celebrate this" button; ValueError when it is not one."""
    return int(value)


def build_confirmation(moment: LoggedMoment, *, can_celebrate: bool) -> list[dict[str, Any]]:
    """The ephemeral "logged" message: ask the customer to tell it; a lead may celebrate a win."""
    line = _summary_line(moment)
    notes = [
        f"Story sentiment: {sentiment_label(moment.sentiment)}"
        if moment.sentiment is not None
        else "Story sentiment: not scored (language not supported)"
    ]
    if moment.followup_on is not None:
        notes.append(f"I'll remind you to follow up on {moment.followup_on.isoformat()}")
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"✅ Logged: {line}")),
        SectionBlock(
            text=MarkdownTextObject(text=">" + escape_within(redact(moment.what_happened), 600))
        ),
        ContextBlock(elements=[MarkdownTextObject(text=" · ".join(notes))]),
        *hint_blocks(
            moment_id=moment.moment_id, outcome=moment.outcome, sentiment=moment.sentiment
        ),
    ]
    buttons = [story_button(moment.moment_id)]
    if can_celebrate and moment.outcome == "win":
        buttons.insert(
            0,
            ButtonElement(
                text="🎉 Celebrate this",
                action_id=ids.CELEBRATE_MOMENT,
                value=celebrate_value(moment.moment_id),
                style="primary",
            ),
        )
    blocks.append(ActionsBlock(elements=buttons))
    return [b.to_dict() for b in blocks]


def story_button(moment_id: int) -> ButtonElement:
    """ "Ask the customer to tell it": a one-time link for the moment (bot/stories)."""
    return ButtonElement(
        text="💬 Ask the customer to tell it", action_id=ids.STORY_ASK, value=str(moment_id)
    )


def confirmation_text(moment: LoggedMoment) -> str:
    """Plain-text fallback of the confirmation."""
    return f"Logged a {moment.outcome} moment with {escape_within(moment.customer, 200)}."


def build_home_section(
    recent: Sequence[LoggedMoment], t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """App Home: the "Log a customer moment" button and the viewer's recent moments.

    The frame is in the viewer's language; the moment lines are not translated yet.
    """
    intro = t.gettext("*Customer moments*\nSeen a customer moment? Share it.")
    blocks: list[Block] = [
        DividerBlock(),
        SectionBlock(
            text=MarkdownTextObject(text=intro),
            accessory=ButtonElement(
                text=t.gettext("Log a customer moment"),
                action_id=ids.HOME_LOG_MOMENT,
                style="primary",
            ),
        ),
    ]
    if not recent:
        none_yet = t.gettext("You haven't logged any moments yet.")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=none_yet)]))
    for moment in recent:
        line = _summary_line(moment)
        story = escape_within(redact(moment.what_happened), 200)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"{line}\n{story}")]))
    return [b.to_dict() for b in blocks]


BUTTON_LABELS = {"win": "Change to win", "problem": "Change to problem"}


def change_button_value(moment_id: int, outcome: str) -> str:
    """The "Change to …" button's value: which moment, to which outcome."""
    return f"{moment_id}:{outcome}"


def read_change_button(value: str) -> tuple[int, str] | None:
    """(moment id, outcome) from a button value, or None if it is not one of ours."""
    raw_id, _, outcome = value.partition(":")
    if not (raw_id.isascii() and raw_id.isdigit() and int(raw_id) < 2**31):
        return None
    if outcome not in BUTTON_LABELS:
        return None
    return int(raw_id), outcome


def hint_blocks(*, moment_id: int, outcome: str, sentiment: float | None) -> list[Block]:
    """A one-line hint and a button when the story reads clearly the other way; else none."""
    suggested = outcome_hint(outcome, sentiment) if sentiment is not None else None
    if suggested is None:
        return []
    text = f"💡 This story reads like a {suggested} — change the outcome?"
    return [
        SectionBlock(
            text=MarkdownTextObject(text=text),
            accessory=ButtonElement(
                text=BUTTON_LABELS[suggested],
                action_id=ids.MOMENT_CHANGE_OUTCOME,
                value=change_button_value(moment_id, suggested),
            ),
        )
    ]
