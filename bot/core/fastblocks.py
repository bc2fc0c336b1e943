"""Block Kit pieces built with slack_sdk.models once per look, then reused as plain dicts.

``to_dict()`` on slack_sdk models validates every attribute on every call
(several milliseconds for a row of buttons). The pulse DM is rendered for every
send and every tap, so its repeated pieces are validated once and copied.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ContextBlock, MarkdownTextObject

_VALUE = "0"


@cache
def _button(
    text: str, action_id: str, style: str | None, accessibility_label: str | None
) -> dict[str, Any]:
    return ButtonElement(
        text=text,
        action_id=action_id,
        value=_VALUE,
        style=style,
        accessibility_label=accessibility_label,
    ).to_dict()


def button(
    *,
    text: str,
    action_id: str,
    value: str,
    style: str | None = None,
    accessibility_label: str | None = None,
) -> dict[str, Any]:
    """A button dict (validated by slack_sdk the first time this look is seen).

    ``accessibility_label`` is what screen readers say instead of the visible text.
    """
    found = _button(text, action_id, style, accessibility_label)
    # The cached dict is shared: copy the two levels a caller could change.
    return {**found, "text": dict(found["text"]), "value": value}


@cache
def _actions(block_id: str) -> dict[str, Any]:
    return ActionsBlock(
        block_id=block_id, elements=[ButtonElement(text="-", action_id="-", value=_VALUE)]
    ).to_dict()


def actions(*, block_id: str, elements: list[dict[str, Any]]) -> dict[str, Any]:
    """An actions block of ``elements`` (already-built element dicts)."""
    block = {k: v for k, v in _actions(block_id).items() if k != "elements"}
    return {**block, "elements": elements}


@cache
def _static_context(text: str) -> dict[str, Any]:
    return ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()


def static_context(text: str) -> dict[str, Any]:
    """A context block with one fixed mrkdwn line (a constant: it is cached by text)."""
    block = _static_context(text)
    return {**block, "elements": [dict(e) for e in block["elements"]]}


SECTION_TEXT_LIMIT = 3000  # Slack's limit, which SectionBlock would enforce


def section(text: str, *, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    """A section with mrkdwn ``text`` (already escaped) and an optional accessory dict."""
    if not text or len(text) > SECTION_TEXT_LIMIT:
        raise ValueError(f"section text must be 1..{SECTION_TEXT_LIMIT} characters")
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context(text: str) -> dict[str, Any]:
    """A context block with one mrkdwn line (already escaped)."""
    if not text or len(text) > SECTION_TEXT_LIMIT:
        raise ValueError(f"context text must be 1..{SECTION_TEXT_LIMIT} characters")
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
