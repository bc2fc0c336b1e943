"""Celebrations: `/cx celebrate`, the celebrate modal, suggestions to leads, "Celebrate this"."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, Respond
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from bot.celebrations.delivery import (
    NO_CHANNEL,
    leads_to_ask,
    people_problem,
    publish_celebration,
    send_dm,
)
from bot.celebrations.names import resolve_names
from bot.celebrations.store import (
    CelebrationError,
    ParsedCelebration,
    check_celebration,
    from_form,
    linked_moment,
    parse_celebration,
)
from bot.celebrations.suggestion_views import (
    build_refusal,
    build_suggestion_dm,
    celebrated_reply,
    read_suggestion,
    suggestion_celebrated_dm,
)
from bot.celebrations.views import build_celebrate_modal, user_mention
from bot.core import ids
from bot.core.context import RequestContext, request_context, respond_privately
from bot.core.gates import Refused, ephemeral
from bot.core.i18n import N_
from bot.core.router import CommandCall
from bot.moments.logged_views import read_celebrate_value
from bot.workspace.store import translator_for

logger = logging.getLogger(__name__)

Body = dict[str, Any]
# msgids: translated for whoever reads them.
FOR_LEADS = N_("Only leads can celebrate; this suggestion is for them.")
MOMENT_GONE = N_("I can't find that customer moment any more; nothing to celebrate.")


def refuse_suggestion(refused: Refused) -> BoltResponse | None:
    """A suggestion's *Celebrate* clicked by someone who may not celebrate: told so, in their
    language (the gate's refusal, built per request)."""
    t = request_context(refused.context).translator
    return ephemeral(t.gettext(FOR_LEADS))(refused)


def _parse(cx: RequestContext, text: str) -> ParsedCelebration:
    """Celebrate text with any typed @names resolved to the people they name."""
    parsed = parse_celebration(text, company_values=cx.config.company_values)
    if not parsed.names:
        return parsed
    with cx.runtime.transaction() as session:
        return resolve_names(session, slack_team_id=cx.team_id, parsed=parsed)


def handle_celebrate_command(call: CommandCall) -> None:
    """`/cx celebrate @people for … #value`: leads post; others may suggest it to a lead."""
    config = call.cx.config
    try:
        parsed = _parse(call.cx, call.args)
        if call.args:
            check_celebration(parsed, celebrated_by=call.user_id)
    except CelebrationError as error:
        call.ack(response_type="ephemeral", text=error.text(call.cx.translator))
        return
    call.ack()
    t = call.cx.translator
    if not call.cx.can_celebrate:
        text, blocks = build_refusal(config.leads, suggestion=call.args or None, t=t)
        respond_privately(call.respond, text, blocks=blocks)
    elif not config.celebrations_channel:
        respond_privately(call.respond, t.gettext(NO_CHANNEL))
    elif not call.args:
        view = build_celebrate_modal(
            people=(),
            reason="",
            values=(),
            company_values=config.company_values,
            t=call.cx.translator,
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
            t=t,
        )
        if outcome.status != "duplicate":
            respond_privately(call.respond, outcome.message)


def handle_suggest(
    ack: Ack, body: Body, client: WebClient, respond: Respond, cx: RequestContext
) -> None:
    """A non-lead's "Suggest this to a lead": DM a lead a one-click "Celebrate"."""
    ack()
    text = body["actions"][0]["value"]
    parsed = parse_celebration(text, company_values=cx.config.company_values)

    def suggest_to(lead: str) -> bool:
        """DM ``lead`` the suggestion, in the lead's own language."""
        with cx.runtime.transaction() as session:
            t = translator_for(session, slack_team_id=cx.team_id, slack_user_id=lead)
        dm_text, blocks = build_suggestion_dm(parsed, text=text, suggested_by=cx.user_id, t=t)
        return send_dm(client, lead, dm_text, blocks)

    # The first lead Slack lets us DM (a deactivated lead is skipped).
    asked = (
        lead
        for lead in leads_to_ask(client, cx.runtime, cx.team_id, cx.config.leads, cx.user_id)
        if suggest_to(lead)
    )
    lead = next(asked, None)
    t = cx.translator
    if lead is None:
        sorry = t.gettext("I couldn't reach a lead to pass this to; please ask an admin.")
        respond_privately(respond, sorry)
        return
    thanks = t.gettext("Thanks! I've suggested it to %(lead)s.", lead=user_mention(lead))
    respond(replace_original=True, text=thanks)


def handle_suggestion_celebrate(
    ack: Ack, body: Body, client: WebClient, respond: Respond, cx: RequestContext
) -> None:
    """The lead's one-click "Celebrate" on a suggestion (celebrants only): post it as that
    lead, once."""
    ack()
    runtime, team_id, user_id = cx.runtime, cx.team_id, cx.user_id
    text, suggested_by = read_suggestion(body["actions"][0]["value"])
    container = body.get("container") or {}
    try:
        parsed = _parse(cx, text)
    except CelebrationError as error:
        respond_privately(respond, error.text(cx.translator))
        return
    outcome = publish_celebration(
        client,
        runtime,
        team_id=team_id,
        celebrated_by=user_id,
        parsed=parsed,
        request_key=f"suggestion:{container.get('channel_id')}:{container.get('message_ts')}",
        t=cx.translator,
    )
    if outcome.status == "problem":
        respond_privately(respond, outcome.message)
    elif outcome.status == "posted" and outcome.channel_id:
        respond(replace_original=True, text=celebrated_reply(outcome.channel_id, cx.translator))
        with runtime.transaction() as session:
            theirs = translator_for(session, slack_team_id=team_id, slack_user_id=suggested_by)
        send_dm(client, suggested_by, suggestion_celebrated_dm(user_id, outcome.channel_id, theirs))


def handle_moment_celebrate(
    ack: Ack, body: Body, client: WebClient, respond: Respond, cx: RequestContext
) -> None:
    """ "Celebrate this" on a win moment: open the celebrate modal, prefilled from it."""
    ack()
    config = cx.config
    if not cx.can_celebrate:
        respond_privately(respond, build_refusal(config.leads, suggestion=None, t=cx.translator)[0])
        return
    if not config.celebrations_channel:
        respond_privately(respond, cx.translator.gettext(NO_CHANNEL))
        return
    with cx.runtime.transaction() as session:
        moment_id = read_celebrate_value(body["actions"][0]["value"])
        moment = linked_moment(session, slack_team_id=cx.team_id, moment_id=moment_id)
    if moment is None:
        respond_privately(respond, cx.translator.gettext(MOMENT_GONE))
        return
    view = build_celebrate_modal(
        people=[moment.logged_by] if moment.logged_by else [],
        reason=moment.what_happened,
        values=(),
        company_values=config.company_values,
        moment=moment,
        t=cx.translator,
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


def handle_submit(ack: Ack, view: Body, client: WebClient, cx: RequestContext) -> None:
    """The celebrate modal: inline errors for bad input, else post (once per view)."""
    runtime, team_id, user_id, t = cx.runtime, cx.team_id, cx.user_id, cx.translator
    parsed = _form(view, cx.config.company_values)
    try:
        check_celebration(parsed, celebrated_by=user_id)
    except CelebrationError as error:
        block = {"people": ids.CELEBRATE_PEOPLE_BLOCK, "reason": ids.CELEBRATE_REASON_BLOCK}
        cx.keep_open(ack, {block[error.field]: error.text(t)})
        return
    problem = people_problem(client, parsed.people, plain=True, t=t)
    if not cx.can_celebrate:
        problem = t.gettext("Only leads can celebrate.")
    if problem:
        cx.keep_open(ack, {ids.CELEBRATE_PEOPLE_BLOCK: problem})
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
        t=t,
    )
    if outcome.status == "problem":
        send_dm(client, user_id, outcome.message)
