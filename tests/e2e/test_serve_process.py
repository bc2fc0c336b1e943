"""`cxpulse serve` as a real process, talking to the emulator."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bot.demo.processes import APP_MANIFEST
from slack_emulator import SlackClientActor, SlackEmulator
from tests.support.processes import app_env, free_port


def _wait_healthy(url: str, proc: subprocess.Popen[str], timeout: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"cxpulse serve exited early: {proc.communicate()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310
                return dict(json.loads(resp.read()))
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("cxpulse serve did not become healthy")


@pytest.fixture
def served(db_url: str) -> Iterator[tuple[SlackEmulator, str]]:
    with SlackEmulator(manifest=APP_MANIFEST) as emulator:
        port = free_port()
        env = app_env(emulator, db_url, SLACK_SIGNING_SECRET=emulator.signing_secret)
        cmd = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"]
        proc = subprocess.Popen(
            [*cmd, "--port", str(port), "--no-scheduler"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            health = _wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
            assert health == {"ok": True}
            yield emulator, f"http://127.0.0.1:{port}/slack/events"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_serve_answers_signed_help_and_refuses_unsigned(
    served: tuple[SlackEmulator, str],
) -> None:
    emulator, url = served
    actor = SlackClientActor(emulator, url)
    user = emulator.add_user(name="hal")["id"]
    reply = actor.slash_command(user, "help")
    assert reply.status == 200
    assert reply.json is not None
    assert "/cx help" in json.dumps(reply.json["blocks"])
    assert actor.slash_command(user, "help", sign=False).status == 401
