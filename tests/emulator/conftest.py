"""Fixtures for the sandbox's own tests: a running emulator and a slack_sdk client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from slack_emulator import SlackEmulator


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    """A started emulator, stopped afterwards."""
    with SlackEmulator() as running:
        yield running


@pytest.fixture
def client(emulator: SlackEmulator) -> WebClient:
    """A real slack_sdk WebClient pointed at the emulator with the default bot token."""
    return WebClient(base_url=emulator.api_url, token=emulator.bot_token, timeout=5)
