"""`cxpulse start` as a real process, connected to the emulator over Socket Mode."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot.demo.processes import APP_MANIFEST
from slack_emulator import SlackClientActor, SlackEmulator
from slack_emulator.socket_mode import SocketModeError
from tests.support.processes import app_env, free_port


@pytest.fixture
def started(db_url: str) -> Iterator[tuple[SlackEmulator, subprocess.Popen[str]]]:
    with SlackEmulator(manifest=APP_MANIFEST) as emulator:
        # No signing secret and no public URL: Socket Mode needs neither.
        env = app_env(emulator, db_url, SLACK_APP_TOKEN=emulator.app_token)
        port = str(free_port())  # its probes' port: never the shared default, 3000
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "start", "--host", "127.0.0.1", "--port", port],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            try:
                emulator.socket_mode.wait_connected(timeout=60)
            except SocketModeError:
                proc.terminate()
                raise AssertionError(
                    f"cxpulse start never connected: {proc.communicate()}"
                ) from None
            yield emulator, proc
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_start_connects_over_socket_mode_and_answers(
    started: tuple[SlackEmulator, subprocess.Popen[str]],
) -> None:
    emulator, proc = started
    (opened,) = emulator.calls_to("apps.connections.open")
    assert opened.ok
    actor = SlackClientActor(emulator, socket_mode=True, timeout=30)
    user = emulator.add_user(name="hal")["id"]
    reply = actor.slash_command(user, "help")
    assert reply.json is not None
    assert "/cx help" in json.dumps(reply.json["blocks"])
    assert actor.app_home_opened(user).status == 200
    (publish,) = emulator.wait_for("views.publish", timeout=30)
    assert publish.args["user_id"] == user
    assert proc.poll() is None
