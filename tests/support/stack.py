"""The whole app served over HTTP (or Socket Mode) against the emulator, in this process."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import run_job, wire_app
from bot.config import Settings
from bot.core.web.server import EVENTS_PATH, CxPulseWSGI, HttpServer
from bot.demo.processes import new_emulator, sandbox_settings
from bot.runtime import Runtime, SettableClock
from models.db import make_engine, make_sessionmaker, upgrade
from slack_emulator.client import SlackClientActor
from slack_emulator.emulator import SlackEmulator
from tests.support.blockkit_check import payload_problems

# A Monday morning in UTC; tests move the clock from here.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Driven(Protocol):
    """What the shared steps need of an app under test: served (SandboxStack) or dispatched."""

    emulator: SlackEmulator
    settings: Settings
    runtime: Runtime
    actor: SlackClientActor
    clock: SettableClock

    def run_job(self, name: str, at: datetime | None = None) -> dict[str, Any]: ...


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


def assert_block_kit_valid(stack: SandboxStack) -> None:
    """Every Block Kit payload the app sent in the test passes Slack's checks."""
    stack.runtime.background.wait_idle(timeout=5)
    problems = [
        f"{call.method}: {problem}"
        for call in stack.emulator.calls
        for problem in payload_problems(call.method, call.args)
    ] + [
        f"ack: {problem}" for ack in stack.emulator.acks for problem in payload_problems("ack", ack)
    ]
    assert not problems, "\n".join(problems)


def opened_home(stack: Driven, user: str) -> dict[str, Any]:
    """The App Home view published when ``user`` opens it (each call waits for a new one)."""
    before = len(stack.emulator.calls_to("views.publish"))
    assert stack.actor.app_home_opened(user).status == 200
    call = stack.emulator.wait_for("views.publish", count=before + 1)[-1]
    assert call.ok, call.summary()
    view: dict[str, Any] = call.args["view"]
    return view
