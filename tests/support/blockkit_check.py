"""Block Kit as Slack checks it: slack_sdk's model validation plus Slack's documented limits.

slack_sdk validates each block and view against Slack's published limits (lengths, counts,
required fields). On top, the limits it does not check: at most 50 blocks in a message,
a button value that still fits in 2,000 characters as it sits in the JSON body (quotes and
backslashes escaped), and plain_text that never carries HTML entities (Slack shows `&amp;`
literally there: only mrkdwn is unescaped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50
BUTTON_VALUE = 2000
_ENTITY = re.compile(r"&(amp|lt|gt);")


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


def _extra_limits(node: Any) -> list[str]:
    problems: list[str] = []
    for path, item in _walk(node):
        if item.get("type") == "plain_text" and _ENTITY.search(str(item.get("text", ""))):
            problems.append(f"{path}: plain_text shows an HTML entity: {item['text'][:80]!r}")
        if item.get("type") == "button" and isinstance(item.get("value"), str):
            encoded = len(json.dumps(item["value"], ensure_ascii=False)) - 2
            if encoded > BUTTON_VALUE:
                problems.append(f"{path}: button value is {encoded} characters once encoded")
    return problems


def block_problems(blocks: list[dict[str, Any]], *, in_message: bool = True) -> list[str]:
    """Everything Slack would refuse (or show wrongly) in a list of blocks."""
    problems: list[str] = []
    if in_message and len(blocks) > MESSAGE_BLOCKS:
        problems.append(f"{len(blocks)} blocks in a message (Slack allows {MESSAGE_BLOCKS})")
    for index, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                problems.append(f"[{index}]: unknown block type {raw.get('type')!r}")
                continue
            block.validate_json()
        except Exception as error:  # slack_sdk raises several kinds; all mean "refused"
            problems.append(f"[{index}] {raw.get('type')}: {error}")
    return problems + _extra_limits(blocks)


def view_problems(view: dict[str, Any]) -> list[str]:
    """Everything Slack would refuse (or show wrongly) in a modal or Home view."""
    problems = block_problems(view.get("blocks") or [], in_message=False)
    try:
        View(**view).validate_json()
    except Exception as error:  # as above
        problems.append(f"view: {error}")
    return problems + _extra_limits({k: v for k, v in view.items() if k != "blocks"})


def failing_views(views: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The problems of each named view that has any (empty when every view passes)."""
    return {name: found for name, view in views.items() if (found := view_problems(view))}


def failing_messages(messages: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """The problems of each named message's blocks, where it has any."""
    return {name: found for name, blocks in messages.items() if (found := block_problems(blocks))}


def payload_problems(method: str, args: dict[str, Any]) -> list[str]:
    """Problems in one Web API call's (or response_url post's) Block Kit, if it has any."""
    if isinstance(args.get("view"), dict):
        return view_problems(args["view"])
    blocks = args.get("blocks")
    if isinstance(blocks, list):
        return block_problems(blocks)
    return []
