"""Slack calls that do their work and then fail, and the impatient client that notices."""

from __future__ import annotations

from slack_emulator import SlackEmulator

# Each is a call Slack carried out whose answer the app never got whole.
KINDS = ["server_error", "disconnect", "cut", "timeout"]


def post_then_fail(emulator: SlackEmulator, kind: str, method: str = "chat.postMessage") -> None:
    """The next call to ``method`` does its work, then fails as ``kind``."""
    emulator.inject_fault(method, kind, done=True, status=503, delay=1.5)


# A 1 s Web API timeout (a Settings field), so an injected 1.5 s stall is a timeout.
IMPATIENT = {"slack_timeout_seconds": 1}
