"""Modal views: the frame every modal shares, and the one that only says something."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View


def modal(
    callback_id: str | None, title: str, blocks: Sequence[Block], **extra: Any
) -> dict[str, Any]:
    """A modal with ``blocks`` (``extra``: submit, close, private_metadata), validated."""
    return View(
        type="modal", callback_id=callback_id, title=title, blocks=list(blocks), **extra
    ).to_dict()


def text_modal(
    title: str, text: str, *, callback_id: str | None = None, close: str = "Done"
) -> dict[str, Any]:
    """A modal that only says ``text`` (mrkdwn): what a form turns into once it is done."""
    return modal(
        callback_id, title, [SectionBlock(text=MarkdownTextObject(text=text))], close=close
    )
