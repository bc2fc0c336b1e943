"""Attack: read the app's logs, as `cxpulse -v` writes them (DEBUG), for tokens and answers.

An OAuth install (the bot token comes back in oauth.v2.access's body), a pulse, a tap
and a note are logged at DEBUG; the log must hold no token, no request or response
body, no answer and no note.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, datetime

from bot.cli import configure_logging
from tests.support.dm_taps import tap
from tests.support.oauth import install, oauth_stack
from tests.support.waiting import wait_until

PULSE_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
NOTE = "my manager shouted at me today"


def test_debug_logs_hold_no_token_body_or_answer(db_url: str) -> None:
    out = io.StringIO()
    handler = configure_logging(logging.DEBUG, stream=out)
    try:
        with oauth_stack(db_url) as stack:
            token = install(stack, "T0LOGS", "Logs Inc")
            user = stack.emulator.add_user(name="ann", tz="Europe/London", team_id="T0LOGS")["id"]
            stack.run_job("sync-users", PULSE_AT)
            stack.run_job("pulses", PULSE_AT)
            wait_until(lambda: stack.emulator.dm_channel(user, team_id="T0LOGS"), what="the DM")
            tap(stack, user, 1, note=NOTE, team_id="T0LOGS")
            stack.runtime.background.wait_idle(timeout=5)
            secrets = [
                token,
                stack.settings.slack_client_secret or "",
                stack.emulator.signing_secret,
            ]
    finally:
        logging.getLogger().removeHandler(handler)
    logged = out.getvalue()
    assert "DEBUG" in logged  # the scan really read a DEBUG log
    assert len(logged) > 2000
    for secret in secrets:
        assert secret not in logged
    assert re.search(r"xox[abposr]-[A-Za-z0-9-]{6,}", logged) is None
    assert NOTE not in logged
    assert "you chose" not in logged.lower()
    assert re.search(r"pulse_score_\d", logged) is None  # which face was tapped
    # Bodies may be named, never shown.
    assert re.search(r"(body|body_params|json_body|query_params): (?!\[redacted\])", logged) is None
