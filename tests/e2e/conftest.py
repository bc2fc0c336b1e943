"""End-to-end fixtures: the app served over a real socket, driven by signed requests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.demo.stack import SandboxStack
from tests.blockkit_check import payload_problems

# A Monday morning in UTC; tests move the clock from here.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def stack(db_url: str) -> Iterator[SandboxStack]:
    """The app, the emulator and the actor on a fresh, migrated database (both backends)."""
    with SandboxStack.start(db_url, now=START, migrate=False) as running:
        yield running
        assert_block_kit_valid(running)


def assert_block_kit_valid(stack: SandboxStack) -> None:
    """Every Block Kit payload the app sent in the test passes Slack's checks."""
    stack.runtime.background.wait_idle(timeout=5)
    problems = [
        f"{call.method}: {problem}"
        for call in stack.emulator.calls
        for problem in payload_problems(call.method, call.args)
    ] + [
        f"ack: {problem}" for ack in stack.emulator.acks for problem in payload_problems("ack", ack)
    ]
    assert not problems, "\n".join(problems)
