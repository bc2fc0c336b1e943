"""Block Kit pieces that several features build alike (slack_sdk models, validated)."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
)

from bot.core.i18n import Translator


def button_row(text: str, *, action_id: str, value: str, style: str | None = None) -> ActionsBlock:
    """An actions block with one button (``style``: "primary", "danger" or None)."""
    button = ButtonElement(text=text, action_id=action_id, value=value, style=style)
    return ActionsBlock(elements=[button])


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
