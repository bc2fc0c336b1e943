"""`/cx customer NAME` (the backstory timeline, paged) and the follow-up DM's "Done"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, Respond
from sqlalchemy.orm import Session

from bot.core.context import RequestContext, respond_privately
from bot.core.router import CommandCall
from bot.core.text import plain
from bot.customers.store import (
    TimelinePage,
    closest_customers,
    customer_timeline,
    find_customer,
    get_customer,
    recent_customers,
)
from bot.customers.views import (
    DONE_MESSAGES,
    build_customer_usage_blocks,
    build_followup_done_blocks,
    build_timeline_blocks,
    build_unknown_customer_blocks,
    customer_usage_text,
    read_done_value,
    read_more_value,
    timeline_text,
    unknown_customer_text,
)
from bot.moments.store import DoneResult, mark_followup_done
from bot.stories.store import tellings_for

logger = logging.getLogger(__name__)


def handle_customer_command(call: CommandCall) -> None:
    """Show the named customer's timeline, or the closest names, or how to use it."""
    name = plain(call.args).strip()
    t = call.cx.translator
    with call.runtime.transaction() as session:
        workspace = call.cx.workspace(session)
        customer = find_customer(session, workspace=workspace, name=name) if name else None
        if not name:
            recent = [c.name for c in recent_customers(session, workspace=workspace, limit=5)]
            text = customer_usage_text(t)
            blocks = build_customer_usage_blocks(recent, t)
        elif customer is None:
            close = closest_customers(session, workspace=workspace, name=name)
            blocks = build_unknown_customer_blocks(name, [c.name for c in close], t)
            text = unknown_customer_text(t)
        else:
            page = customer_timeline(session, customer=customer)
            text, blocks = timeline_text(page, t), _timeline_blocks(session, page, call.cx)
    call.ack(response_type="ephemeral", text=text, blocks=blocks)


def _timeline_blocks(
    session: Session, page: TimelinePage, cx: RequestContext
) -> list[dict[str, Any]]:
    """The page with the customers' own tellings the viewer may see."""
    viewer = cx.person_found_in(session)
    tellings = tellings_for(session, moment_ids=[e.moment_id for e in page.entries], viewer=viewer)
    return build_timeline_blocks(page, tellings=tellings, viewer=cx.user_id, t=cx.translator)


def handle_more(ack: Ack, body: dict[str, Any], respond: Respond, cx: RequestContext) -> None:
    """The timeline's "More": the next page, in place."""
    ack()
    parsed = read_more_value(str(body["actions"][0].get("value", "")))
    page = None
    with cx.runtime.transaction() as session:
        workspace = cx.workspace(session)
        customer = (
            get_customer(session, workspace=workspace, customer_id=parsed[0]) if parsed else None
        )
        if customer is not None and parsed is not None:
            page = customer_timeline(session, customer=customer, offset=parsed[1])
            blocks = _timeline_blocks(session, page, cx)
    if page is None:
        respond_privately(respond, cx.translator.gettext("Customer not found."))
        return
    text = timeline_text(page, cx.translator)
    respond(response_type="ephemeral", replace_original=True, text=text, blocks=blocks)


def handle_done(ack: Ack, body: dict[str, Any], respond: Respond, cx: RequestContext) -> None:
    """The follow-up DM's "Done": close the loop (only the person who logged it)."""
    ack()
    moment_id = read_done_value(str(body["actions"][0].get("value", "")))
    result = DoneResult.UNKNOWN
    if moment_id is not None:
        with cx.runtime.transaction() as session:
            result = mark_followup_done(
                session,
                workspace=cx.workspace(session),
                moment_id=moment_id,
                slack_user_id=cx.user_id,
                now=cx.runtime.now(),
            )
    message = cx.translator.gettext(DONE_MESSAGES[result])
    if result in (DoneResult.DONE, DoneResult.ALREADY):
        respond(replace_original=True, text=message, blocks=build_followup_done_blocks(message))
    else:
        respond_privately(respond, message)
