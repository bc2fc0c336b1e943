"""Modal views: the frame every modal shares, the one that only says something, and the
fields more than one modal asks for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.core.i18n import Translator


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


def working_days_input(
    t: Translator,
    *,
    block_id: str,
    action_id: str,
    chosen: Iterable[int],
    optional: bool | None = None,
) -> InputBlock:
    """ "Working days": a box per weekday (0 is Monday) in ``t``'s words, ``chosen`` ticked.

    The admin modal (the workspace's days) and a person's pulse settings (their own) ask it.
    """
    days = [Option(value=str(day), text=t.weekday(day)) for day in range(7)]
    return InputBlock(
        block_id=block_id,
        label=t.gettext("Working days"),
        element=CheckboxesElement(
            action_id=action_id,
            options=days,
            initial_options=[days[day] for day in chosen] or None,
        ),
        optional=optional,
    )
