"""Celebrations: `/cx celebrate`, the celebrate modal, suggestions to leads, "Celebrate this"."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.celebrations.delivery import (
    NO_CHANNEL,
    leads_to_ask,
    people_problem,
    publish_celebration,
    send_dm,
    workspace_config,
)
from bot.celebrations.parse import resolve_names
from bot.celebrations.store import (
    CelebrationError,
    ParsedCelebration,
    check_celebration,
    from_form,
    linked_moment,
    parse_celebration,
)
from bot.celebrations.views import (
    build_celebrate_modal,
    build_refusal,
    build_suggestion_dm,
    channel_link,
    read_suggestion,
    user_mention,
)
from bot.core import ids
from bot.core.router import CommandCall
from bot.moments.logged_views import read_celebrate_value
from bot.runtime import Runtime
from bot.workspace.roles import can_celebrate

logger = logging.getLogger(__name__)

Body = dict[str, Any]


def _say(respond: Respond, text: str, **extra: Any) -> None:
    respond(response_type="ephemeral", replace_original=False, text=text, **extra)


def _team(body: Body) -> str:
    team = (body.get("team") or {}).get("id") or body.get("team_id")
    return str(team or (body.get("user") or {}).get("team_id") or "")


def _parse(runtime: Runtime, team_id: str, text: str, values: Sequence[str]) -> ParsedCelebration:
    """Celebrate text with any typed @names resolved to the people they name."""
    parsed = parse_celebration(text, company_values=values)
    if not parsed.names:
        return parsed
    with runtime.transaction() as session:
        return resolve_names(session, slack_team_id=team_id, parsed=parsed)


def handle_celebrate_command(call: CommandCall) -> None:
    """`/cx celebrate @people for … #value`: leads post; others may suggest it to a lead."""
    config = workspace_config(call.runtime, call.team_id)
    try:
        parsed = _parse(call.runtime, call.team_id, call.args, config.company_values)
        if call.args:
            check_celebration(parsed, celebrated_by=call.user_id)
    except CelebrationError as error:
        call.ack(response_type="ephemeral", text=str(error))
        return
    call.ack()
    if not can_celebrate(call.client, call.team_id, config.leads, call.user_id):
        text, blocks = build_refusal(config.leads, suggestion=call.args or None)
        _say(call.respond, text, blocks=blocks)
    elif not config.celebrations_channel:
        _say(call.respond, NO_CHANNEL)
    elif not call.args:
        view = build_celebrate_modal(
            people=(), reason="", values=(), company_values=config.company_values
        )
        call.client.views_open(trigger_id=call.trigger_id, view=view)
    else:
        outcome = publish_celebration(
            call.client,
            call.runtime,
            team_id=call.team_id,
            celebrated_by=call.user_id,
            parsed=parsed,
            request_key=f"command:{call.trigger_id}",
        )
        if outcome.status != "duplicate":
            _say(call.respond, outcome.message)


def handle_suggest(
    ack: Ack, body: Body, client: WebClient, respond: Respond, runtime: Runtime
) -> None:
    """A non-lead's "Suggest this to a lead": DM a lead a one-click "Celebrate"."""
    ack()
    team_id, user_id = _team(body), body["user"]["id"]
    text = body["actions"][0]["value"]
    config = workspace_config(runtime, team_id)
    parsed = parse_celebration(text, company_values=config.company_values)
    dm_text, blocks = build_suggestion_dm(parsed, text=text, suggested_by=user_id)
    # The first lead Slack lets us DM (a deactivated lead is skipped).
    asked = (
        lead
        for lead in leads_to_ask(client, runtime, team_id, config.leads, user_id)
        if send_dm(client, lead, dm_text, blocks)
    )
    lead = next(asked, None)
    if lead is None:
        _say(respond, "I couldn't reach a lead to pass this to; please ask an admin.")
        return
    respond(replace_original=True, text=f"Thanks! I've suggested it to {user_mention(lead)}.")


def handle_suggestion_celebrate(
    ack: Ack, body: Body, client: WebClient, respond: Respond, runtime: Runtime
) -> None:
    """The lead's one-click "Celebrate" on a suggestion: post it as that lead, once."""
    ack()
    team_id, user_id = _team(body), body["user"]["id"]
    config = workspace_config(runtime, team_id)
    if not can_celebrate(client, team_id, config.leads, user_id):
        _say(respond, "Only leads can celebrate; this suggestion is for them.")
        return
    text, suggested_by = read_suggestion(body["actions"][0]["value"])
    container = body.get("container") or {}
    try:
        parsed = _parse(runtime, team_id, text, config.company_values)
    except CelebrationError as error:
        _say(respond, str(error))
        return
    outcome = publish_celebration(
        client,
        runtime,
        team_id=team_id,
        celebrated_by=user_id,
        parsed=parsed,
        request_key=f"suggestion:{container.get('channel_id')}:{container.get('message_ts')}",
    )
    if outcome.status == "problem":
        _say(respond, outcome.message)
    elif outcome.status == "posted" and outcome.channel_id:
        where = channel_link(outcome.channel_id)
        respond(replace_original=True, text=f"✅ Celebrated in {where}. Thank you!")
        thanks = f"🎉 {user_mention(user_id)} celebrated your suggestion in {where}."
        send_dm(client, suggested_by, thanks)


def handle_moment_celebrate(
    ack: Ack, body: Body, client: WebClient, respond: Respond, runtime: Runtime
) -> None:
    """ "Celebrate this" on a win moment: open the celebrate modal, prefilled from it."""
    ack()
    team_id, user_id = _team(body), body["user"]["id"]
    config = workspace_config(runtime, team_id)
    if not can_celebrate(client, team_id, config.leads, user_id):
        _say(respond, build_refusal(config.leads, suggestion=None)[0])
        return
    if not config.celebrations_channel:
        _say(respond, NO_CHANNEL)
        return
    with runtime.transaction() as session:
        moment_id = read_celebrate_value(body["actions"][0]["value"])
        moment = linked_moment(session, slack_team_id=team_id, moment_id=moment_id)
    if moment is None:
        _say(respond, "I can't find that customer moment any more; nothing to celebrate.")
        return
    view = build_celebrate_modal(
        people=[moment.logged_by] if moment.logged_by else [],
        reason=moment.what_happened,
        values=(),
        company_values=config.company_values,
        moment=moment,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _form(view: Body, company_values: Sequence[str]) -> ParsedCelebration:
    """What the celebrate modal was submitted with."""
    state = view["state"]["values"]
    people = state[ids.CELEBRATE_PEOPLE_BLOCK][ids.CELEBRATE_PEOPLE_ACTION]
    reason = state[ids.CELEBRATE_REASON_BLOCK][ids.CELEBRATE_REASON_ACTION]
    values = (state.get(ids.CELEBRATE_VALUES_BLOCK) or {}).get(ids.CELEBRATE_VALUES_ACTION) or {}
    return from_form(
        people=people.get("selected_users") or [],
        reason=reason.get("value") or "",
        values=[o["value"] for o in values.get("selected_options") or []],
        company_values=company_values,
    )


def handle_submit(ack: Ack, body: Body, view: Body, client: WebClient, runtime: Runtime) -> None:
    """The celebrate modal: inline errors for bad input, else post (once per view)."""
    team_id, user_id = _team(body), body["user"]["id"]
    config = workspace_config(runtime, team_id)
    parsed = _form(view, config.company_values)
    try:
        check_celebration(parsed, celebrated_by=user_id)
    except CelebrationError as error:
        block = {"people": ids.CELEBRATE_PEOPLE_BLOCK, "reason": ids.CELEBRATE_REASON_BLOCK}
        ack(response_action="errors", errors={block[error.field]: str(error)})
        return
    problem = people_problem(client, parsed.people, plain=True)
    if not can_celebrate(client, team_id, config.leads, user_id):
        problem = "Only leads can celebrate."
    if problem:
        ack(response_action="errors", errors={ids.CELEBRATE_PEOPLE_BLOCK: problem})
        return
    ack()
    outcome = publish_celebration(
        client,
        runtime,
        team_id=team_id,
        celebrated_by=user_id,
        parsed=parsed,
        request_key=f"view:{view['id']}",
        moment_id=json.loads(view.get("private_metadata") or "{}").get("moment_id"),
    )
    if outcome.status == "problem":
        send_dm(client, user_id, outcome.message)
