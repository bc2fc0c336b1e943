"""Block Kit for the "Add digest channel" modal, pushed over the `/cx admin` modal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    TimePickerElement,
)

from bot.admin.settings import WEEKDAY_NAMES
from bot.core import ids
from bot.core.modals import modal
from bot.core.text import truncate

WHOLE_WORKSPACE = "workspace"


def build_digest_channel_view(
    *, teams: Sequence[tuple[int, str]], timezone: str, parent_view_id: str
) -> dict[str, Any]:
    """The "Add digest channel" modal, pushed over the settings modal."""
    whole = Option(value=WHOLE_WORKSPACE, text="The whole workspace")
    scopes = [whole, *(Option(value=str(i), text=truncate(n, 75)) for i, n in teams[:99])]
    days = [Option(value=str(i), text=name) for i, name in enumerate(WEEKDAY_NAMES)]
    return modal(
        ids.ADMIN_DIGEST_VIEW,
        "Add digest channel",
        submit="Add",
        close="Back",
        private_metadata=parent_view_id,
        blocks=[
            InputBlock(
                block_id=ids.DIGEST_CHANNEL,
                label="Channel",
                element=ConversationSelectElement(
                    action_id=ids.DIGEST_CHANNEL,
                    placeholder="Pick a channel",
                    filter=ConversationFilter(
                        include=["public", "private"], exclude_bot_users=True
                    ),
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_SCOPE,
                label="Covers",
                element=StaticSelectElement(
                    action_id=ids.DIGEST_SCOPE, options=scopes, initial_option=whole
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_WEEKDAY,
                label="Day",
                element=StaticSelectElement(
                    action_id=ids.DIGEST_WEEKDAY, options=days, initial_option=days[0]
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_TIME,
                label="Local time",
                element=TimePickerElement(action_id=ids.DIGEST_TIME, initial_time="09:00"),
            ),
            InputBlock(
                block_id=ids.DIGEST_TIMEZONE,
                label="Time zone",
                hint="A tz database name, e.g. Europe/London",
                element=PlainTextInputElement(
                    action_id=ids.DIGEST_TIMEZONE, initial_value=timezone, max_length=64
                ),
            ),
        ],
    )
