"""Block Kit for `/cx admin`: the settings window (its inputs are in bot/admin/fields.py), its
digest channels, and what it turns into once saved; all in the admin's language (``t``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)
from sqlalchemy.orm import Session

from bot.admin.digest_channels import digest_channel_rows, workspace_teams
from bot.admin.fields import UserGroup, language_block, schedule_blocks, settings_blocks
from bot.core import ids
from bot.core.i18n import ENGLISH, N_, Translator, native_name
from bot.core.modals import modal, text_modal
from bot.core.text import escape
from bot.digest.views import scope_name
from bot.outcomes.views import admin_outcome_blocks
from bot.outcomes.web import secret_made_at
from bot.pulse.views import admin_test_pulse_blocks
from bot.workspace.config import DIGEST_MANAGED_KEY, WorkspaceConfig, stored_settings
from models import Workspace

__all__ = ["DigestRow", "UserGroup", "admin_window", "build_admin_saved_view", "build_admin_view"]

TITLE = N_("CX Pulse settings")
WHOLE_WORKSPACE = N_("Whole workspace")


@dataclass(frozen=True)
class DigestRow:
    """A stored digest channel as the modal lists it (``id`` None: from the environment)."""

    id: int | None
    channel: str
    scope: str  # a team's name, or "Whole workspace", in the reader's words
    weekday: int
    local_time: str
    timezone: str
    language: str | None = None  # None: the workspace's language


def digest_rows(
    session: Session, workspace: Workspace, config: WorkspaceConfig, *, managed: bool, t: Translator
) -> list[DigestRow]:
    """The digest channels in force: stored ones once an admin managed them, else the
    environment's (which cannot be removed here)."""
    whole = t.gettext(WHOLE_WORKSPACE)
    if not managed:
        return [
            DigestRow(
                None,
                d.channel,
                d.team or whole,
                d.weekday,
                d.local_time.strftime("%H:%M"),
                d.timezone,
            )
            for d in config.digest_channels
        ]
    teams = {
        team.id: scope_name(team.name, t) for team in workspace_teams(session, workspace=workspace)
    }
    return [
        DigestRow(
            r.id,
            r.channel_id,
            teams.get(r.team_id or 0, whole),
            r.weekday,
            r.local_time.strftime("%H:%M"),
            r.timezone,
            r.language,
        )
        for r in digest_channel_rows(session, workspace=workspace)
    ]


def _channel_ref(channel: str) -> str:
    return f"<#{channel}>" if channel[:1] in ("C", "G") and channel.isalnum() else escape(channel)


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _digest_blocks(rows: Sequence[DigestRow], managed: bool, t: Translator) -> list[Any]:
    heading = t.gettext("*Weekly digest channels* (saved as soon as you add or remove one)")
    blocks: list[Any] = [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=heading))]
    for row in rows:
        line = (
            f"{_channel_ref(row.channel)} · {escape(row.scope)} · "
            f"{t.weekday(row.weekday)} {row.local_time} {escape(row.timezone)}"
        )
        if row.language:
            line += f" · {native_name(row.language)}"
        remove = None
        if row.id is not None:
            remove = ButtonElement(
                action_id=ids.ADMIN_DIGEST_REMOVE, text=t.gettext("Remove"), value=str(row.id)
            )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=remove))
    if not rows:
        blocks.append(_context(t.gettext("No digest channels yet.")))
    elif not managed:
        blocks.append(
            _context(t.gettext("These come from the environment; adding one here replaces them."))
        )
    add = ButtonElement(action_id=ids.ADMIN_DIGEST_ADD, text=t.gettext("Add digest channel"))
    blocks.append(ActionsBlock(elements=[add]))
    return blocks


def build_admin_view(
    config: WorkspaceConfig,
    *,
    groups: Sequence[UserGroup],
    digests: Sequence[DigestRow],
    digests_managed: bool,
    t: Translator = ENGLISH,
) -> dict[str, Any]:
    """The settings modal, filled in with the settings in force."""
    blocks = [
        *settings_blocks(config, groups, t),
        *schedule_blocks(config, t),
        language_block(config, t),
        *_digest_blocks(digests, digests_managed, t),
    ]
    return modal(
        ids.ADMIN_VIEW,
        t.gettext(TITLE),
        blocks,
        submit=t.gettext("Save"),
        close=t.gettext("Cancel"),
    )


def admin_window(
    session: Session,
    *,
    workspace: Workspace,
    config: WorkspaceConfig,
    groups: Sequence[UserGroup],
    t: Translator,
) -> dict[str, Any]:
    """The whole `/cx admin` window as stored now: the test pulse row first (day one, an
    admin can see the pulse before staff do), the settings, then the help-desk webhook."""
    managed = bool(stored_settings(session, workspace=workspace).get(DIGEST_MANAGED_KEY))
    digests = digest_rows(session, workspace, config, managed=managed, t=t)
    made_at = secret_made_at(session, workspace_id=workspace.id)
    view = build_admin_view(config, groups=groups, digests=digests, digests_managed=managed, t=t)
    view["blocks"][0:0] = admin_test_pulse_blocks(t)
    view["blocks"].extend(admin_outcome_blocks(made_at=made_at, t=t))
    return view


def build_admin_saved_view(t: Translator = ENGLISH) -> dict[str, Any]:
    """What the modal turns into once saved."""
    return text_modal(
        t.gettext(TITLE),
        t.gettext(
            ":white_check_mark: Saved. The new settings apply from the next scheduled run; "
            "`/cx admin` shows them again."
        ),
        callback_id=ids.ADMIN_SAVED_VIEW,
        close=t.gettext("Done"),
    )
