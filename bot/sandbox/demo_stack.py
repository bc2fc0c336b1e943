"""The demo's stack: the emulator and simulated people here, the app in its own process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.sandbox.app_process import AppProcess, RemoteClock
from bot.sandbox.client import SlackClientActor
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.stack import sandbox_settings
from models.db import make_engine, make_sessionmaker, upgrade


@dataclass
class DemoStack:
    """What the demo drives: Slack's side in this process, the app served from another."""

    emulator: SlackEmulator
    settings: Settings
    app: AppProcess
    actor: SlackClientActor
    clock: RemoteClock
    sessions: sessionmaker[Session]

    @classmethod
    def start(cls, database_url: str, *, now: datetime) -> DemoStack:
        """Migrate the database, start the emulator, then the app process against both."""
        upgrade(database_url)
        emulator = SlackEmulator().start()
        settings = sandbox_settings(emulator, database_url)
        try:
            app = AppProcess(settings, now)
        except Exception:
            emulator.stop()
            raise
        actor = SlackClientActor(emulator, app.url)
        sessions = make_sessionmaker(make_engine(database_url))
        return cls(emulator, settings, app, actor, RemoteClock(app, now), sessions)

    def configure(self, **overrides: Any) -> None:
        """Change settings (teams, leads, channels…) in the running app, as an admin would."""
        self.app.call("settings", overrides)
        self.settings = self.settings.with_overrides(**overrides)

    def run_job(self, name: str, at: datetime | None = None) -> dict[str, Any]:
        """Run a scheduled job once in the app, moving its clock to ``at`` first."""
        if at is not None:
            self.clock.set(at)
        result: dict[str, Any] = self.app.call("job", (name, None))
        return result

    def wait_idle(self, timeout: float = 10) -> bool:
        """Wait until the app has finished the work its listeners queued in the background."""
        return bool(self.app.call("idle", timeout))

    def stop(self) -> None:
        """Stop the app process, the emulator, and this side's database connections."""
        try:
            self.app.stop()
        finally:
            self.emulator.stop()
            self.sessions.kw["bind"].dispose()

    def __enter__(self) -> DemoStack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
