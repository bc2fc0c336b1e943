"""`/cx admin`: the per-workspace settings modal, for admins and owners only."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.admin import digest_channels as channels
from bot.admin import store as svc
from bot.admin import views
from bot.admin.digest_modal import WHOLE_WORKSPACE_OPTION, build_digest_channel_view
from bot.admin.fields import UserGroup
from bot.core import ids
from bot.core.context import RequestContext
from bot.core.router import CommandCall
from bot.core.view_state import admin_form, digest_form
from bot.workspace import roles

logger = logging.getLogger(__name__)


def _user_groups(client: WebClient) -> list[UserGroup]:
    try:
        listing = client.usergroups_list().get("usergroups") or []
    except SlackApiError as exc:  # e.g. a free workspace without user groups
        logger.info("usergroups.list unavailable: %s", exc.response.get("error"))
        return []
    return [UserGroup(g["id"], g.get("handle", ""), g.get("name", "")) for g in listing]


def admin_view(cx: RequestContext) -> dict[str, Any]:
    """The settings modal for the workspace as stored now, in the admin's language."""
    groups = _user_groups(cx.client)
    with cx.runtime.transaction() as session:
        ws = cx.workspace(session)
        return views.admin_window(
            session, workspace=ws, config=cx.config, groups=groups, t=cx.translator
        )


def handle_admin_command(call: CommandCall) -> None:
    """`/cx admin` (admins only): open the settings modal."""
    call.ack()
    call.client.views_open(trigger_id=call.trigger_id, view=admin_view(call.cx))


_FORM_BLOCKS = {
    "celebrations_channel": ids.ADMIN_CELEBRATIONS,
    "team_groups": ids.ADMIN_TEAM_GROUPS,
    "pulse_time": ids.ADMIN_PULSE_TIME,
    "working_days": ids.ADMIN_WORKING_DAYS,
    "anonymity_threshold": ids.ADMIN_THRESHOLD,
    "company_values": ids.ADMIN_VALUES,
    "holidays": ids.ADMIN_HOLIDAYS,
    "language": ids.ADMIN_LANGUAGE,
}
_DIGEST_BLOCKS = {
    "channel": ids.DIGEST_CHANNEL,
    "team": ids.DIGEST_SCOPE,
    "weekday": ids.DIGEST_WEEKDAY,
    "local_time": ids.DIGEST_TIME,
    "timezone": ids.DIGEST_TIMEZONE,
    "language": ids.DIGEST_LANGUAGE,
}


def handle_settings_submit(ack: Ack, body: dict[str, Any], cx: RequestContext) -> None:
    """Save the settings modal (admins only), or show inline errors."""
    choices, errors = svc.validate_admin_form(admin_form(body["view"]), cx.translator)
    if choices is None:
        cx.keep_open(ack, {_FORM_BLOCKS[k]: v for k, v in errors.items()})
        return
    with cx.runtime.transaction() as session:
        ws = cx.workspace(session)
        svc.save_admin_choices(session, workspace=ws, choices=choices, user_id=cx.user_id)
    roles.clear_cache()
    ack(response_action="update", view=views.build_admin_saved_view(cx.translator))


def handle_digest_add(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """ "Add digest channel" (admins only): push the digest channel modal."""
    ack()
    with cx.runtime.transaction() as session:
        ws = cx.workspace(session)
        teams = [(team.id, team.name) for team in channels.workspace_teams(session, workspace=ws)]
    view = build_digest_channel_view(
        teams=teams,
        timezone=cx.config.timezone,
        parent_view_id=body["view"]["id"],
        language=cx.config.language,
        t=cx.translator,
    )
    client.views_push(trigger_id=body["trigger_id"], view=view)


def handle_digest_submit(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """Add a digest channel (admins only; or inline errors), then refresh the settings modal."""
    with cx.runtime.transaction() as session:
        ws = cx.workspace(session)
        form = digest_form(body["view"], whole_workspace=WHOLE_WORKSPACE_OPTION)
        row, errors = channels.validate_digest_form(
            session, workspace=ws, form=form, t=cx.translator
        )
        if row is not None:
            channels.add_digest_channel(session, workspace=ws, row=row, user_id=cx.user_id)
    if row is None:
        cx.keep_open(ack, {_DIGEST_BLOCKS[k]: v for k, v in errors.items()})
        return
    ack()
    cx.config_changed()
    parent = body["view"].get("previous_view_id") or body["view"].get("private_metadata")
    client.views_update(view_id=parent, view=admin_view(cx))


def handle_digest_remove(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """Remove a digest channel (admins only), then refresh the settings modal."""
    ack()
    with cx.runtime.transaction() as session:
        ws = cx.workspace(session)
        digest_id = int(body["actions"][0]["value"])
        channels.remove_digest_channel(
            session, workspace=ws, digest_id=digest_id, user_id=cx.user_id
        )
    cx.config_changed()
    client.views_update(view_id=body["view"]["id"], view=admin_view(cx))
