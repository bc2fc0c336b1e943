"""The demo's app in a process of its own, driven over a pipe.

CPython runs one thread at a time per process. In the demo both sides are busy:
the app (Bolt, handlers, jobs, database) and Slack's side (the emulator and the
simulated people clicking). Served from a child process, the app gets a core of
its own. It is the same ``wire_app``, HTTP server and jobs as ``cxpulse serve``;
only its clock and its scheduled jobs are moved by the parent, as cron would.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import run_job, wire_app
from bot.config import Settings
from bot.core.web.server import EVENTS_PATH, HttpServer
from bot.runtime import Runtime, SettableClock, settle_heap
from models.db import make_engine, make_sessionmaker

SOCKET_MODE = "socket-mode"  # what wait_ready returns for an app reached over Socket Mode
START_TIMEOUT = 120.0  # seconds for the child to import everything and listen
CALL_TIMEOUT = 600.0  # a job over a whole simulated workspace, on a slow machine


class AppProcessError(RuntimeError):
    """The app process failed a command or died; the message carries its traceback."""


def _obey(runtime: Runtime, clock: SettableClock, command: str, arg: Any) -> Any:
    """Carry out one command from the parent; the reply is sent back as is."""
    if command == "clock":
        clock.set(arg)
        return None
    if command == "job":
        name, at = arg
        if at is not None:
            clock.set(at)
        return run_job(name, runtime, clock())
    if command == "settings":
        runtime.settings = runtime.settings.with_overrides(**arg)
        return None
    raise ValueError(f"unknown command {command!r}")


def serve_app(settings: Settings, start: datetime, conn: Connection) -> None:
    """The child: serve the app (HTTP, or Socket Mode with an app token) and obey the parent.

    It runs until the parent says "stop".
    """
    clock = SettableClock(start)
    engine = make_engine(settings.database_url)
    wired = wire_app(settings, sessions=make_sessionmaker(engine), clock=clock)
    runtime = wired.runtime
    server: HttpServer | None = None
    socket: SocketModeHandler | None = None
    if settings.slack_app_token:
        # As `cxpulse start`: no HTTP at all; Slack's requests come over the WebSocket.
        socket = wired.socket_mode_handler()
        socket.connect()  # type: ignore[no-untyped-call]
        where = SOCKET_MODE
    else:
        server = wired.http_server().start()
        where = server.url + EVENTS_PATH
    settle_heap()  # as `cxpulse serve` does
    conn.send(("ok", where))
    try:
        while True:
            command, arg = conn.recv()
            if command == "stop":
                break
            try:
                conn.send(("ok", _obey(runtime, clock, command, arg)))
            except Exception:
                conn.send(("error", traceback.format_exc()))
    finally:
        if socket is not None:
            socket.close()  # type: ignore[no-untyped-call]
        if server is not None:
            server.stop()
        runtime.background.wait_idle(timeout=5)
        runtime.shutdown()
        engine.dispose()
        conn.send(("ok", None))
        conn.close()


class AppProcess:
    """The parent's handle on the app process: its URL, and commands that wait for the reply."""

    def __init__(self, settings: Settings, start: datetime) -> None:
        """Start the child; ``wait_ready`` returns its URL once it serves HTTP."""
        # "spawn": the parent already runs threads (the emulator), which fork would copy
        # in whatever state they were in.
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._lock = threading.Lock()
        self._process = context.Process(
            target=serve_app, args=(settings, start, child), name="cxpulse-app", daemon=True
        )
        self._process.start()
        child.close()
        self.url = ""

    def wait_ready(self) -> str:
        """Wait until the app serves; return its Request URL (or ``SOCKET_MODE``)."""
        if not self.url:
            self.url = str(self._reply(START_TIMEOUT))
        return self.url

    def call(self, command: str, arg: Any = None, timeout: float = CALL_TIMEOUT) -> Any:
        """Send a command and return the app's answer (``AppProcessError`` if it failed)."""
        with self._lock:
            self._conn.send((command, arg))
            return self._reply(timeout)

    def _reply(self, timeout: float) -> Any:
        if not self._conn.poll(timeout):
            raise AppProcessError(f"the app process did not answer within {timeout:.0f}s")
        try:
            status, value = self._conn.recv()
        except EOFError as exc:
            raise AppProcessError(f"the app process exited ({self._process.exitcode})") from exc
        if status == "error":
            raise AppProcessError(f"the app process failed:\n{value}")
        return value

    def stop(self) -> None:
        """Ask the app to finish what it was doing and exit; kill it if it won't."""
        if self._process.is_alive():
            try:
                self.call("stop", timeout=30)
            except (AppProcessError, OSError):
                self._process.kill()
        self._process.join(timeout=10)
        self._conn.close()


class RemoteClock:
    """The app processes' clock as the parent sees it: ``set`` moves theirs too."""

    def __init__(self, apps: list[AppProcess], now: datetime) -> None:
        """Mirror ``now``, the apps' starting time."""
        self._apps = apps
        self._now = now

    def __call__(self) -> datetime:
        """The app's current time."""
        return self._now

    def set(self, now: datetime) -> None:
        """Move every app's clock (returns once they all have)."""
        for app in self._apps:
            app.call("clock", now)
        self._now = now
