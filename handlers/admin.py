"""`/cx admin`: the per-workspace settings modal, for admins and owners only."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.admin import store as svc
from bot.admin import views
from bot.admin.store import REFUSAL, can_administer
from bot.core import ids
from bot.core.router import CommandCall
from bot.core.view_state import admin_form, digest_form
from bot.digest.views import WHOLE_WORKSPACE_OPTION, build_digest_channel_view
from bot.outcomes.views import admin_outcome_blocks
from bot.outcomes.web import secret_made_at
from bot.pulse.views import admin_test_pulse_blocks
from bot.runtime import Runtime
from bot.workspace import roles
from bot.workspace.config import (
    DIGEST_MANAGED_KEY,
    effective_config,
    stored_settings,
)
from bot.workspace.store import ensure_workspace

logger = logging.getLogger(__name__)


def team_of(body: dict[str, Any], context: BoltContext) -> str:
    """The workspace a payload came from."""
    return str(context.team_id or (body.get("team") or {}).get("id") or body.get("team_id"))


def allowed(runtime: Runtime, client: WebClient, team_id: str, user_id: str) -> bool:
    """True when ``user_id`` may change ``team_id``'s settings."""
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=team_id)
        config = effective_config(session, settings=runtime.settings, workspace=ws)
    return can_administer(client, team_id=team_id, user_id=user_id, config=config)


def _user_groups(client: WebClient) -> list[views.UserGroup]:
    try:
        listing = client.usergroups_list().get("usergroups") or []
    except SlackApiError as exc:  # e.g. a free workspace without user groups
        logger.info("usergroups.list unavailable: %s", exc.response.get("error"))
        return []
    return [views.UserGroup(g["id"], g.get("handle", ""), g.get("name", "")) for g in listing]


def _digest_rows(session: Session, runtime: Runtime, team_id: str) -> list[views.DigestRow]:
    ws = ensure_workspace(session, slack_team_id=team_id)
    teams = {t.id: t.name for t in svc.workspace_teams(session, workspace=ws)}
    if not stored_settings(session, workspace=ws).get(DIGEST_MANAGED_KEY):
        config = effective_config(session, settings=runtime.settings, workspace=ws)
        return [
            views.DigestRow(
                None,
                d.channel,
                d.team or "Whole workspace",
                d.weekday,
                d.local_time.strftime("%H:%M"),
                d.timezone,
            )
            for d in config.digest_channels
        ]
    return [
        views.DigestRow(
            r.id,
            r.channel_id,
            teams.get(r.team_id or 0, "Whole workspace"),
            r.weekday,
            r.local_time.strftime("%H:%M"),
            r.timezone,
            r.language,
        )
        for r in svc.digest_channel_rows(session, workspace=ws)
    ]


def admin_view(runtime: Runtime, client: WebClient, team_id: str) -> dict[str, Any]:
    """The settings modal for ``team_id`` as stored now."""
    groups = _user_groups(client)
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=team_id)
        config = effective_config(session, settings=runtime.settings, workspace=ws)
        managed = bool(stored_settings(session, workspace=ws).get(DIGEST_MANAGED_KEY))
        digests = _digest_rows(session, runtime, team_id)
        made_at = secret_made_at(session, workspace_id=ws.id)
    view = views.build_admin_view(config, groups=groups, digests=digests, digests_managed=managed)
    # Day one: an admin can see the pulse before staff do (never counted).
    view["blocks"][0:0] = admin_test_pulse_blocks()
    view["blocks"].extend(admin_outcome_blocks(made_at=made_at))
    return view


def handle_admin_command(call: CommandCall) -> None:
    """`/cx admin`: refuse non-admins, else open the modal."""
    call.ack()
    if not allowed(call.runtime, call.client, call.team_id, call.user_id):
        call.respond(response_type="ephemeral", text=REFUSAL)
        return
    call.client.views_open(
        trigger_id=call.trigger_id, view=admin_view(call.runtime, call.client, call.team_id)
    )


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


def handle_settings_submit(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    """Save the settings modal (admins only), or show inline errors."""
    team_id, user_id = team_of(body, context), body["user"]["id"]
    if not allowed(runtime, client, team_id, user_id):
        ack(response_action="errors", errors={ids.ADMIN_VALUES: REFUSAL[:150]})
        return
    choices, errors = svc.validate_admin_form(admin_form(body["view"]))
    if choices is None:
        ack(response_action="errors", errors={_FORM_BLOCKS[k]: v for k, v in errors.items()})
        return
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=team_id)
        svc.save_admin_choices(session, workspace=ws, choices=choices, user_id=user_id)
    roles.clear_cache()
    ack(response_action="update", view=views.build_admin_saved_view())


def handle_digest_add(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    """ "Add digest channel": push the digest channel modal."""
    ack()
    team_id = team_of(body, context)
    if not allowed(runtime, client, team_id, body["user"]["id"]):
        return
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=team_id)
        teams = [(t.id, t.name) for t in svc.workspace_teams(session, workspace=ws)]
        config = effective_config(session, settings=runtime.settings, workspace=ws)
    view = build_digest_channel_view(
        teams=teams,
        timezone=config.timezone,
        parent_view_id=body["view"]["id"],
        language=config.language,
    )
    client.views_push(trigger_id=body["trigger_id"], view=view)


def handle_digest_submit(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    """Add a digest channel (or show inline errors), then refresh the settings modal."""
    team_id, user_id = team_of(body, context), body["user"]["id"]
    if not allowed(runtime, client, team_id, user_id):
        ack(response_action="errors", errors={ids.DIGEST_CHANNEL: REFUSAL[:150]})
        return
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=team_id)
        form = digest_form(body["view"], whole_workspace=WHOLE_WORKSPACE_OPTION)
        row, errors = svc.validate_digest_form(session, workspace=ws, form=form)
        if row is not None:
            svc.add_digest_channel(session, workspace=ws, row=row, user_id=user_id)
    if row is None:
        ack(response_action="errors", errors={_DIGEST_BLOCKS[k]: v for k, v in errors.items()})
        return
    ack()
    parent = body["view"].get("previous_view_id") or body["view"].get("private_metadata")
    client.views_update(view_id=parent, view=admin_view(runtime, client, team_id))


def handle_digest_remove(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    """Remove a digest channel, then refresh the settings modal."""
    ack()
    team_id, user_id = team_of(body, context), body["user"]["id"]
    if not allowed(runtime, client, team_id, user_id):
        return
    with runtime.transaction() as session:
        ws = ensure_workspace(session, slack_team_id=team_id)
        digest_id = int(body["actions"][0]["value"])
        svc.remove_digest_channel(session, workspace=ws, digest_id=digest_id, user_id=user_id)
    client.views_update(view_id=body["view"]["id"], view=admin_view(runtime, client, team_id))
