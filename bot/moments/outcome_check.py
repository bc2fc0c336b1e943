"""The gentle check of a moment's outcome against its story: a hint with a button.

A story that clearly reads like a problem but was logged as a win (or the reverse) is
saved as logged; the confirmation asks, once, whether the outcome should change.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ButtonElement, MarkdownTextObject, SectionBlock

from bot.core import ids
from bot.moments.sentiment import outcome_hint

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
