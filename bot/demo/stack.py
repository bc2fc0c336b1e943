"""The whole app served over HTTP against the emulator: for tests and the demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App

from bot.app import build_app, build_runtime
from bot.config import Settings
from bot.jobs import run_job
from bot.runtime import Runtime, SettableClock
from bot.web.server import EVENTS_PATH, CxPulseWSGI, HttpServer
from models.db import make_engine, make_sessionmaker, upgrade
from slack_emulator.client import SlackClientActor
from slack_emulator.emulator import SlackEmulator

SANDBOX_SECRET = "sandbox-pseudonym-key"  # noqa: S105 - demo/test key, never real Slack
# A fixed Fernet key for the sandbox's (emulated) tokens only; real installs set their own.
SANDBOX_TOKEN_KEY = "c2FuZGJveC10b2tlbi1rZXktbm90LWZvci1wcm9kISE="  # noqa: S105


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

    @classmethod
    def start(
        cls,
        database_url: str,
        *,
        now: datetime | None = None,
        migrate: bool = True,
        emulator: SlackEmulator | None = None,
        **overrides: Any,
    ) -> SandboxStack:
        """Start everything; ``overrides`` set Settings fields (teams, channels, leads…)."""
        emulator = emulator or SlackEmulator().start()
        settings = sandbox_settings(emulator, database_url, **overrides)
        if migrate:
            upgrade(database_url)
        clock = SettableClock(now or datetime.now(UTC))
        engine = make_engine(database_url)
        runtime = build_runtime(settings, sessions=make_sessionmaker(engine), clock=clock)
        app = build_app(settings, runtime=runtime)
        wsgi = CxPulseWSGI(app, engine, signing_secret=settings.slack_signing_secret)
        server = HttpServer(wsgi, port=0).start()
        actor = SlackClientActor(emulator, server.url + EVENTS_PATH)
        return cls(emulator, settings, runtime, app, server, actor, clock)

    def run_job(self, name: str, at: datetime | None = None) -> dict[str, Any]:
        """Run a scheduled job once, moving the app's clock to ``at`` first."""
        if at is not None:
            self.clock.set(at)
        return run_job(name, self.runtime, self.clock())

    def stop(self) -> None:
        """Stop the server and the emulator and release database connections."""
        self.server.stop()
        self.runtime.background.wait_idle(timeout=5)
        self.runtime.shutdown()
        self.emulator.stop()
        self.runtime.sessions.kw["bind"].dispose()

    def __enter__(self) -> SandboxStack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
