"""Block Kit checks and the ids Slack fills in when an app leaves them out."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

# Checks one `slack_file` object: None when it is fine, else what is wrong.
FileCheck = Callable[[dict[str, Any]], "str | None"]

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
_SECTION_TEXT_LIMIT = 3000
_HEADER_TEXT_LIMIT = 150
_BUTTON_TEXT_LIMIT = 75
_ACTION_ID_LIMIT = 255
_ALT_TEXT_LIMIT = 2000
_IMAGE_URL_LIMIT = 3000
_ACCESSIBILITY_LABEL_LIMIT = 75
_KNOWN_BLOCKS = {
    "actions",
    "context",
    "divider",
    "file",
    "header",
    "image",
    "input",
    "rich_text",
    "section",
    "video",
    "markdown",
}


def elements_of(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield a block's interactive elements (actions' elements, accessory, input element)."""
    candidates: list[Any] = []
    if block.get("type") == "actions":
        candidates.extend(block.get("elements") or [])
    candidates.append(block.get("accessory"))
    candidates.append(block.get("element"))
    for element in candidates:
        if isinstance(element, dict) and element.get("type") not in (None, "image"):
            yield element


def _random_id() -> str:
    # Slack generates short random ids like "a1Bc"; any unique token works for the app.
    return secrets.token_urlsafe(4)


def fill_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every block a block_id and every element an action_id, as Slack does."""
    for block in blocks:
        block.setdefault("block_id", _random_id())
        for element in elements_of(block):
            element.setdefault("action_id", _random_id())
    return blocks


def _text(value: Any) -> str:
    """Return the string inside a text object (or "" if there is none)."""
    if isinstance(value, dict):
        return str(value.get("text", ""))
    return ""


def _image_errors(block: dict[str, Any], where: str, check_file: FileCheck | None) -> list[str]:
    """An image block: alt text, and exactly one source (a public URL or a Slack file)."""
    errors: list[str] = []
    alt = block.get("alt_text")
    if not isinstance(alt, str) or not alt:
        errors.append(f"[ERROR] missing required field: alt_text {where}")
    elif len(alt) > _ALT_TEXT_LIMIT:
        errors.append(f"[ERROR] must be less than {_ALT_TEXT_LIMIT + 1} characters {where}")
    url, ref = block.get("image_url"), block.get("slack_file")
    if (url is None) == (ref is None):
        errors.append(f"[ERROR] must provide exactly one of image_url or slack_file {where}")
    elif url is not None and (not isinstance(url, str) or len(url) > _IMAGE_URL_LIMIT):
        errors.append(f"[ERROR] invalid image_url {where}")
    elif ref is not None:
        problem = "must be an object" if not isinstance(ref, dict) else None
        if problem is None and check_file is not None:
            problem = check_file(ref)
        if problem:
            errors.append(f"[ERROR] {problem} {where}")
    return errors


def validate_blocks(blocks: Any, limit: int, *, check_file: FileCheck | None = None) -> list[str]:
    """Return Slack-style `[ERROR]` messages for blocks Slack would reject.

    ``check_file`` looks up the `slack_file` an image block names (None: not checked).
    """
    if not isinstance(blocks, list):
        return ["[ERROR] expected an array of blocks"]
    errors: list[str] = []
    if len(blocks) > limit:
        errors.append(f"[ERROR] no more than {limit} items allowed [json-pointer:/blocks]")
    seen_blocks: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"[json-pointer:/blocks/{i}]"
        if not isinstance(block, dict) or block.get("type") not in _KNOWN_BLOCKS:
            errors.append(f"[ERROR] unsupported type {where}")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in seen_blocks:
                errors.append(f"[ERROR] duplicate block_id {block_id!r} {where}")
            seen_blocks.add(block_id)
        kind = block["type"]
        if kind == "section" and len(_text(block.get("text"))) > _SECTION_TEXT_LIMIT:
            errors.append(f"[ERROR] must be less than {_SECTION_TEXT_LIMIT + 1} characters {where}")
        if kind == "header" and len(_text(block.get("text"))) > _HEADER_TEXT_LIMIT:
            errors.append(f"[ERROR] must be less than {_HEADER_TEXT_LIMIT + 1} characters {where}")
        if kind == "image":
            errors += _image_errors(block, where, check_file)
        if kind == "input" and not isinstance(block.get("element"), dict):
            errors.append(f"[ERROR] missing required field: element {where}")
        seen_actions: set[str] = set()
        for element in elements_of(block):
            action_id = element.get("action_id")
            if isinstance(action_id, str):
                if action_id in seen_actions:
                    errors.append(f"[ERROR] duplicate action_id {action_id!r} {where}")
                if len(action_id) > _ACTION_ID_LIMIT:
                    errors.append(f"[ERROR] action_id too long {where}")
                seen_actions.add(action_id)
            too_long = len(_text(element.get("text"))) > _BUTTON_TEXT_LIMIT
            if element.get("type") == "button" and too_long:
                errors.append(f"[ERROR] button text too long {where}")
            label = element.get("accessibility_label")
            if label is not None and not 0 < len(str(label)) <= _ACCESSIBILITY_LABEL_LIMIT:
                errors.append(
                    f"[ERROR] accessibility_label must be 1 to {_ACCESSIBILITY_LABEL_LIMIT} "
                    f"characters {where}"
                )
    return errors
