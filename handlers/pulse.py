"""Pulse DM listeners: a face tapped, the second question answered, a note added."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blockkit import ids
from bot.blockkit.apology import SORRY
from bot.pulse.answers import note_error, record_answer, record_extra, save_note
from bot.pulse.clicks import ClickRefused, DmState, dm_state, find_click_send
from bot.pulse.questions import question
from bot.pulse.settings_views import build_note_modal
from bot.pulse.skips import SKIPPED, skip_day
from bot.pulse.views import (
    ALREADY_ANSWERED_TEXT,
    CLOSED_TEXT,
    NOT_YOURS_TEXT,
    SKIPPED_TEXT,
    UNKNOWN_TEXT,
    answered_text,
    build_answered_blocks,
    build_skipped_blocks,
    read_extra_value,
    read_score_value,
)
from bot.runtime import Runtime
from handlers.router import CommandRouter

logger = logging.getLogger(__name__)

SCORE_ACTION = re.compile(rf"^{ids.PULSE_SCORE}_[1-5]$")
EXTRA_ACTION = re.compile(rf"^{ids.PULSE_EXTRA}_\d+$")
SAVED_NOT_SHOWN = "Thanks, your answer is saved. I couldn't update the message above to show it."
REFUSALS = {
    "closed": CLOSED_TEXT,
    "not_yours": NOT_YOURS_TEXT,
    "unknown": UNKNOWN_TEXT,
    "answered": ALREADY_ANSWERED_TEXT,
}


def _who(body: dict[str, Any]) -> tuple[str, str]:
    """(Slack team id, user id) of whoever clicked or submitted."""
    user = body.get("user") or {}
    return (body.get("team") or {}).get("id") or user.get("team_id") or "", user["id"]


def dm_update(state: DmState, *, channel: str, ts: str) -> dict[str, Any]:
    """chat.update arguments that re-render the pulse DM from ``state``."""
    send, day = state.send, state.day
    if day.score is None:
        return {}
    return {
        "channel": send.channel_id or channel,
        "ts": send.message_ts or ts,
        "text": answered_text(day.score, state.streak),
        "blocks": build_answered_blocks(
            send_id=send.id,
            score=day.score,
            streak=state.streak,
            question=question(send.question_key),
            extra_value=day.extra_value,
            note=day.note,
        ),
    }


def record_click(
    body: dict[str, Any], respond: Respond, client: WebClient, runtime: Runtime, *, extra: bool
) -> None:
    """Record a face (``extra`` False) or a second-question answer, then update the DM."""
    team_id, user_id = _who(body)
    value = str(body["actions"][0].get("value", ""))
    secret = runtime.settings.cxpulse_secret or ""
    container = body.get("container") or {}
    try:
        if extra:
            send_id, key, answer = read_extra_value(value)
        else:
            (send_id, answer), key = read_score_value(value), ""
        with runtime.transaction() as session:
            send = find_click_send(session, team_id=team_id, user_id=user_id, send_id=send_id)
            now = runtime.now()
            if extra:
                ok = record_extra(
                    session,
                    secret=secret,
                    team_id=team_id,
                    user_id=user_id,
                    send=send,
                    question_key=key,
                    value=answer,
                    now=now,
                )
            else:
                ok = record_answer(
                    session,
                    secret=secret,
                    team_id=team_id,
                    user_id=user_id,
                    send=send,
                    score=answer,
                    now=now,
                    with_streak=False,  # dm_state below counts it for the DM
                ).recorded
            if not ok:
                raise ClickRefused("closed")
            state = dm_state(session, secret=secret, team_id=team_id, user_id=user_id, send=send)
        update = dm_update(
            state, channel=container.get("channel_id", ""), ts=container.get("message_ts", "")
        )
    except ClickRefused as refused:
        respond(response_type="ephemeral", replace_original=False, text=REFUSALS[refused.reason])
        return
    except Exception:
        logger.exception("recording a pulse click failed")
        respond(response_type="ephemeral", replace_original=False, text=SORRY)
        return
    try:
        if update:
            client.chat_update(**update)
    except Exception:
        # The answer is saved: only the message could not be redrawn.
        logger.exception("updating the pulse DM failed after the answer was saved")
        respond(response_type="ephemeral", replace_original=False, text=SAVED_NOT_SHOWN)


def handle_skip(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, runtime: Runtime
) -> None:
    """ "Skip today": nothing recorded; the DM loses its faces and says so."""
    ack()
    team_id, user_id = _who(body)
    container = body.get("container") or {}
    try:
        with runtime.transaction() as session:
            value = str(body["actions"][0].get("value", ""))
            send = find_click_send(session, team_id=team_id, user_id=user_id, send_id=value)
            outcome = skip_day(
                session,
                secret=runtime.settings.cxpulse_secret or "",
                team_id=team_id,
                user_id=user_id,
                send=send,
                now=runtime.now(),
            )
            if outcome != SKIPPED:
                raise ClickRefused(outcome)
            channel = send.channel_id or container.get("channel_id", "")
            ts = send.message_ts or container.get("message_ts", "")
        client.chat_update(channel=channel, ts=ts, text=SKIPPED_TEXT, blocks=build_skipped_blocks())
    except ClickRefused as refused:
        respond(response_type="ephemeral", replace_original=False, text=REFUSALS[refused.reason])
    except Exception:
        logger.exception("skipping a pulse failed")
        respond(response_type="ephemeral", replace_original=False, text=SORRY)


def open_note_modal(
    body: dict[str, Any], respond: Respond, client: WebClient, runtime: Runtime
) -> None:
    """ "Add a note": open the note modal, prefilled with today's note if there is one."""
    team_id, user_id = _who(body)
    secret = runtime.settings.cxpulse_secret or ""
    try:
        with runtime.sessions() as session:
            value = str(body["actions"][0].get("value", ""))
            send = find_click_send(session, team_id=team_id, user_id=user_id, send_id=value)
            state = dm_state(session, secret=secret, team_id=team_id, user_id=user_id, send=send)
        view = build_note_modal(send_id=send.id, note=state.day.note)
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except ClickRefused as refused:
        respond(response_type="ephemeral", replace_original=False, text=REFUSALS[refused.reason])
    except Exception:
        logger.exception("opening the note modal failed")
        respond(response_type="ephemeral", replace_original=False, text=SORRY)


def handle_note_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, runtime: Runtime
) -> None:
    """Save the note (inline error when blank or too long), then refresh the DM."""
    team_id, user_id = _who(body)
    field = view["state"]["values"].get(ids.PULSE_NOTE_BLOCK, {}).get(ids.PULSE_NOTE_INPUT, {})
    text = (field or {}).get("value") or ""
    problem = note_error(text)
    if problem is not None:
        ack(response_action="errors", errors={ids.PULSE_NOTE_BLOCK: problem})
        return
    secret = runtime.settings.cxpulse_secret or ""
    try:
        with runtime.transaction() as session:
            send_id = str(view.get("private_metadata", ""))
            send = find_click_send(session, team_id=team_id, user_id=user_id, send_id=send_id)
            save_note(
                session,
                secret=secret,
                team_id=team_id,
                user_id=user_id,
                send=send,
                text=text,
                now=runtime.now(),
            )
            state = dm_state(session, secret=secret, team_id=team_id, user_id=user_id, send=send)
    except ClickRefused as refused:
        ack(response_action="errors", errors={ids.PULSE_NOTE_BLOCK: REFUSALS[refused.reason]})
        return
    ack()
    update = dm_update(state, channel="", ts="")
    if update.get("channel") and update.get("ts"):
        client.chat_update(**update)


def handle_score(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, runtime: Runtime
) -> None:
    """A face tapped in the pulse DM."""
    ack()
    record_click(body, respond, client, runtime, extra=False)


def handle_extra(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, runtime: Runtime
) -> None:
    """An answer to the second question tapped in the pulse DM."""
    ack()
    record_click(body, respond, client, runtime, extra=True)


def handle_note(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, runtime: Runtime
) -> None:
    """The DM's "Add a note" button."""
    ack()
    open_note_modal(body, respond, client, runtime)


def register(app: App, *, runtime: Runtime, router: CommandRouter) -> None:
    """Wire the pulse DM's buttons and the note modal."""
    app.action(SCORE_ACTION)(handle_score)
    app.action(EXTRA_ACTION)(handle_extra)
    app.action(ids.PULSE_SKIP)(handle_skip)
    app.action(ids.PULSE_NOTE)(handle_note)
    app.view(ids.PULSE_NOTE_VIEW)(handle_note_submit)
