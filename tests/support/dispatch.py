"""The app without a server: ``App.dispatch(BoltRequest(...))`` as bolt-python's own scenario
tests drive it, with bodies signed as Slack signs them.

The app is wired exactly as every run mode wires it (``bot.app.wire_app``); its WebClient
talks to the emulator, which records every Web API call and holds the messages and views a
person would see, so a test clicks the buttons the app really posted. No HTTP server, no
Socket Mode: a listener test runs in a few milliseconds plus what the listener does.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.app import run_job, wire_app
from bot.config import Settings
from bot.demo.processes import new_emulator, sandbox_settings
from bot.runtime import Runtime, SettableClock
from models.db import make_engine, make_sessionmaker
from slack_emulator.client import SlackClientActor
from slack_emulator.emulator import SlackEmulator
from slack_emulator.transport import ActorResponse
from tests.support.stack import START

# The actor builds every payload itself; nothing is ever sent to this address.
NO_URL = "bolt-dispatch:"


class DispatchingActor(SlackClientActor):
    """The emulator's Slack client, handing each signed request to ``app.dispatch``."""

    def __init__(self, emulator: SlackEmulator, app: App) -> None:
        super().__init__(emulator, NO_URL)
        self.app = app

    def send(
        self,
        body: str,
        content_type: str,
        *,
        signing_secret: str | None = None,
        timestamp: int | None = None,
        retry_num: int | None = None,
        sign: bool = True,
    ) -> ActorResponse:
        """What Slack would POST, given to Bolt as a ``BoltRequest``; Bolt's answer back."""
        self.last_request = (body, content_type)
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {"content-type": [content_type], "x-slack-request-timestamp": [stamp]}
        if sign:
            verifier = SignatureVerifier(signing_secret or self.signing_secret)
            headers["x-slack-signature"] = [verifier.generate_signature(timestamp=stamp, body=body)]
        if retry_num is not None:
            headers["x-slack-retry-num"] = [str(retry_num)]
            headers["x-slack-retry-reason"] = ["http_timeout"]
        answer = self.app.dispatch(BoltRequest(body=body, headers=headers))
        text = answer.body or ""
        parsed = json.loads(text) if text.startswith("{") else None
        if answer.status == 200 and parsed:
            with self.emulator.state.lock:
                self.emulator.state.acks.append(parsed)
        flat = {name: ", ".join(values) for name, values in answer.headers.items()}
        return ActorResponse(answer.status, text, parsed, flat)


@dataclass
class DispatchedApp:
    """Emulator + the wired app (no server) + an actor that dispatches into it."""

    emulator: SlackEmulator
    settings: Settings
    runtime: Runtime
    app: App
    actor: DispatchingActor
    clock: SettableClock

    @classmethod
    def start(cls, database_url: str, *, now: datetime = START, **overrides: Any) -> DispatchedApp:
        """Wire the app on ``database_url`` (already migrated); ``overrides`` set Settings."""
        emulator = new_emulator()
        settings = sandbox_settings(emulator, database_url, **overrides)
        clock = SettableClock(now)
        sessions = make_sessionmaker(make_engine(database_url))
        wired = wire_app(settings, sessions=sessions, clock=clock)
        actor = DispatchingActor(emulator, wired.app)
        return cls(emulator, settings, wired.runtime, wired.app, actor, clock)

    def run_job(self, name: str, at: datetime | None = None) -> dict[str, Any]:
        """Run a scheduled job once, moving the app's clock to ``at`` first."""
        if at is not None:
            self.clock.set(at)
        return run_job(name, self.runtime, self.clock())

    def drain(self) -> None:
        """Wait for every listener Bolt started after its ack, then for background work.

        Bolt runs listeners on its listener executor once they have acked; shutting that
        executor down with ``wait=True`` ends this app's request handling deterministically.
        """
        self.app.listener_runner.listener_executor.shutdown(wait=True)
        assert self.runtime.background.wait_idle(timeout=5)

    def stop(self) -> None:
        """Stop background work and the emulator and release database connections."""
        self.runtime.background.wait_idle(timeout=5)
        self.runtime.shutdown()
        self.emulator.stop()
        self.runtime.sessions.kw["bind"].dispose()
