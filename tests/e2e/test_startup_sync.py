"""Day one: `cxpulse start` and `cxpulse serve` copy the Slack directory right after start.

Without it a fresh install knows nobody until the hourly `sync-users` at :07, so nobody can
get a pulse (or a test pulse) before then.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, select

from bot.demo.processes import APP_MANIFEST
from models import Person
from slack_emulator import SlackEmulator
from tests.support.processes import app_env, free_port


def _people(db_url: str) -> set[str]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(select(Person.slack_user_id)))
    except Exception:  # the process has not created the tables yet
        return set()
    finally:
        engine.dispose()


@pytest.mark.parametrize("mode", ["start", "serve"])
def test_a_started_app_syncs_the_directory_at_once(db_url: str, mode: str) -> None:
    with SlackEmulator(manifest=APP_MANIFEST) as emulator:
        alice = emulator.add_user(name="alice", tz="Europe/Paris")["id"]
        bob = emulator.add_user(name="bob", tz="America/Chicago")["id"]
        env = app_env(emulator, db_url)
        if mode == "start":
            env["SLACK_APP_TOKEN"] = emulator.app_token
            # Its probes get a port of their own, never the shared default 3000.
            port = str(free_port())
            cmd = [sys.executable, "-m", "bot.cli", "start", "--host", "127.0.0.1", "--port", port]
        else:
            env["SLACK_SIGNING_SECRET"] = emulator.signing_secret
            port = str(free_port())
            cmd = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", port]
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            deadline = time.monotonic() + 60
            people: set[str] = set()
            while time.monotonic() < deadline and proc.poll() is None:
                people = _people(db_url)
                if people >= {alice, bob}:
                    break
                time.sleep(0.3)
            assert proc.poll() is None, proc.communicate()
            assert people == {alice, bob}
            assert emulator.calls_to("users.list")
        finally:
            proc.terminate()
            # Within a rolling deploy's usual grace period (30 s): one CI run saw `start` take
            # over 10 s to close its socket and scheduler after SIGTERM.
            proc.wait(timeout=30)
