"""Block Kit for customer moments: the modal, the confirmation and the App Home section."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blockkit import ids
from bot.blockkit.text import escape, truncate
from bot.moments.outcome_check import hint_blocks
from bot.moments.sentiment import sentiment_label
from bot.moments.store import TEXT_MAX, TOUCHPOINTS

OUTCOME_LABELS = {"win": "🏆 Win", "neutral": "😐 Neutral", "problem": "⚠️ Problem"}
STORY_OPTION = "yes"
SELECT_TEXT_MAX = 75  # Slack's limit on an option's text

# Service field name → the modal block that shows its error.
FIELD_BLOCKS = {
    "customer": ids.MOMENT_CUSTOMER,
    "new_customer": ids.MOMENT_NEW_CUSTOMER,
    "touchpoint": ids.MOMENT_TOUCHPOINT,
    "outcome": ids.MOMENT_OUTCOME,
    "happened_on": ids.MOMENT_WHEN,
    "what_happened": ids.MOMENT_WHAT,
    "backstory": ids.MOMENT_BACKSTORY,
    "csat": ids.MOMENT_CSAT,
    "followup_on": ids.MOMENT_FOLLOWUP,
}


def action_id(block_id: str) -> str:
    """The action id of the single input inside a modal block."""
    return f"{block_id}_input"


@dataclass(frozen=True)
class ModalOrigin:
    """Where the modal was opened from, carried in private_metadata."""

    source: str  # command | shortcut | home
    channel_id: str = ""
    permalink: str = ""

    def dump(self) -> str:
        """Serialise for private_metadata (Slack allows 3,000 characters)."""
        return json.dumps({"s": self.source, "c": self.channel_id, "p": self.permalink})

    @classmethod
    def load(cls, raw: str) -> ModalOrigin:
        """Read private_metadata back; anything unreadable counts as the slash command."""
        try:
            data = json.loads(raw or "{}")
            return cls(str(data.get("s", "command")), str(data.get("c", "")), str(data["p"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls("command")


def escape_within(text: str, limit: int) -> str:
    """Escape ``text`` and shorten it so the escaped result fits in ``limit`` characters."""
    size = limit
    while size > 0:
        shown = escape(truncate(text, size))
        if len(shown) <= limit:
            return shown
        size = min(size - 1, size * limit // len(shown))
    return ""


def slack_link(url: str | None, label: str) -> str | None:
    """A mrkdwn link to ``url`` if it is a plain web address, else None."""
    if not url or not url.startswith(("https://", "http://")):
        return None
    if any(c in url for c in "<>| \n"):
        return None
    return f"<{url}|{label}>"


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=truncate(text, SELECT_TEXT_MAX))


def _option_dict(value: str, text: str) -> dict[str, Any]:
    """What ``_option(value, text).to_dict()`` gives, without validating (one per customer)."""
    shown = truncate(text, SELECT_TEXT_MAX)
    return {"text": {"emoji": True, "text": shown, "type": "plain_text"}, "value": value}


# The modal is opened for every moment, and validating its blocks through slack_sdk
# took longer than everything else the command does (8 ms with 100 customers). The
# parts that never change are validated once; per-call parts are small or plain dicts.
@cache
def _customer_picker_frame() -> dict[str, Any]:
    return InputBlock(
        block_id=ids.MOMENT_CUSTOMER,
        label="Customer",
        optional=True,
        element=StaticSelectElement(
            action_id=action_id(ids.MOMENT_CUSTOMER),
            placeholder="Pick an existing customer",
            options=[_option("0", "-")],
        ),
    ).to_dict()


def _customer_picker(customers: Sequence[tuple[int, str]]) -> dict[str, Any]:
    frame = _customer_picker_frame()
    options = [_option_dict(str(cid), name) for cid, name in customers]
    return {**frame, "element": {**frame["element"], "options": options}}


@cache
def _before_when(with_picker: bool) -> tuple[dict[str, Any], ...]:
    blocks = [
        InputBlock(
            block_id=ids.MOMENT_NEW_CUSTOMER,
            label="…or a new customer" if with_picker else "Customer",
            optional=True,
            hint="Names match however they are capitalised or spaced.",
            element=PlainTextInputElement(
                action_id=action_id(ids.MOMENT_NEW_CUSTOMER), placeholder="Customer name"
            ),
        ),
        InputBlock(
            block_id=ids.MOMENT_TOUCHPOINT,
            label="Touchpoint",
            element=StaticSelectElement(
                action_id=action_id(ids.MOMENT_TOUCHPOINT),
                placeholder="Where did you meet them?",
                options=[_option(t, t.capitalize()) for t in TOUCHPOINTS],
            ),
        ),
        InputBlock(
            block_id=ids.MOMENT_OUTCOME,
            label="Outcome",
            element=RadioButtonsElement(
                action_id=action_id(ids.MOMENT_OUTCOME),
                options=[_option(k, v) for k, v in OUTCOME_LABELS.items()],
            ),
        ),
    ]
    return tuple(b.to_dict() for b in blocks)


@cache
def _after_what() -> tuple[dict[str, Any], ...]:
    blocks = [
        InputBlock(
            block_id=ids.MOMENT_BACKSTORY,
            label="The customer's backstory",
            optional=True,
            hint="What was going on for them before they reached us?",
            element=PlainTextInputElement(
                action_id=action_id(ids.MOMENT_BACKSTORY), multiline=True
            ),
        ),
        InputBlock(
            block_id=ids.MOMENT_CSAT,
            label="CSAT (1–5)",
            optional=True,
            element=NumberInputElement(
                action_id=action_id(ids.MOMENT_CSAT), is_decimal_allowed=False
            ),
        ),
        InputBlock(
            block_id=ids.MOMENT_FOLLOWUP,
            label="Follow up on",
            optional=True,
            hint="I'll remind you that day to close the loop.",
            element=DatePickerElement(action_id=action_id(ids.MOMENT_FOLLOWUP)),
        ),
        InputBlock(
            block_id=ids.MOMENT_STORY,
            label="Their story",
            optional=True,
            element=CheckboxesElement(
                action_id=action_id(ids.MOMENT_STORY),
                options=[_option(STORY_OPTION, "The customer would tell this story themselves")],
            ),
        ),
    ]
    return tuple(b.to_dict() for b in blocks)


@cache
def _modal_frame() -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=ids.MOMENT_MODAL,
        title="Log a customer moment",
        submit="Log it",
        close="Cancel",
        blocks=[DividerBlock()],
    ).to_dict()


def build_moment_modal(
    *,
    customers: Sequence[tuple[int, str]],
    today: date,
    origin: ModalOrigin,
    prefill: str = "",
) -> dict[str, Any]:
    """The "Log a customer moment" modal; ``customers`` are (id, name), most recent first."""
    blocks: list[dict[str, Any]] = []
    link = slack_link(origin.permalink, "the message")
    if link:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=f"Logged from {link}.")]).to_dict()
        )
    if customers:
        blocks.append(_customer_picker(customers))
    blocks.extend(copy.deepcopy(_before_when(bool(customers))))
    blocks.append(
        InputBlock(
            block_id=ids.MOMENT_WHEN,
            label="When did it happen?",
            element=DatePickerElement(
                action_id=action_id(ids.MOMENT_WHEN), initial_date=today.isoformat()
            ),
        ).to_dict()
    )
    blocks.append(
        InputBlock(
            block_id=ids.MOMENT_WHAT,
            label="What happened",
            element=PlainTextInputElement(
                action_id=action_id(ids.MOMENT_WHAT),
                multiline=True,
                initial_value=truncate(prefill, TEXT_MAX) if prefill else None,
                placeholder="The story, in a sentence or two",
            ),
        ).to_dict()
    )
    blocks.extend(copy.deepcopy(_after_what()))
    return {**copy.deepcopy(_modal_frame()), "private_metadata": origin.dump(), "blocks": blocks}


def _summary_line(
    *, customer: str, outcome: str, touchpoint: str, happened_on: date, csat: int | None
) -> str:
    parts = [f"{OUTCOME_LABELS.get(outcome, outcome)} with *{escape_within(customer, 200)}*"]
    parts.append(f"{escape(touchpoint)}, {happened_on.isoformat()}")
    if csat is not None:
        parts.append(f"CSAT {csat}/5")
    return " · ".join(parts)


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
    sentiment: float
    followup_on: date | None


def build_confirmation(moment: LoggedMoment, *, can_celebrate: bool) -> list[dict[str, Any]]:
    """The ephemeral "logged" message: ask the customer to tell it; a lead may celebrate a win."""
    line = _summary_line(
        customer=moment.customer,
        outcome=moment.outcome,
        touchpoint=moment.touchpoint,
        happened_on=moment.happened_on,
        csat=moment.csat,
    )
    notes = [f"Story sentiment: {sentiment_label(moment.sentiment)}"]
    if moment.followup_on is not None:
        notes.append(f"I'll remind you to follow up on {moment.followup_on.isoformat()}")
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"✅ Logged: {line}")),
        SectionBlock(text=MarkdownTextObject(text=">" + escape_within(moment.what_happened, 600))),
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
                value=str(moment.moment_id),
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


def build_home_section(recent: Sequence[LoggedMoment]) -> list[dict[str, Any]]:
    """App Home: the "Log a customer moment" button and the viewer's recent moments."""
    blocks: list[Block] = [
        DividerBlock(),
        SectionBlock(
            text=MarkdownTextObject(text="*Customer moments*\nSeen a customer moment? Share it."),
            accessory=ButtonElement(
                text="Log a customer moment", action_id=ids.HOME_LOG_MOMENT, style="primary"
            ),
        ),
    ]
    if not recent:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text="You haven't logged any moments yet.")])
        )
    for moment in recent:
        line = _summary_line(
            customer=moment.customer,
            outcome=moment.outcome,
            touchpoint=moment.touchpoint,
            happened_on=moment.happened_on,
            csat=moment.csat,
        )
        story = escape_within(moment.what_happened, 200)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"{line}\n{story}")]))
    return [b.to_dict() for b in blocks]
