"""The demo's stack: the emulator and simulated people here, the app in processes of its own.

Like a production deployment with several instances behind a load balancer, the
app runs as ``APP_PROCESSES`` processes sharing one database; Slack's requests are
spread over them by user, and one of them (the leader) runs the scheduled jobs.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.demo.app_process import SOCKET_MODE, START_TIMEOUT, AppProcess, RemoteClock
from models.db import make_engine, make_sessionmaker, upgrade
from slack_emulator.client import SlackClientActor
from slack_emulator.emulator import SlackEmulator

# Two: with the simulated people and the emulator here, three busy processes share this
# machine's two cores (measured: one app process leaves the second core half idle).
APP_PROCESSES = 2
SOCKET_TIMEOUT = 60.0  # a request may wait for a busy app to ack or to reconnect

SANDBOX_SECRET = "n1rJ8Luyim1TIIet0lxuSQRTtzbojr1t3bt6-YU9nYU"  # noqa: S105 - demo/test key, never real Slack
# A fixed Fernet key for the sandbox's (emulated) tokens only; real installs set their own.
SANDBOX_TOKEN_KEY = "eTr5Qh5H6wUntC9XZYxIbHzRztBTXdlrN0CCtnJnKnQ="  # noqa: S105
# The manifest real Slack is given: the emulator escapes slash-command text as it says.
APP_MANIFEST = Path(__file__).resolve().parents[2] / "app.yaml"


def new_emulator() -> SlackEmulator:
    """A started emulator that behaves as Slack does for this app's manifest."""
    return SlackEmulator(manifest=APP_MANIFEST).start()


def sandbox_settings(emulator: SlackEmulator, database_url: str, **overrides: Any) -> Settings:
    """Settings for the app talking to ``emulator``; ``overrides`` set any other field."""
    return Settings(
        slack_bot_token=emulator.bot_token,
        slack_signing_secret=emulator.signing_secret,
        slack_api_url=emulator.api_url,
        database_url=database_url,
        cxpulse_secret=SANDBOX_SECRET,
        cxpulse_token_key=SANDBOX_TOKEN_KEY,
    ).with_overrides(**overrides)


@dataclass
class DemoStack:
    """What the demo drives: Slack's side in this process, the app served from others."""

    emulator: SlackEmulator
    settings: Settings
    apps: list[AppProcess]
    actors: list[SlackClientActor]
    clock: RemoteClock
    sessions: sessionmaker[Session]

    @classmethod
    def start(
        cls,
        database_url: str,
        *,
        now: datetime,
        processes: int = APP_PROCESSES,
        socket_mode: bool = False,
    ) -> DemoStack:
        """Migrate the database, start the emulator, then the app processes against both.

        With ``socket_mode`` each process connects to the emulator's Socket Mode (as
        `cxpulse start` does) and Slack spreads requests over the connections.
        """
        upgrade(database_url)
        emulator = new_emulator()
        token = {"slack_app_token": emulator.app_token} if socket_mode else {}
        settings = sandbox_settings(emulator, database_url, **token)
        apps: list[AppProcess] = []
        try:
            apps.extend(AppProcess(settings, now) for _ in range(max(1, processes)))
            urls = [app.wait_ready() for app in apps]
            if socket_mode:
                emulator.socket_mode.wait_connected(count=len(apps), timeout=START_TIMEOUT)
        except Exception:
            for app in apps:
                app.stop()
            emulator.stop()
            raise
        actors = [
            SlackClientActor(emulator, socket_mode=True, timeout=SOCKET_TIMEOUT)
            if url == SOCKET_MODE
            else SlackClientActor(emulator, url)
            for url in urls
        ]
        sessions = make_sessionmaker(make_engine(database_url))
        return cls(emulator, settings, apps, actors, RemoteClock(apps, now), sessions)

    @property
    def socket_mode(self) -> bool:
        """Whether Slack reaches the app over Socket Mode rather than HTTP."""
        return self.actor.socket_mode

    @property
    def actor(self) -> SlackClientActor:
        """A Slack client sending to the first app process."""
        return self.actors[0]

    def actor_for(self, user_id: str) -> SlackClientActor:
        """The Slack client for ``user_id``'s requests (the same process each time).

        With more than one process, the first runs the scheduled jobs and the others
        answer Slack, so a job never waits behind a burst of clicks.
        """
        web = self.actors[1:] or self.actors
        return web[zlib.crc32(user_id.encode()) % len(web)]

    def configure(self, **overrides: Any) -> None:
        """Change settings (teams, leads, channels…) in every app process, as an admin would."""
        for app in self.apps:
            app.call("settings", overrides)
        self.settings = self.settings.with_overrides(**overrides)

    def run_job(self, name: str, at: datetime | None = None) -> dict[str, Any]:
        """Run a scheduled job once in the leader, moving the clocks to ``at`` first."""
        if at is not None:
            self.clock.set(at)
        result: dict[str, Any] = self.apps[0].call("job", (name, None))
        return result

    def stop(self) -> None:
        """Stop the app processes, the emulator, and this side's database connections."""
        try:
            for app in self.apps:
                app.stop()
        finally:
            self.emulator.stop()
            self.sessions.kw["bind"].dispose()

    def __enter__(self) -> DemoStack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
