"""The "Log a customer moment" modal: its Block Kit, and its submitted state read back."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from slack_sdk.models.blocks import (
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
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.core import ids
from bot.core.i18n import ENGLISH, Translator, translator
from bot.core.text import slack_link, truncate
from bot.moments.logged_views import OUTCOME_LABELS, outcome_label, touchpoint_label
from bot.moments.store import TEXT_MAX, TOUCHPOINTS, MomentDraft

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


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=truncate(text, SELECT_TEXT_MAX))


def _option_dict(value: str, text: str) -> dict[str, Any]:
    """What ``_option(value, text).to_dict()`` gives, without validating (one per customer)."""
    shown = truncate(text, SELECT_TEXT_MAX)
    return {"text": {"emoji": True, "text": shown, "type": "plain_text"}, "value": value}


# The modal is opened for every moment, and validating its blocks through slack_sdk
# took longer than everything else the command does (8 ms with 100 customers). The
# parts that never change are validated once; per-call parts are small or plain dicts.
# Cached per language: the frames are validated once for each language.
@cache
def _customer_picker_frame(language: str) -> dict[str, Any]:
    t = translator(language)
    return InputBlock(
        block_id=ids.MOMENT_CUSTOMER,
        label=t.gettext("Customer"),
        optional=True,
        element=StaticSelectElement(
            action_id=action_id(ids.MOMENT_CUSTOMER),
            placeholder=t.gettext("Pick an existing customer"),
            options=[_option("0", "-")],
        ),
    ).to_dict()


def _customer_picker(customers: Sequence[tuple[int, str]], language: str) -> dict[str, Any]:
    frame = _customer_picker_frame(language)
    options = [_option_dict(str(cid), name) for cid, name in customers]
    return {**frame, "element": {**frame["element"], "options": options}}


@cache
def _before_when(with_picker: bool, language: str) -> tuple[dict[str, Any], ...]:
    t = translator(language)
    blocks = [
        InputBlock(
            block_id=ids.MOMENT_NEW_CUSTOMER,
            label=t.gettext("…or a new customer") if with_picker else t.gettext("Customer"),
            optional=True,
            hint=t.gettext("Names match however they are capitalised or spaced."),
            element=PlainTextInputElement(
                action_id=action_id(ids.MOMENT_NEW_CUSTOMER),
                placeholder=t.gettext("Customer name"),
            ),
        ),
        InputBlock(
            block_id=ids.MOMENT_TOUCHPOINT,
            label=t.gettext("Touchpoint"),
            element=StaticSelectElement(
                action_id=action_id(ids.MOMENT_TOUCHPOINT),
                placeholder=t.gettext("Where did you meet them?"),
                options=[_option(tp, touchpoint_label(tp, t)) for tp in TOUCHPOINTS],
            ),
        ),
        InputBlock(
            block_id=ids.MOMENT_OUTCOME,
            label=t.gettext("Outcome"),
            element=RadioButtonsElement(
                action_id=action_id(ids.MOMENT_OUTCOME),
                options=[_option(k, outcome_label(k, t)) for k in OUTCOME_LABELS],
            ),
        ),
    ]
    return tuple(b.to_dict() for b in blocks)


@cache
def _after_what(language: str) -> tuple[dict[str, Any], ...]:
    t = translator(language)
    blocks = [
        InputBlock(
            block_id=ids.MOMENT_BACKSTORY,
            label=t.gettext("The customer's backstory"),
            optional=True,
            hint=t.gettext("What was going on for them before they reached us?"),
            element=PlainTextInputElement(
                action_id=action_id(ids.MOMENT_BACKSTORY), multiline=True
            ),
        ),
        InputBlock(
            block_id=ids.MOMENT_CSAT,
            label=t.gettext("CSAT (1–5)"),
            optional=True,
            element=NumberInputElement(
                action_id=action_id(ids.MOMENT_CSAT), is_decimal_allowed=False
            ),
        ),
        InputBlock(
            block_id=ids.MOMENT_FOLLOWUP,
            label=t.gettext("Follow up on"),
            optional=True,
            hint=t.gettext("I'll remind you that day to close the loop."),
            element=DatePickerElement(action_id=action_id(ids.MOMENT_FOLLOWUP)),
        ),
        InputBlock(
            block_id=ids.MOMENT_STORY,
            label=t.gettext("Their story"),
            optional=True,
            element=CheckboxesElement(
                action_id=action_id(ids.MOMENT_STORY),
                options=[
                    _option(
                        STORY_OPTION, t.gettext("The customer would tell this story themselves")
                    )
                ],
            ),
        ),
    ]
    return tuple(b.to_dict() for b in blocks)


@cache
def _modal_frame(language: str) -> dict[str, Any]:
    t = translator(language)
    return View(
        type="modal",
        callback_id=ids.MOMENT_MODAL,
        title=t.gettext("Log a customer moment"),
        submit=t.gettext("Log it"),
        close=t.gettext("Cancel"),
        blocks=[DividerBlock()],
    ).to_dict()


def build_moment_modal(
    *,
    customers: Sequence[tuple[int, str]],
    today: date,
    origin: ModalOrigin,
    prefill: str = "",
    t: Translator = ENGLISH,
) -> dict[str, Any]:
    """The "Log a customer moment" modal in ``t``; ``customers`` are (id, name), most recent
    first."""
    language = t.language
    blocks: list[dict[str, Any]] = []
    link = slack_link(origin.permalink, t.gettext("the message"))
    if link:
        logged_from = t.gettext("Logged from %(link)s.", link=link)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=logged_from)]).to_dict())
    if customers:
        blocks.append(_customer_picker(customers, language))
    blocks.extend(copy.deepcopy(_before_when(bool(customers), language)))
    blocks.append(
        InputBlock(
            block_id=ids.MOMENT_WHEN,
            label=t.gettext("When did it happen?"),
            element=DatePickerElement(
                action_id=action_id(ids.MOMENT_WHEN), initial_date=today.isoformat()
            ),
        ).to_dict()
    )
    blocks.append(
        InputBlock(
            block_id=ids.MOMENT_WHAT,
            label=t.gettext("What happened"),
            element=PlainTextInputElement(
                action_id=action_id(ids.MOMENT_WHAT),
                multiline=True,
                initial_value=truncate(prefill, TEXT_MAX) if prefill else None,
                placeholder=t.gettext("The story, in a sentence or two"),
            ),
        ).to_dict()
    )
    blocks.extend(copy.deepcopy(_after_what(language)))
    return {
        **copy.deepcopy(_modal_frame(language)),
        "private_metadata": origin.dump(),
        "blocks": blocks,
    }


def draft_from_state(values: dict[str, Any], origin: ModalOrigin) -> MomentDraft:
    """The modal's submitted state as a draft (raw values; the service validates)."""

    def field(block_id: str) -> dict[str, Any]:
        entry = values.get(block_id, {}).get(action_id(block_id))
        return entry if isinstance(entry, dict) else {}

    def selected(block_id: str) -> str | None:
        option = field(block_id).get("selected_option")
        return str(option["value"]) if isinstance(option, dict) else None

    story = field(ids.MOMENT_STORY).get("selected_options") or []
    return MomentDraft(
        customer_id=selected(ids.MOMENT_CUSTOMER),
        new_customer_name=field(ids.MOMENT_NEW_CUSTOMER).get("value") or "",
        touchpoint=selected(ids.MOMENT_TOUCHPOINT),
        outcome=selected(ids.MOMENT_OUTCOME),
        happened_on=field(ids.MOMENT_WHEN).get("selected_date"),
        what_happened=field(ids.MOMENT_WHAT).get("value") or "",
        backstory=field(ids.MOMENT_BACKSTORY).get("value") or "",
        csat=field(ids.MOMENT_CSAT).get("value"),
        followup_on=field(ids.MOMENT_FOLLOWUP).get("selected_date"),
        would_tell_story=any(o.get("value") == STORY_OPTION for o in story),
        source=origin.source,
        source_permalink=origin.permalink or None,
    )


def error_blocks(errors: dict[str, str], view: dict[str, Any]) -> dict[str, str]:
    """Service errors keyed by the modal's block ids (only blocks the view really has)."""
    present = {b.get("block_id") for b in view.get("blocks") or []}
    mapped: dict[str, str] = {}
    for name, message in errors.items():
        block = FIELD_BLOCKS.get(name, ids.MOMENT_WHAT)
        if block not in present:
            block = ids.MOMENT_NEW_CUSTOMER if name == "customer" else ids.MOMENT_WHAT
        mapped.setdefault(block, message)
    return mapped
