"""Pulse DM listeners: a face tapped, the second question answered, a note added."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.core import ids
from bot.core.apology import SORRY
from bot.core.context import threshold_for
from bot.core.i18n import ENGLISH, Translator
from bot.pulse.anonymity import SKIPPED
from bot.pulse.answers import (
    ClickRefused,
    find_click_send,
    is_open,
    note_error,
    note_for_modal,
    record_answer,
    record_extra,
    save_note,
    skip_day,
)
from bot.pulse.settings_views import build_note_modal
from bot.pulse.views import (
    ALREADY_ANSWERED_TEXT,
    ANSWERED_TEXT,
    CLOSED_TEXT,
    EXTRA_ANSWERED_TEXT,
    NOT_YOURS_TEXT,
    SKIPPED_TEXT,
    UNKNOWN_TEXT,
    read_extra_value,
    read_score_value,
)
from bot.runtime import Runtime
from bot.workspace.store import translator_for

logger = logging.getLogger(__name__)

SCORE_ACTION = re.compile(rf"^{ids.PULSE_SCORE}_[1-5]$")
EXTRA_ACTION = re.compile(rf"^{ids.PULSE_EXTRA}_\d+$")
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


def _translator(runtime: Runtime, team_id: str, user_id: str) -> Translator:
    """The clicker's language (English when it cannot be read: the reply still goes out)."""
    try:
        with runtime.sessions() as session:
            return translator_for(session, slack_team_id=team_id, slack_user_id=user_id)
    except Exception:
        logger.exception("reading a person's language failed")
        return ENGLISH


def record_click(body: dict[str, Any], respond: Respond, runtime: Runtime, *, extra: bool) -> None:
    """Record a face (``extra`` False) or a second-question answer; confirm only to the person.

    The DM itself is never edited: an edit would be readable back with the bot token.
    """
    team_id, user_id = _who(body)
    t = _translator(runtime, team_id, user_id)
    value = str(body["actions"][0].get("value", ""))
    secret = runtime.settings.cxpulse_secret or ""
    try:
        with runtime.transaction() as session:
            if extra:
                send_id, question_key, answer = read_extra_value(value)
            else:
                send_id, score = read_score_value(value)
            send = find_click_send(session, team_id=team_id, user_id=user_id, send_id=send_id)
            now = runtime.now()
            if extra:
                ok = record_extra(
                    session,
                    secret=secret,
                    team_id=team_id,
                    user_id=user_id,
                    send=send,
                    question_key=question_key,
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
                    score=score,
                    now=now,
                ).recorded
            if not ok:
                raise ClickRefused("closed")
    except ClickRefused as refused:
        refusal = t.gettext(REFUSALS[refused.reason])
        respond(response_type="ephemeral", replace_original=False, text=refusal)
        return
    except ValueError:  # not a value this app's buttons carry
        respond(response_type="ephemeral", replace_original=False, text=t.gettext(UNKNOWN_TEXT))
        return
    except Exception:
        logger.exception("recording a pulse click failed")
        respond(response_type="ephemeral", replace_original=False, text=t.gettext(SORRY))
        return
    # Saved: only now is the tap confirmed, so a failing reply never says "not recorded".
    text = EXTRA_ANSWERED_TEXT if extra else ANSWERED_TEXT
    respond(response_type="ephemeral", replace_original=False, text=t.gettext(text))


def handle_score(ack: Ack, body: dict[str, Any], respond: Respond, runtime: Runtime) -> None:
    """A face tapped on the pulse DM."""
    ack()
    record_click(body, respond, runtime, extra=False)


def handle_extra(ack: Ack, body: dict[str, Any], respond: Respond, runtime: Runtime) -> None:
    """The second question answered on the pulse DM."""
    ack()
    record_click(body, respond, runtime, extra=True)


def handle_skip(ack: Ack, body: dict[str, Any], respond: Respond, runtime: Runtime) -> None:
    """ "Skip today": nothing recorded; confirmed only to the person (the DM is not edited)."""
    ack()
    team_id, user_id = _who(body)
    t = _translator(runtime, team_id, user_id)
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
        respond(response_type="ephemeral", replace_original=False, text=t.gettext(SKIPPED_TEXT))
    except ClickRefused as refused:
        refusal = t.gettext(REFUSALS[refused.reason])
        respond(response_type="ephemeral", replace_original=False, text=refusal)
    except Exception:
        logger.exception("skipping a pulse failed")
        respond(response_type="ephemeral", replace_original=False, text=t.gettext(SORRY))


def handle_note(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, runtime: Runtime
) -> None:
    """ "Add or edit a note": open the note modal, prefilled with today's note if any."""
    ack()
    team_id, user_id = _who(body)
    t = _translator(runtime, team_id, user_id)
    secret = runtime.settings.cxpulse_secret or ""
    try:
        with runtime.sessions() as session:
            value = str(body["actions"][0].get("value", ""))
            send = find_click_send(session, team_id=team_id, user_id=user_id, send_id=value)
            if not is_open(send, runtime.now()):
                raise ClickRefused("closed")
            note = note_for_modal(
                session, secret=secret, team_id=team_id, user_id=user_id, send=send
            )
            threshold = threshold_for(session, runtime, team_id)
        view = build_note_modal(send_id=send.id, note=note, threshold=threshold, t=t)
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except ClickRefused as refused:
        refusal = t.gettext(REFUSALS[refused.reason])
        respond(response_type="ephemeral", replace_original=False, text=refusal)
    except Exception:
        logger.exception("opening the note modal failed")
        respond(response_type="ephemeral", replace_original=False, text=t.gettext(SORRY))


def handle_note_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], runtime: Runtime
) -> None:
    """Save the note (inline error when blank, too long or closed), then close the modal."""
    team_id, user_id = _who(body)
    t = _translator(runtime, team_id, user_id)
    field = view["state"]["values"].get(ids.PULSE_NOTE_BLOCK, {}).get(ids.PULSE_NOTE_INPUT, {})
    text = (field or {}).get("value") or ""
    problem = note_error(text, t)
    if problem is not None:
        ack(response_action="errors", errors={ids.PULSE_NOTE_BLOCK: problem})
        return
    secret = runtime.settings.cxpulse_secret or ""
    try:
        with runtime.transaction() as session:
            send_id = str(view.get("private_metadata", ""))
            send = find_click_send(session, team_id=team_id, user_id=user_id, send_id=send_id)
            saved = save_note(
                session,
                secret=secret,
                team_id=team_id,
                user_id=user_id,
                send=send,
                text=text,
                now=runtime.now(),
            )
            if not saved:
                raise ClickRefused("closed")
    except ClickRefused as refused:
        refusal = t.gettext(REFUSALS[refused.reason])
        ack(response_action="errors", errors={ids.PULSE_NOTE_BLOCK: refusal})
        return
    ack()
