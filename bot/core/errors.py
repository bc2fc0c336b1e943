"""The one place a listener's unexpected error is logged and answered politely.

Bolt hands every exception a listener raises to the app's error handler. Before the
ack, the answer to Slack is the apology itself (an inline error on the modal, an
ephemeral reply to a command); after it, the apology is a follow-up message.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse, Respond
from slack_bolt.error import BoltError
from slack_sdk import WebClient

from bot.core import ids
from bot.core.apology import SORRY, build_sorry_modal
from bot.core.once import release_unanswered

logger = logging.getLogger(__name__)

# A failed modal keeps what was typed and shows the apology under this block; a modal
# not listed here turns into the "Sorry" modal.
APOLOGY_BLOCK = {
    ids.ADMIN_VIEW: ids.ADMIN_VALUES,
    ids.ADMIN_DIGEST_VIEW: ids.DIGEST_CHANNEL,
    ids.CELEBRATE_MODAL: ids.CELEBRATE_REASON_BLOCK,
    ids.MOMENT_MODAL: ids.MOMENT_WHAT,
    ids.NOTE_REPLY_VIEW: ids.NOTE_REPLY_TEXT,
    ids.NOTE_ANSWER_VIEW: ids.NOTE_ANSWER_TEXT,
}
# Bolt's thread runner (process_before_response=False) clears a listener's ack when the
# listener fails after acking, while the request thread polls for that ack every 10 ms: a
# failure within one poll would cost the person their answer (Bolt answers 404 after 3 s).
# Waiting this long first, on the failed listener's own thread, lets the request thread see
# the ack and answer with it. Only failures after an ack wait; see
# docs/architecture/bolt-payload.md for the upstream report.
ACKED_FAILURE_WAIT_SECONDS = 0.1
# Requests a person made and waits on; an event failing is only logged.
ANSWERED_TYPES = frozenset({"view_submission", "block_actions", "message_action", "shortcut"})


def modal_apology(view: dict[str, Any]) -> dict[str, Any]:
    """The view_submission answer that apologises inside the modal."""
    block = APOLOGY_BLOCK.get(str(view.get("callback_id", "")))
    if block is None:
        return {"response_action": "update", "view": build_sorry_modal()}
    return {"response_action": "errors", "errors": {block: SORRY}}


def handle_error(
    error: Exception,
    body: dict[str, Any],
    ack: Ack,
    respond: Respond | None,
    client: WebClient,
    context: BoltContext,
) -> BoltResponse | None:
    """Log ``error``; apologise to the person whose request failed, once."""
    if ack.response is not None:
        time.sleep(ACKED_FAILURE_WAIT_SECONDS)
    release_unanswered(context)  # a request that failed before its ack may be retried
    if isinstance(error, BoltError):
        logger.warning("bolt: %s", error)
        return None
    kind = "command" if "command" in body else str(body.get("type", ""))
    logger.error("listener failed on a %s request", kind, exc_info=error)
    if kind != "command" and kind not in ANSWERED_TYPES:
        return None
    if ack.response is None:
        if kind == "view_submission":
            return _json(modal_apology(body.get("view") or {}))
        if kind == "command":
            return _json({"response_type": "ephemeral", "text": SORRY})
    _follow_up(body, respond, client)
    return None if ack.response is not None else BoltResponse(status=200, body="")


def _follow_up(body: dict[str, Any], respond: Respond | None, client: WebClient) -> None:
    """Apologise after the ack: in the conversation if Slack gave a response_url, else by DM."""
    try:
        if respond is not None and respond.response_url:
            respond(response_type="ephemeral", replace_original=False, text=SORRY)
            return
        user_id = body.get("user_id") or (body.get("user") or {}).get("id")
        if user_id:
            client.chat_postMessage(channel=str(user_id), text=SORRY)
    except Exception:
        logger.exception("could not apologise for a failed request")


def _json(answer: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200,
        body=json.dumps(answer),
        headers={"content-type": "application/json;charset=utf-8"},
    )
