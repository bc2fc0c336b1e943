"""`/cx notes`: leads read anonymous notes and reply; the author can answer back, unnamed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.core import ids
from bot.core.context import RequestContext, respond_privately
from bot.core.disclosure import Audience
from bot.core.i18n import N_, Translator
from bot.core.router import CommandCall
from bot.core.view_state import text_value
from bot.notes import store as svc
from bot.notes import views
from bot.notes.delivery import send_answer, send_reply
from bot.runtime import Runtime
from bot.workspace.store import translator_for
from models import Workspace

logger = logging.getLogger(__name__)

# msgids: translated for whoever gets them.
NOT_A_LEAD = N_("Anonymous notes are for leads. Ask a workspace admin if you should be one.")
GONE = N_("That note is no longer available (it may have been purged).")


@dataclass(frozen=True)
class LeadScope:
    """What a lead may see: their workspace, their team (None: all teams), who they are."""

    workspace: Workspace
    team_id: int | None
    audience: Audience


def lead_scope(cx: RequestContext) -> LeadScope:
    """What the lead who sent the request may see (a leads_only listener's sender)."""
    with cx.runtime.transaction() as session:
        ws = cx.workspace(session)
        team = svc.lead_team_id(session, workspace=ws, lead_user_id=cx.user_id)
    # A lead who answers pulses may have written one of the notes: one writer more.
    audience = Audience(cx.config.anonymity_threshold, viewer_in_group=cx.person is not None)
    return LeadScope(ws, team, audience)


def _note(runtime: Runtime, scope: LeadScope, note_id: int) -> svc.VisibleNote | None:
    with runtime.transaction() as session:
        return svc.visible_note(
            session,
            workspace=scope.workspace,
            note_id=note_id,
            team_id=scope.team_id,
            audience=scope.audience,
            now=runtime.now(),
        )


def handle_notes_command(call: CommandCall) -> None:
    """`/cx notes` (leads only): the lead's recent notes, as an ephemeral list."""
    call.ack()
    scope = lead_scope(call.cx)
    with call.runtime.transaction() as session:
        found = svc.visible_notes(
            session,
            workspace=scope.workspace,
            team_id=scope.team_id,
            audience=scope.audience,
            now=call.runtime.now(),
        )
    t = call.cx.translator
    blocks = views.build_notes_blocks(found, threshold=scope.audience.shown_threshold, t=t)
    call.respond(response_type="ephemeral", text=t.gettext("Anonymous notes"), blocks=blocks)


def handle_reply_button(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, cx: RequestContext
) -> None:
    """A lead's "Reply" on a note (leads only): open the reply modal."""
    ack()
    note = _note(cx.runtime, lead_scope(cx), int(body["actions"][0]["value"]))
    if note is None:
        respond_privately(respond, cx.translator.gettext(GONE))
        return
    view = views.build_reply_modal(note, cx.translator)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_reply_submit(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """Send the lead's reply (leads only) to the note's author, who stays unnamed."""
    runtime, lead, scope = cx.runtime, cx.user_id, lead_scope(cx)
    note = _note(runtime, scope, int(body["view"]["private_metadata"]))
    if note is None:
        cx.keep_open(ack, {ids.NOTE_REPLY_TEXT: cx.translator.gettext(GONE)})
        return
    with runtime.transaction() as session:
        started = svc.start_reply_to_author(
            session,
            workspace=scope.workspace,
            note_id=note.id,
            lead_user_id=lead,
            secret=runtime.settings.cxpulse_secret or "",
            now=runtime.now(),
        )
    # "Sent" whatever became of the author: anything else would tell the lead
    # that the writer has left, or is the one who just left.
    lead_t = cx.translator
    sent = views.reply_sent_text(lead_t)
    ack(response_action="update", view=views.build_sent_view(sent, lead_t))
    if started is None:
        return
    author_id, reply_id = started
    t = _translator(runtime, cx.team_id, author_id)  # the author's own language
    dm_text, blocks = views.build_author_dm(
        lead_user_id=lead,
        note=note,
        reply=text_value(body["view"], ids.NOTE_REPLY_TEXT),
        reply_id=reply_id,
        t=t,
    )
    send_reply(client, author_id=author_id, reply_id=reply_id, text=dm_text, blocks=blocks)
    logger.info("lead reply %s to a note delivered", reply_id)


def handle_answer_button(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """The author's "Answer back" on a lead's reply: open the answer modal."""
    ack()
    found = _authors_reply(cx, int(body["actions"][0]["value"]))
    if found is None:
        logger.info("answer-back refused: not the note's author")
        return
    view = views.build_answer_modal(found[0], found[1], cx.translator)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_answer_submit(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """Send the author's answer to the lead, still unnamed."""
    reply_id = int(body["view"]["private_metadata"])
    found = _authors_reply(cx, reply_id, record=True)
    if found is None:
        cx.keep_open(ack, {ids.NOTE_ANSWER_TEXT: cx.translator.gettext(GONE)})
        return
    t = cx.translator
    sent = views.build_sent_view(t.gettext(views.ANSWER_SENT), t)
    ack(response_action="update", view=sent)
    answer = text_value(body["view"], ids.NOTE_ANSWER_TEXT)
    lead_t = _translator(cx.runtime, cx.team_id, found[2])  # the lead's own language
    text, blocks = views.build_lead_dm(note=found[1], answer=answer, t=lead_t)
    send_answer(client, lead_id=found[2], view_id=body["view"]["id"], text=text, blocks=blocks)
    logger.info("answer back on lead reply %s delivered", reply_id)


def _translator(runtime: Runtime, team_id: str, user_id: str) -> Translator:
    with runtime.sessions() as session:
        return translator_for(session, slack_team_id=team_id, slack_user_id=user_id)


def _authors_reply(
    cx: RequestContext, reply_id: int, *, record: bool = False
) -> tuple[int, svc.VisibleNote, str] | None:
    """(reply id, note, lead user id) when the sender wrote the note; optionally count it."""
    runtime = cx.runtime
    with runtime.transaction() as session:
        found = svc.reply_for_author(
            session,
            workspace=cx.workspace(session),
            reply_id=reply_id,
            user_id=cx.user_id,
            secret=runtime.settings.cxpulse_secret or "",
        )
        if found is None:
            return None
        reply, note = found
        if record:
            svc.record_answer(session, reply=reply, now=runtime.now())
        return reply.id, note, reply.lead_user_id
