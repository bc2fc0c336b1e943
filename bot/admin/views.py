"""Block Kit for `/cx admin`: the settings modal and the "Add digest channel" modal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)

from bot.admin.store import WEEKDAY_NAMES
from bot.config import MIN_ANONYMITY_THRESHOLD
from bot.core import ids
from bot.core.i18n import SUPPORTED, native_name
from bot.core.modals import modal, text_modal
from bot.core.text import escape, truncate
from bot.workspace.config import WorkspaceConfig
from bot.workspace.roles import EVERYONE

TOGGLES = (("second_question", "Rotating second question"), ("enps", "eNPS (at most monthly)"))


@dataclass(frozen=True)
class UserGroup:
    """A Slack user group as the modal offers it."""

    id: str
    handle: str
    name: str


@dataclass(frozen=True)
class DigestRow:
    """A stored digest channel as the modal lists it (``id`` None: from the environment)."""

    id: int | None
    channel: str
    scope: str
    weekday: int
    local_time: str
    timezone: str
    language: str | None = None  # None: the workspace's language


def _channel_ref(channel: str) -> str:
    return f"<#{channel}>" if channel[:1] in ("C", "G") and channel.isalnum() else escape(channel)


def _group_option(group: UserGroup) -> Option:
    return Option(value=group.id, text=truncate(f"{group.name} (@{group.handle})", 75))


def _group_input(
    block_id: str, label: str, hint: str, groups: Sequence[UserGroup], chosen: Sequence[str]
) -> InputBlock:
    by_key = {g.id: g for g in groups} | {f"@{g.handle}": g for g in groups}
    by_key |= {g.handle: g for g in groups}
    initial = [_group_option(by_key[c]) for c in chosen if c in by_key]
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=hint,
        optional=True,
        element=StaticMultiSelectElement(
            action_id=block_id,
            placeholder="Choose user groups",
            options=[_group_option(g) for g in groups[:100]],
            initial_options=initial or None,
        ),
    )


def _settings_blocks(config: WorkspaceConfig, groups: Sequence[UserGroup]) -> list[Any]:
    channel = config.celebrations_channel
    channel_is_id = channel is not None and channel[:1] in ("C", "G") and channel.isalnum()
    lead_users = [e for e in config.leads if e[:1] in ("U", "W")]
    everyone = Option(value=EVERYONE, text="Everyone is a lead")
    blocks: list[Any] = [
        InputBlock(
            block_id=ids.ADMIN_CELEBRATIONS,
            label="Celebrations channel",
            hint="Where celebrations are posted. Invite the app to private channels."
            + ("" if channel_is_id or not channel else f" Now: {channel} (environment)."),
            optional=True,
            element=ConversationSelectElement(
                action_id=ids.ADMIN_CELEBRATIONS,
                placeholder="Pick a channel",
                initial_conversation=channel if channel_is_id else None,
                filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_LEAD_USERS,
            label="Leads (people)",
            hint="Leads celebrate wins, see team aggregates and reply to anonymous notes.",
            optional=True,
            element=UserMultiSelectElement(
                action_id=ids.ADMIN_LEAD_USERS,
                placeholder="Choose people",
                initial_users=lead_users or None,
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_LEADS_EVERYONE,
            label="Leads (everyone)",
            hint="Anyone may celebrate and see team aggregates (never an individual's answer).",
            optional=True,
            element=CheckboxesElement(
                action_id=ids.ADMIN_LEADS_EVERYONE,
                options=[everyone],
                initial_options=[everyone]
                if EVERYONE in {e.lower() for e in config.leads}
                else None,
            ),
        ),
    ]
    if groups:
        blocks.append(
            _group_input(
                ids.ADMIN_LEAD_GROUPS,
                "Leads (user groups)",
                "Everyone in these groups is a lead.",
                groups,
                [e for e in config.leads if e[:1] not in ("U", "W") and e.lower() != EVERYONE],
            )
        )
        blocks.append(
            _group_input(
                ids.ADMIN_TEAM_GROUPS,
                "Teams (user groups)",
                "Each group is a team; the hourly directory sync keeps membership current. "
                "None: the whole workspace is one team.",
                groups,
                config.team_groups,
            )
        )
    else:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="No Slack user groups here yet: create some to use groups as "
                        "teams or leads."
                    )
                ]
            )
        )
    return blocks


def _language_block(config: WorkspaceConfig) -> InputBlock:
    options = [Option(value=code, text=native_name(code)) for code in SUPPORTED]
    return InputBlock(
        block_id=ids.ADMIN_LANGUAGE,
        label="Workspace language",
        hint="Channel posts (celebrations, and digests unless set per channel) are written in "
        "it. Each person gets DMs in their own language.",
        element=StaticSelectElement(
            action_id=ids.ADMIN_LANGUAGE,
            options=options,
            initial_option=next((o for o in options if o.value == config.language), options[0]),
        ),
    )


def _schedule_blocks(config: WorkspaceConfig) -> list[Any]:
    day_options = [Option(value=str(i), text=name) for i, name in enumerate(WEEKDAY_NAMES)]
    toggles = [Option(value=v, text=t) for v, t in TOGGLES]
    enabled = {"second_question": config.second_question_enabled, "enps": config.enps_enabled}
    on = [o for o in toggles if enabled[str(o.value)]]
    return [
        InputBlock(
            block_id=ids.ADMIN_PULSE_TIME,
            label="Default pulse time",
            hint="Each person's local time; people can pick their own.",
            element=TimePickerElement(
                action_id=ids.ADMIN_PULSE_TIME, initial_time=config.pulse_time.strftime("%H:%M")
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_WORKING_DAYS,
            label="Working days",
            element=CheckboxesElement(
                action_id=ids.ADMIN_WORKING_DAYS,
                options=day_options,
                initial_options=[day_options[d] for d in config.working_days] or None,
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_THRESHOLD,
            label="Anonymity threshold",
            hint=f"Minimum distinct respondents before any aggregate or note is shown "
            f"(never below {MIN_ANONYMITY_THRESHOLD}).",
            element=NumberInputElement(
                action_id=ids.ADMIN_THRESHOLD,
                is_decimal_allowed=False,
                initial_value=str(config.anonymity_threshold),
                min_value=str(MIN_ANONYMITY_THRESHOLD),
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_VALUES,
            label="Company values",
            hint="Tagged on celebrations, e.g. #customerfirst #ownership",
            element=PlainTextInputElement(
                action_id=ids.ADMIN_VALUES,
                initial_value=" ".join(f"#{v}" for v in config.company_values),
                max_length=1000,
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_HOLIDAYS,
            label="Holidays",
            hint="No pulses or reminders on these dates (each person's local day); "
            "streaks carry on over them. E.g. 2026-12-25, 2026-12-26",
            optional=True,
            element=PlainTextInputElement(
                action_id=ids.ADMIN_HOLIDAYS,
                initial_value=", ".join(d.isoformat() for d in config.holidays) or None,
                placeholder="2026-12-25, 2026-12-26",
                max_length=2000,
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_TOGGLES,
            label="Pulse questions",
            optional=True,
            element=CheckboxesElement(
                action_id=ids.ADMIN_TOGGLES, options=toggles, initial_options=on or None
            ),
        ),
    ]


def _digest_blocks(rows: Sequence[DigestRow], managed: bool) -> list[Any]:
    blocks: list[Any] = [
        DividerBlock(),
        SectionBlock(
            text=MarkdownTextObject(
                text="*Weekly digest channels* (saved as soon as you add or remove one)"
            )
        ),
    ]
    for row in rows:
        line = (
            f"{_channel_ref(row.channel)} · {escape(row.scope)} · "
            f"{WEEKDAY_NAMES[row.weekday]} {row.local_time} {escape(row.timezone)}"
        )
        if row.language:
            line += f" · {native_name(row.language)}"
        remove = None
        if row.id is not None:
            remove = ButtonElement(
                action_id=ids.ADMIN_DIGEST_REMOVE, text="Remove", value=str(row.id)
            )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=remove))
    if not rows:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text="No digest channels yet.")]))
    elif not managed:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="These come from the environment; adding one here replaces them."
                    )
                ]
            )
        )
    blocks.append(
        ActionsBlock(
            elements=[ButtonElement(action_id=ids.ADMIN_DIGEST_ADD, text="Add digest channel")]
        )
    )
    return blocks


def build_admin_view(
    config: WorkspaceConfig,
    *,
    groups: Sequence[UserGroup],
    digests: Sequence[DigestRow],
    digests_managed: bool,
) -> dict[str, Any]:
    """The settings modal, filled in with the settings in force."""
    blocks = [
        *_settings_blocks(config, groups),
        *_schedule_blocks(config),
        _language_block(config),
        *_digest_blocks(digests, digests_managed),
    ]
    return modal(ids.ADMIN_VIEW, "CX Pulse settings", blocks, submit="Save", close="Cancel")


def build_admin_saved_view() -> dict[str, Any]:
    """What the modal turns into once saved."""
    return text_modal(
        "CX Pulse settings",
        ":white_check_mark: Saved. The new settings apply from the next scheduled run; "
        "`/cx admin` shows them again.",
        callback_id=ids.ADMIN_SAVED_VIEW,
    )
