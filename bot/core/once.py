"""Each view submission and each event is worked on once, however often Slack delivers it.

A view submission is keyed on the view's id and hash (a replay of the same signed request
has both), an event on its event_id (Slack's retries, with X-Slack-Retry-Num, keep it). The
key is claimed in the database before any listener runs; a second delivery is answered
with an empty 200 (Slack closes the modal / stops retrying) and nothing else. A submission
answered with inline errors, or whose listener failed before answering, gives its claim
back: the person fixes the form and submits the same view again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse

from bot.core.web.handled import claim_request, release_request
from bot.runtime import Runtime

logger = logging.getLogger(__name__)


def request_key(body: dict[str, Any]) -> str | None:
    """What makes this request the same as an earlier delivery of it, or None (not deduped)."""
    if body.get("type") == "view_submission":
        view = body.get("view") or {}
        if view.get("id"):
            return f"view:{view['id']}:{view.get('hash') or ''}"
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    return None


# Where a view submission's claim waits in Bolt's context until it is known whether to keep it.
CLAIM_KEY = "cxpulse_submission_claim"


def give_back(context: BoltContext) -> None:
    """Forget this submission's claim (the work did not happen): the person may submit the
    same view again. Called by ``answer_with_errors`` and after a listener failed."""
    release = context.get(CLAIM_KEY)
    context[CLAIM_KEY] = None
    if callable(release):
        release()


def answer_with_errors(ack: Ack, context: BoltContext, errors: dict[str, str]) -> BoltResponse:
    """Keep the modal open with inline ``errors``; the claim goes back first, so the fixed
    form (the same view id and hash) is worked on when it is submitted again."""
    give_back(context)
    return ack(response_action="errors", errors=errors)


def release_unanswered(context: BoltContext) -> None:
    """After a listener failed: a submission it never answered may be submitted again."""
    ack = context.ack
    if ack is None or ack.response is None:
        give_back(context)


def handled_once(runtime: Runtime) -> Callable[..., BoltResponse | None]:
    """A Bolt global middleware that lets each submission and event through once."""

    def middleware(
        body: dict[str, Any], context: BoltContext, next: Callable[[], None]
    ) -> BoltResponse | None:
        key = request_key(body)
        if key is None:
            next()
            return None
        try:
            with runtime.transaction() as session:
                fresh = claim_request(session, key=key, today=runtime.now().date())
        except Exception:
            # Without the database the listener still answers (politely, it cannot save).
            logger.warning("could not record %s; handling it anyway", key.split(":", 1)[0])
            next()
            return None
        if not fresh:
            logger.info("%s delivered again; already handled", key.split(":", 1)[0])
            return BoltResponse(status=200, body="")
        if body.get("type") == "view_submission":

            def release() -> None:
                with runtime.transaction() as session:
                    release_request(session, key=key)

            context[CLAIM_KEY] = release
        next()
        return None

    return middleware
