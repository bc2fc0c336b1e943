"""The `/cx admin` window's input blocks (leads, teams, schedule, values, language), filled in
with the settings in force and worded in the admin's language (``t``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)

from bot.config import MIN_ANONYMITY_THRESHOLD
from bot.core import ids
from bot.core.blocks import working_days_input
from bot.core.i18n import N_, SUPPORTED, Translator, native_name
from bot.core.text import truncate
from bot.workspace.config import WorkspaceConfig
from bot.workspace.roles import EVERYONE

TOGGLES = (
    ("second_question", N_("Rotating second question")),
    ("enps", N_("eNPS (at most monthly)")),
)


@dataclass(frozen=True)
class UserGroup:
    """A Slack user group as the modal offers it."""

    id: str
    handle: str
    name: str


def _group_option(group: UserGroup) -> Option:
    return Option(value=group.id, text=truncate(f"{group.name} (@{group.handle})", 75))


def _group_input(
    block_id: str,
    label: str,
    hint: str,
    groups: Sequence[UserGroup],
    chosen: Sequence[str],
    t: Translator,
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
            placeholder=t.gettext("Choose user groups"),
            options=[_group_option(g) for g in groups[:100]],
            initial_options=initial or None,
        ),
    )


def _celebrations_block(config: WorkspaceConfig, t: Translator) -> InputBlock:
    channel = config.celebrations_channel
    channel_is_id = channel is not None and channel[:1] in ("C", "G") and channel.isalnum()
    hint = t.gettext("Where celebrations are posted. Invite the app to private channels.")
    if channel and not channel_is_id:
        hint += " " + t.gettext("Now: %(channel)s (environment).", channel=channel)
    return InputBlock(
        block_id=ids.ADMIN_CELEBRATIONS,
        label=t.gettext("Celebrations channel"),
        hint=hint,
        optional=True,
        element=ConversationSelectElement(
            action_id=ids.ADMIN_CELEBRATIONS,
            placeholder=t.gettext("Pick a channel"),
            initial_conversation=channel if channel_is_id else None,
            filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
        ),
    )


def settings_blocks(
    config: WorkspaceConfig, groups: Sequence[UserGroup], t: Translator
) -> list[Any]:
    """The celebrations channel, the leads (people, everyone, user groups) and the teams."""
    lead_users = [e for e in config.leads if e[:1] in ("U", "W")]
    everyone = Option(value=EVERYONE, text=t.gettext("Everyone is a lead"))
    blocks: list[Any] = [
        _celebrations_block(config, t),
        InputBlock(
            block_id=ids.ADMIN_LEAD_USERS,
            label=t.gettext("Leads (people)"),
            hint=t.gettext(
                "Leads celebrate wins, see team aggregates and reply to anonymous notes."
            ),
            optional=True,
            element=UserMultiSelectElement(
                action_id=ids.ADMIN_LEAD_USERS,
                placeholder=t.gettext("Choose people"),
                initial_users=lead_users or None,
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_LEADS_EVERYONE,
            label=t.gettext("Leads (everyone)"),
            hint=t.gettext(
                "Anyone may celebrate and see team aggregates (never an individual's answer)."
            ),
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
    if not groups:
        text = t.gettext(
            "No Slack user groups here yet: create some to use groups as teams or leads."
        )
        return [*blocks, ContextBlock(elements=[MarkdownTextObject(text=text)])]
    lead_groups = [e for e in config.leads if e[:1] not in ("U", "W") and e.lower() != EVERYONE]
    return [
        *blocks,
        _group_input(
            ids.ADMIN_LEAD_GROUPS,
            t.gettext("Leads (user groups)"),
            t.gettext("Everyone in these groups is a lead."),
            groups,
            lead_groups,
            t,
        ),
        _group_input(
            ids.ADMIN_TEAM_GROUPS,
            t.gettext("Teams (user groups)"),
            t.gettext(
                "Each group is a team; the hourly directory sync keeps membership current. "
                "None: the whole workspace is one team."
            ),
            groups,
            config.team_groups,
            t,
        ),
    ]


def language_block(config: WorkspaceConfig, t: Translator) -> InputBlock:
    """The workspace's language: each language named in its own words."""
    options = [Option(value=code, text=native_name(code)) for code in SUPPORTED]
    return InputBlock(
        block_id=ids.ADMIN_LANGUAGE,
        label=t.gettext("Workspace language"),
        hint=t.gettext(
            "Channel posts (celebrations, and digests unless set per channel) are written in "
            "it. Each person gets DMs in their own language."
        ),
        element=StaticSelectElement(
            action_id=ids.ADMIN_LANGUAGE,
            options=options,
            initial_option=next((o for o in options if o.value == config.language), options[0]),
        ),
    )


def schedule_blocks(config: WorkspaceConfig, t: Translator) -> list[Any]:
    """Pulse time, working days, anonymity threshold, values, holidays, pulse questions."""
    toggles = [Option(value=v, text=t.gettext(label)) for v, label in TOGGLES]
    enabled = {"second_question": config.second_question_enabled, "enps": config.enps_enabled}
    on = [o for o in toggles if enabled[str(o.value)]]
    minimum = t.number(MIN_ANONYMITY_THRESHOLD)
    return [
        InputBlock(
            block_id=ids.ADMIN_PULSE_TIME,
            label=t.gettext("Default pulse time"),
            hint=t.gettext("Each person's local time; people can pick their own."),
            element=TimePickerElement(
                action_id=ids.ADMIN_PULSE_TIME, initial_time=config.pulse_time.strftime("%H:%M")
            ),
        ),
        working_days_input(
            t,
            block_id=ids.ADMIN_WORKING_DAYS,
            action_id=ids.ADMIN_WORKING_DAYS,
            chosen=config.working_days,
        ),
        InputBlock(
            block_id=ids.ADMIN_THRESHOLD,
            label=t.gettext("Anonymity threshold"),
            hint=t.gettext(
                "Minimum distinct respondents before any aggregate or note is shown "
                "(never below %(minimum)s).",
                minimum=minimum,
            ),
            element=NumberInputElement(
                action_id=ids.ADMIN_THRESHOLD,
                is_decimal_allowed=False,
                initial_value=str(config.anonymity_threshold),
                min_value=str(MIN_ANONYMITY_THRESHOLD),
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_VALUES,
            label=t.gettext("Company values"),
            hint=t.gettext("Tagged on celebrations, e.g. #customerfirst #ownership"),
            element=PlainTextInputElement(
                action_id=ids.ADMIN_VALUES,
                initial_value=" ".join(f"#{v}" for v in config.company_values),
                max_length=1000,
            ),
        ),
        InputBlock(
            block_id=ids.ADMIN_HOLIDAYS,
            label=t.gettext("Holidays"),
            hint=t.gettext(
                "No pulses or reminders on these dates (each person's local day); "
                "streaks carry on over them. E.g. 2026-12-25, 2026-12-26"
            ),
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
            label=t.gettext("Pulse questions"),
            optional=True,
            element=CheckboxesElement(
                action_id=ids.ADMIN_TOGGLES, options=toggles, initial_options=on or None
            ),
        ),
    ]
