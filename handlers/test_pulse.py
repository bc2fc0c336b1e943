"""`/cx admin` → "Send me a test pulse", and taps on a test pulse (confirmed, never stored)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.core import ids
from bot.core.context import threshold_for
from bot.pulse.views import TEST_TAPPED_TEXT, send_test_pulse
from bot.runtime import Runtime
from handlers.admin import allowed, team_of

TEST_ACTION = re.compile(rf"^{ids.PULSE_TEST}_")


def handle_send_test_pulse(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    """The admin modal's button: DM the admin who clicked a test pulse (admins only)."""
    ack()
    team_id, user_id = team_of(body, context), body["user"]["id"]
    if not allowed(runtime, client, team_id, user_id):
        return
    with runtime.sessions() as session:
        threshold = threshold_for(session, runtime, team_id)
    action = body["actions"][0]
    send_test_pulse(
        client,
        user_id=user_id,
        day=runtime.now().date(),
        threshold=threshold,
        request_key=f"{user_id}:{action.get('action_ts', '')}",
    )


def handle_test_tap(ack: Ack, respond: Respond) -> None:
    """Any button on a test pulse: confirmed to the person only; nothing is recorded."""
    ack()
    respond(response_type="ephemeral", replace_original=False, text=TEST_TAPPED_TEXT)
