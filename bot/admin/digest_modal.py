"""The "Add digest channel" modal, pushed over the `/cx admin` window, in the admin's
language (``t``)."""

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

from bot.core import ids
from bot.core.i18n import DEFAULT_LANGUAGE, ENGLISH, SUPPORTED, Translator, native_name
from bot.core.modals import modal
from bot.core.text import truncate
from bot.digest.views import scope_name

# The scope option meaning "no one team" (option values are otherwise team ids).
WHOLE_WORKSPACE_OPTION = "workspace"


def build_digest_channel_view(
    *,
    teams: Sequence[tuple[int, str]],
    timezone: str,
    parent_view_id: str,
    language: str = DEFAULT_LANGUAGE,
    t: Translator = ENGLISH,
) -> dict[str, Any]:
    """The "Add digest channel" modal, worded in ``t``.

    The language menu starts on the workspace's ``language``; each language is named in its
    own words, so whoever reads the digest can find theirs.
    """
    whole = Option(value=WHOLE_WORKSPACE_OPTION, text=t.gettext("The whole workspace"))
    # The synced whole-workspace team ("Everyone") is named in the reader's language.
    named = [(i, truncate(scope_name(name, t), 75)) for i, name in teams[:99]]
    scopes = [whole, *(Option(value=str(i), text=name) for i, name in named)]
    days = [Option(value=str(i), text=t.weekday(i)) for i in range(7)]
    languages = [Option(value=code, text=native_name(code)) for code in SUPPORTED]
    default = next((o for o in languages if o.value == language), languages[0])
    channels = ConversationFilter(include=["public", "private"], exclude_bot_users=True)
    return modal(
        ids.ADMIN_DIGEST_VIEW,
        t.gettext("Add digest channel"),
        submit=t.gettext("Add"),
        close=t.gettext("Back"),
        private_metadata=parent_view_id,
        blocks=[
            InputBlock(
                block_id=ids.DIGEST_CHANNEL,
                label=t.gettext("Channel"),
                element=ConversationSelectElement(
                    action_id=ids.DIGEST_CHANNEL,
                    placeholder=t.gettext("Pick a channel"),
                    filter=channels,
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_SCOPE,
                label=t.gettext("Covers"),
                element=StaticSelectElement(
                    action_id=ids.DIGEST_SCOPE, options=scopes, initial_option=whole
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_WEEKDAY,
                label=t.gettext("Day"),
                element=StaticSelectElement(
                    action_id=ids.DIGEST_WEEKDAY, options=days, initial_option=days[0]
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_TIME,
                label=t.gettext("Local time"),
                element=TimePickerElement(action_id=ids.DIGEST_TIME, initial_time="09:00"),
            ),
            InputBlock(
                block_id=ids.DIGEST_TIMEZONE,
                label=t.gettext("Time zone"),
                hint=t.gettext("A tz database name, e.g. Europe/London"),
                element=PlainTextInputElement(
                    action_id=ids.DIGEST_TIMEZONE, initial_value=timezone, max_length=64
                ),
            ),
            InputBlock(
                block_id=ids.DIGEST_LANGUAGE,
                label=t.gettext("Language"),
                hint=t.gettext(
                    "The digest, its chart and the chart's description are written in it."
                ),
                element=StaticSelectElement(
                    action_id=ids.DIGEST_LANGUAGE, options=languages, initial_option=default
                ),
            ),
        ],
    )
