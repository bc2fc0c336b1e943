"""Logging customer moments: `/cx moment`, the message shortcut, App Home, the modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.apology import SORRY
from bot.core.context import RequestContext, respond_privately
from bot.core.features import HomeRequest, HomeSections
from bot.core.i18n import ENGLISH, translator
from bot.core.router import CommandCall
from bot.core.text import plain
from bot.customers.store import recent_customers
from bot.home.delivery import publish_home
from bot.moments.delivery import send_confirmation, send_open_sorry
from bot.moments.logged_views import (
    CHANGE_MESSAGES,
    LoggedMoment,
    build_confirmation,
    build_home_section,
    confirmation_text,
    read_change_button,
)
from bot.moments.store import (
    OutcomeChange,
    change_outcome,
    local_today,
    log_moment,
    moments_by,
)
from bot.moments.views import (
    ModalOrigin,
    build_moment_modal,
    draft_from_state,
    error_blocks,
)
from bot.runtime import Runtime
from bot.workspace.clients import readable_message
from bot.workspace.store import find_person, language_of
from models import CustomerMoment

logger = logging.getLogger(__name__)

HOME_ORDER = 30


def _logged(moment: CustomerMoment) -> LoggedMoment:
    return LoggedMoment(
        moment_id=moment.id,
        customer=moment.customer.name,
        outcome=moment.outcome,
        touchpoint=moment.touchpoint,
        happened_on=moment.happened_on,
        what_happened=moment.what_happened,
        csat=moment.csat,
        sentiment=moment.sentiment,
        followup_on=moment.followup_on,
    )


def open_moment_modal(
    cx: RequestContext, *, trigger_id: str, origin: ModalOrigin, prefill: str = ""
) -> None:
    """Open the "Log a customer moment" modal for the sender."""
    with cx.runtime.transaction() as session:
        person = cx.person_in(session)
        customers = [(c.id, c.name) for c in recent_customers(session, workspace=person.workspace)]
        today = local_today(person.tz, cx.runtime.now())
    view = build_moment_modal(
        customers=customers, today=today, origin=origin, prefill=prefill, t=cx.translator
    )
    cx.client.views_open(trigger_id=trigger_id, view=view)


def open_or_apologise(
    cx: RequestContext, *, trigger_id: str, origin: ModalOrigin, prefill: str = ""
) -> None:
    """Open the modal; if that fails, log it and tell the person by DM."""
    try:
        open_moment_modal(cx, trigger_id=trigger_id, origin=origin, prefill=prefill)
    except Exception:
        logger.exception("opening the moment modal failed")
        try:
            send_open_sorry(cx.client, user_id=cx.user_id, trigger_id=trigger_id, t=cx.translator)
        except Exception:
            logger.exception("could not apologise to %s", cx.user_id)


def change_from_button(cx: RequestContext, value: str) -> tuple[OutcomeChange, LoggedMoment | None]:
    """Apply a "Change to …" click: the result and the moment as now logged."""
    parsed = read_change_button(value)
    if parsed is None:
        return OutcomeChange.UNKNOWN, None
    with cx.runtime.transaction() as session:
        result, moment = change_outcome(
            session,
            workspace=cx.workspace(session),
            moment_id=parsed[0],
            slack_user_id=cx.user_id,
            outcome=parsed[1],
        )
        return result, _logged(moment) if moment else None


def moments_home_section(
    session: Session, runtime: Runtime, request: HomeRequest
) -> list[dict[str, Any]]:
    """App Home: the log button and the viewer's own recent moments."""
    person = find_person(session, slack_team_id=request.team_id, slack_user_id=request.user_id)
    recent = moments_by(session, person=person) if person is not None else []
    t = translator(language_of(person)) if person is not None else ENGLISH
    return build_home_section([_logged(m) for m in recent], t)


def handle_moment_command(call: CommandCall) -> None:
    """`/cx moment [text]`: open the modal, prefilled with the text."""
    call.ack()
    open_moment_modal(
        call.cx,
        trigger_id=call.trigger_id,
        origin=ModalOrigin("command", call.channel_id),
        prefill=plain(call.args),
    )


def handle_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """The "Log a customer moment" message shortcut: the modal, prefilled from the message."""
    ack()
    channel_id = shortcut["channel"]["id"]
    message = shortcut.get("message") or {}
    permalink = ""
    try:
        answer = client.chat_getPermalink(channel=channel_id, message_ts=message.get("ts", ""))
        permalink = str(answer.get("permalink") or "")
    except SlackApiError as exc:
        logger.info("no permalink for a shortcut message in %s: %s", channel_id, exc)
    open_or_apologise(
        cx,
        trigger_id=shortcut["trigger_id"],
        origin=ModalOrigin("shortcut", channel_id, permalink),
        prefill=readable_message(client, str(message.get("text") or "")),
    )


def handle_home_button(ack: Ack, body: dict[str, Any], cx: RequestContext) -> None:
    """App Home "Log a customer moment"."""
    ack()
    open_or_apologise(cx, trigger_id=body["trigger_id"], origin=ModalOrigin("home"))


def handle_submission(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    cx: RequestContext,
    home: HomeSections,
) -> None:
    """Log the moment (or show inline errors), then confirm where the modal came from."""
    runtime, user_id, t = cx.runtime, cx.user_id, cx.translator
    origin = ModalOrigin.load(view.get("private_metadata", ""))
    draft = draft_from_state(view.get("state", {}).get("values", {}), origin)
    with runtime.transaction() as session:
        person = cx.person_in(session)
        result = log_moment(
            session,
            workspace=person.workspace,
            person=person,
            draft=draft,
            now=runtime.now(),
            t=t,
        )
        logged = _logged(result.moment) if result.moment is not None else None
    if logged is None:
        cx.keep_open(ack, error_blocks(result.errors, view))
        return
    ack()
    lead = logged.outcome == "win" and cx.can_celebrate
    text = confirmation_text(logged, t)
    blocks = build_confirmation(logged, can_celebrate=lead, t=t)
    send_confirmation(
        client,
        moment_id=logged.moment_id,
        user_id=user_id,
        channel_id=origin.channel_id,
        text=text,
        blocks=blocks,
    )
    if origin.source == "home":
        # They are looking at their Home: show the new moment there. From a channel,
        # the Home is rebuilt when they next open it (app_home_opened).
        publish_home(client, runtime, home, HomeRequest(team_id=cx.team_id, user_id=user_id))


def handle_change_outcome(
    ack: Ack, body: dict[str, Any], respond: Respond, cx: RequestContext
) -> None:
    """The confirmation's "Change to …": the author changes the outcome; the message follows."""
    ack()
    result, logged = change_from_button(cx, str(body["actions"][0].get("value", "")))
    t = cx.translator
    if logged is None:
        respond_privately(respond, t.gettext(CHANGE_MESSAGES.get(result, SORRY)))
        return
    lead = logged.outcome == "win" and cx.can_celebrate
    respond(
        replace_original=True,
        text=confirmation_text(logged, t),
        blocks=build_confirmation(logged, can_celebrate=lead, t=t),
    )
