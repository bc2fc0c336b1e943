"""Pulse DM listeners: a face tapped, the second question answered, a note added, and the
admin's test pulse (sent from `/cx admin`; its taps are confirmed, never stored)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.core import ids
from bot.core.apology import SORRY
from bot.core.context import RequestContext, respond_privately
from bot.core.i18n import Translator
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
from bot.pulse.views import (
    ALREADY_ANSWERED_TEXT,
    ANSWERED_TEXT,
    CLOSED_TEXT,
    EXTRA_ANSWERED_TEXT,
    NOT_YOURS_TEXT,
    SKIPPED_TEXT,
    TEST_TAPPED_TEXT,
    UNKNOWN_TEXT,
    read_extra_value,
    read_score_value,
    send_test_pulse,
)
from bot.settings.views import build_note_modal, read_note

logger = logging.getLogger(__name__)

SCORE_ACTION = re.compile(rf"^{ids.PULSE_SCORE}_[1-5]$")
EXTRA_ACTION = re.compile(rf"^{ids.PULSE_EXTRA}_\d+$")
REFUSALS = {
    "closed": CLOSED_TEXT,
    "not_yours": NOT_YOURS_TEXT,
    "unknown": UNKNOWN_TEXT,
    "answered": ALREADY_ANSWERED_TEXT,
}


@contextmanager
def refusals_answered(respond: Respond, t: Translator, *, doing: str) -> Iterator[None]:
    """A refused click is told to the clicker alone; any other failure is logged and
    apologised for, to the clicker alone."""
    try:
        yield
    except ClickRefused as refused:
        respond_privately(respond, t.gettext(REFUSALS[refused.reason]))
    except Exception:
        logger.exception("%s failed", doing)
        respond_privately(respond, t.gettext(SORRY))


def record_click(
    body: dict[str, Any], respond: Respond, cx: RequestContext, *, extra: bool
) -> None:
    """Record a face (``extra`` False) or a second-question answer; confirm only to the person.

    The DM itself is never edited: an edit would be readable back with the bot token.
    """
    runtime, team_id, user_id, t = cx.runtime, cx.team_id, cx.user_id, cx.translator
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
        respond_privately(respond, refusal)
        return
    except ValueError:  # not a value this app's buttons carry
        respond_privately(respond, t.gettext(UNKNOWN_TEXT))
        return
    except Exception:
        logger.exception("recording a pulse click failed")
        respond_privately(respond, t.gettext(SORRY))
        return
    # Saved: only now is the tap confirmed, so a failing reply never says "not recorded".
    text = EXTRA_ANSWERED_TEXT if extra else ANSWERED_TEXT
    respond_privately(respond, t.gettext(text))


def handle_score(ack: Ack, body: dict[str, Any], respond: Respond, cx: RequestContext) -> None:
    """A face tapped on the pulse DM."""
    ack()
    record_click(body, respond, cx, extra=False)


def handle_extra(ack: Ack, body: dict[str, Any], respond: Respond, cx: RequestContext) -> None:
    """The second question answered on the pulse DM."""
    ack()
    record_click(body, respond, cx, extra=True)


def handle_skip(ack: Ack, body: dict[str, Any], respond: Respond, cx: RequestContext) -> None:
    """ "Skip today": nothing recorded; confirmed only to the person (the DM is not edited)."""
    ack()
    runtime, team_id, user_id, t = cx.runtime, cx.team_id, cx.user_id, cx.translator
    with refusals_answered(respond, t, doing="skipping a pulse"):
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
        respond_privately(respond, t.gettext(SKIPPED_TEXT))


def handle_note(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, cx: RequestContext
) -> None:
    """ "Add or edit a note": open the note modal, prefilled with today's note if any."""
    ack()
    runtime, team_id, user_id, t = cx.runtime, cx.team_id, cx.user_id, cx.translator
    secret = runtime.settings.cxpulse_secret or ""
    with refusals_answered(respond, t, doing="opening the note modal"):
        with runtime.sessions() as session:
            value = str(body["actions"][0].get("value", ""))
            send = find_click_send(session, team_id=team_id, user_id=user_id, send_id=value)
            if not is_open(send, runtime.now()):
                raise ClickRefused("closed")
            note = note_for_modal(
                session, secret=secret, team_id=team_id, user_id=user_id, send=send
            )
        view = build_note_modal(send_id=send.id, note=note, threshold=cx.threshold, t=t)
        client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_note_submit(ack: Ack, view: dict[str, Any], cx: RequestContext) -> None:
    """Save the note (inline error when blank, too long or closed), then close the modal."""
    runtime, team_id, user_id, t = cx.runtime, cx.team_id, cx.user_id, cx.translator
    text = read_note(view)
    problem = note_error(text, t)
    if problem is not None:
        cx.keep_open(ack, {ids.PULSE_NOTE_BLOCK: problem})
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
        cx.keep_open(ack, {ids.PULSE_NOTE_BLOCK: refusal})
        return
    ack()


TEST_ACTION = re.compile(rf"^{ids.PULSE_TEST}_")


def handle_send_test_pulse(ack: Ack, body: dict[str, Any], cx: RequestContext) -> None:
    """The admin modal's button (admins only): DM the admin who clicked a test pulse."""
    ack()
    send_test_pulse(
        cx.client,
        user_id=cx.user_id,
        day=cx.runtime.now().date(),
        threshold=cx.threshold,
        request_key=f"{cx.user_id}:{body['actions'][0].get('action_ts', '')}",
        t=cx.translator,
    )


def handle_test_tap(ack: Ack, respond: Respond, cx: RequestContext) -> None:
    """Any button on a test pulse: confirmed to the person only; nothing is recorded."""
    ack()
    respond_privately(respond, cx.translator.gettext(TEST_TAPPED_TEXT))
