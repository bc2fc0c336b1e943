"""The whole app served over HTTP against the emulator: for tests and the demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import run_job, wire_app
from bot.config import Settings
from bot.runtime import Runtime, SettableClock
from bot.web.server import EVENTS_PATH, CxPulseWSGI, HttpServer
from models.db import make_engine, make_sessionmaker, upgrade
from slack_emulator.client import SlackClientActor
from slack_emulator.emulator import SlackEmulator

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
class SandboxStack:
    """Emulator + app (served by waitress on a free port) + a Slack-client actor."""

    emulator: SlackEmulator
    settings: Settings
    runtime: Runtime
    app: App
    server: HttpServer
    actor: SlackClientActor
    clock: SettableClock
    extra: dict[str, Any] = field(default_factory=dict)
    socket: SocketModeHandler | None = None
    wsgi: CxPulseWSGI | None = None

    @classmethod
    def start(
        cls,
        database_url: str,
        *,
        now: datetime | None = None,
        migrate: bool = True,
        emulator: SlackEmulator | None = None,
        socket_mode: bool = False,
        **overrides: Any,
    ) -> SandboxStack:
        """Start everything; ``overrides`` set Settings fields (teams, channels, leads…).

        With ``socket_mode`` the app also connects to the emulator's Socket Mode, and the
        actor sends every request over that WebSocket instead of signed HTTP.
        """
        emulator = emulator or new_emulator()
        if socket_mode:
            overrides.setdefault("slack_app_token", emulator.app_token)
        settings = sandbox_settings(emulator, database_url, **overrides)
        if migrate:
            upgrade(database_url)
        clock = SettableClock(now or datetime.now(UTC))
        engine = make_engine(database_url)
        wired = wire_app(settings, sessions=make_sessionmaker(engine), clock=clock)
        runtime, app, wsgi = wired.runtime, wired.app, wired.wsgi()
        server = wired.http_server(wsgi=wsgi).start()
        if not socket_mode:
            actor = SlackClientActor(emulator, server.url + EVENTS_PATH)
            return cls(emulator, settings, runtime, app, server, actor, clock, wsgi=wsgi)
        # A short ping interval so a dropped socket is noticed within a second or two.
        socket = wired.socket_mode_handler(ping_interval=1)
        socket.connect()  # type: ignore[no-untyped-call]
        emulator.socket_mode.wait_connected()
        # Room for the app to notice a cut socket (slack_sdk: ~4 missed pongs) and reconnect.
        actor = SlackClientActor(emulator, socket_mode=True, timeout=20)
        return cls(emulator, settings, runtime, app, server, actor, clock, socket=socket, wsgi=wsgi)

    def run_job(self, name: str, at: datetime | None = None) -> dict[str, Any]:
        """Run a scheduled job once, moving the app's clock to ``at`` first."""
        if at is not None:
            self.clock.set(at)
        return run_job(name, self.runtime, self.clock())

    def stop(self) -> None:
        """Stop the server and the emulator and release database connections."""
        if self.socket is not None:
            self.socket.close()  # type: ignore[no-untyped-call]
        self.server.stop()
        self.runtime.background.wait_idle(timeout=5)
        self.runtime.shutdown()
        self.emulator.stop()
        self.runtime.sessions.kw["bind"].dispose()

    def __enter__(self) -> SandboxStack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
