"""The one ``stack`` fixture (a pytest plugin, registered in tests/conftest.py).

``stack`` is the app served over a real socket against the emulator, on a fresh migrated
database of each backend. Tests that need it set up differently say so:

- ``@pytest.mark.stack(**options)`` on a test or module (``pytestmark``): ``now`` (the app's
  clock, default ``START``), ``channels`` (emulator channels to create first), ``users``
  (``(user id, name, email)`` added to Slack and synced), ``block_kit_checked`` (default True:
  every Block Kit payload the app sent must pass Slack's checks), and any Settings field
  (``public_url=...``, ``digest_channels=...``, ``slack_timeout_seconds=1``...).
- ``@pytest.mark.parametrize("stack", TRANSPORTS, indirect=True)``: reach the app over signed
  HTTP and over the emulator's Socket Mode WebSocket.

``party`` is the ``stack`` of the celebration tests: a lead, colleagues and a
#celebrations channel (tests/support/celebrations.py, ``start_party``).

``dispatched`` is the same app with no server: its actor hands each signed request to
``app.dispatch`` (tests/support/dispatch.py), for fast listener tests. It takes the same
``stack`` mark (``now``, ``users`` and Settings fields).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.demo.processes import new_emulator
from bot.workspace import roles
from tests.support.celebrations import Party, start_party
from tests.support.dispatch import DispatchedApp
from tests.support.stack import START, SandboxStack, assert_block_kit_valid

TRANSPORTS = ["http", "socket_mode"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "stack(**options): how the `stack` fixture sets the app up (tests/support)"
    )


@pytest.fixture
def stack(request: pytest.FixtureRequest, db_url: str) -> Iterator[SandboxStack]:
    """The app, the emulator and a Slack-client actor; see the module docstring for options."""
    marker = request.node.get_closest_marker("stack")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    now = options.pop("now", START)
    channels = options.pop("channels", ())
    users = options.pop("users", ())
    checked = options.pop("block_kit_checked", True)
    socket_mode = getattr(request, "param", "http") == "socket_mode"
    roles.clear_cache()  # who is a lead or admin is cached per process, keyed by team id
    emulator = new_emulator()
    for channel in channels:
        emulator.add_channel(channel)
    with SandboxStack.start(
        db_url, now=now, migrate=False, emulator=emulator, socket_mode=socket_mode, **options
    ) as running:
        assert running.actor.socket_mode is socket_mode
        for user_id, name, email in users:
            running.emulator.add_user(user_id, name=name, email=email)
        if users:
            running.run_job("sync-users")
        yield running
        if checked:
            assert_block_kit_valid(running)
    roles.clear_cache()


@pytest.fixture
def party(db_url: str) -> Iterator[Party]:
    """A lead, colleagues and #celebrations, the app configured as ``start_party`` does."""
    with start_party(db_url) as running:
        yield running


@pytest.fixture
def dispatched(request: pytest.FixtureRequest, db_url: str) -> Iterator[DispatchedApp]:
    """The wired app without a server, driven through ``app.dispatch(BoltRequest)``."""
    marker = request.node.get_closest_marker("stack")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    users = options.pop("users", ())
    roles.clear_cache()
    app = DispatchedApp.start(db_url, **options)
    try:
        for user_id, name, email in users:
            app.emulator.add_user(user_id, name=name, email=email)
        if users:
            app.run_job("sync-users")
        yield app
    finally:
        app.stop()
        roles.clear_cache()
