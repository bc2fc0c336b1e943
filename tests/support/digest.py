"""The app with a whole-workspace #cx-digest channel and its leads, as the digest tests
(tests/digest, tests/privacy, tests/hardening) start it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from bot.demo.processes import new_emulator
from tests.support.stack import SandboxStack


@contextmanager
def start_digest_stack(
    db_url: str, *, now: datetime, leads: Sequence[str] = (), **settings: Any
) -> Iterator[tuple[SandboxStack, list[str], str]]:
    """(the stack, the user ids of ``leads`` added to Slack by name, the channel's id);
    ``settings`` set any other Settings field (``slack_timeout_seconds=1``...)."""
    emulator = new_emulator()
    lead_ids = [emulator.add_user(name=name)["id"] for name in leads]
    channel = emulator.add_channel("cx-digest")
    settings = {"digest_channels": ("#cx-digest",), "leads": tuple(lead_ids), **settings}
    with SandboxStack.start(db_url, now=now, migrate=False, emulator=emulator, **settings) as stack:
        yield stack, lead_ids, channel
