"""Block Kit for a logged customer moment: the confirmation, the App Home list, and how an
outcome and a touchpoint read (the modal and the customer timeline use them too).

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
from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.redact import redact
from bot.core.text import escape, escape_within
from bot.moments.sentiment import outcome_hint, sentiment_label
from bot.moments.store import OutcomeChange
from bot.stories.views import story_button


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


# msgids, translated for the reader where they are shown.
OUTCOME_LABELS = {"win": N_("🏆 Win"), "neutral": N_("😐 Neutral"), "problem": N_("⚠️ Problem")}
TOUCHPOINT_LABELS = {
    "support": N_("Support"),
    "sales": N_("Sales"),
    "onboarding": N_("Onboarding"),
    "success": N_("Success"),
    "billing": N_("Billing"),
    "other": N_("Other"),
}


def outcome_label(outcome: str, t: Translator) -> str:
    """An outcome as the reader says it ("🏆 Win", "🏆 Réussite")."""
    label = OUTCOME_LABELS.get(outcome)
    return t.gettext(label) if label else outcome


def touchpoint_label(touchpoint: str, t: Translator) -> str:
    """A touchpoint as the reader says it ("Support", "Vertrieb")."""
    label = TOUCHPOINT_LABELS.get(touchpoint)
    return t.gettext(label) if label else touchpoint


SENTIMENT_LABELS = {
    "positive": N_("positive"),
    "neutral": N_("neutral"),
    "negative": N_("negative"),
}


def _summary_line(moment: LoggedMoment, t: Translator) -> str:
    outcome = outcome_label(moment.outcome, t)
    customer = f"*{escape_within(moment.customer, 200)}*"
    parts = [t.gettext("%(outcome)s with %(customer)s", outcome=outcome, customer=customer)]
    touchpoint = escape(touchpoint_label(moment.touchpoint, t))
    parts.append(f"{touchpoint}, {t.date(moment.happened_on)}")
    if moment.csat is not None:
        parts.append(t.gettext("CSAT %(score)s/5", score=moment.csat))
    return " · ".join(parts)


def celebrate_value(moment_id: int) -> str:
    """The "Celebrate this" button value; read back by ``read_celebrate_value``."""
    return str(moment_id)


def read_celebrate_value(value: str) -> int:
    """The moment id from a "Celebrate this" button; ValueError when it is not one."""
    return int(value)


def build_confirmation(
    moment: LoggedMoment, *, can_celebrate: bool, t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """The ephemeral "logged" message: ask the customer to tell it; a lead may celebrate a win."""
    line = _summary_line(moment, t)
    notes = [
        t.gettext(
            "Story sentiment: %(label)s",
            label=t.gettext(SENTIMENT_LABELS[sentiment_label(moment.sentiment)]),
        )
        if moment.sentiment is not None
        else t.gettext("Story sentiment: not scored (language not supported)")
    ]
    if moment.followup_on is not None:
        notes.append(
            t.gettext("I'll remind you to follow up on %(day)s", day=t.date(moment.followup_on))
        )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=t.gettext("✅ Logged: %(line)s", line=line))),
        SectionBlock(
            text=MarkdownTextObject(text=">" + escape_within(redact(moment.what_happened), 600))
        ),
        ContextBlock(elements=[MarkdownTextObject(text=" · ".join(notes))]),
        *hint_blocks(
            moment_id=moment.moment_id, outcome=moment.outcome, sentiment=moment.sentiment, t=t
        ),
    ]
    buttons = [story_button(moment.moment_id, t)]
    if can_celebrate and moment.outcome == "win":
        buttons.insert(
            0,
            ButtonElement(
                text=t.gettext("🎉 Celebrate this"),
                action_id=ids.CELEBRATE_MOMENT,
                value=celebrate_value(moment.moment_id),
                style="primary",
            ),
        )
    blocks.append(ActionsBlock(elements=buttons))
    return [b.to_dict() for b in blocks]


CONFIRMATION_TEXTS = {
    "win": N_("Logged a win with %(customer)s."),
    "neutral": N_("Logged a neutral moment with %(customer)s."),
    "problem": N_("Logged a problem with %(customer)s."),
}


def confirmation_text(moment: LoggedMoment, t: Translator = ENGLISH) -> str:
    """Plain-text fallback of the confirmation."""
    message = CONFIRMATION_TEXTS.get(moment.outcome, CONFIRMATION_TEXTS["neutral"])
    return t.gettext(message, customer=escape_within(moment.customer, 200))


def build_home_section(
    recent: Sequence[LoggedMoment], t: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """App Home: the "Log a customer moment" button and the viewer's recent moments.

    Everything is in the viewer's language except what people typed (names, stories).
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
        line = _summary_line(moment, t)
        story = escape_within(redact(moment.what_happened), 200)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"{line}\n{story}")]))
    return [b.to_dict() for b in blocks]


BUTTON_LABELS = {"win": N_("Change to win"), "problem": N_("Change to problem")}
HINT_TEXTS = {
    "win": N_("💡 This story reads like a win — change the outcome?"),
    "problem": N_("💡 This story reads like a problem — change the outcome?"),
}


# msgids: why a "Change to …" click changed nothing, translated for the clicker.
CHANGE_MESSAGES = {
    OutcomeChange.NOT_YOURS: N_("Only the person who logged this moment can change its outcome."),
    OutcomeChange.UNKNOWN: N_("I can't find that customer moment any more; nothing was changed."),
}


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


def hint_blocks(
    *, moment_id: int, outcome: str, sentiment: float | None, t: Translator = ENGLISH
) -> list[Block]:
    """A one-line hint and a button when the story reads clearly the other way; else none."""
    suggested = outcome_hint(outcome, sentiment) if sentiment is not None else None
    if suggested is None:
        return []
    return [
        SectionBlock(
            text=MarkdownTextObject(text=t.gettext(HINT_TEXTS[suggested])),
            accessory=ButtonElement(
                text=t.gettext(BUTTON_LABELS[suggested]),
                action_id=ids.MOMENT_CHANGE_OUTCOME,
                value=change_button_value(moment_id, suggested),
            ),
        )
    ]
