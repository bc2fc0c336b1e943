"""Privacy attack fixtures: the app over real HTTP against the emulator, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.demo.stack import SandboxStack

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def stack(db_url: str) -> Iterator[SandboxStack]:
    """The app, the emulator and the actor on a fresh, migrated database."""
    with SandboxStack.start(db_url, now=START, migrate=False) as running:
        yield running
