"""The long-running modes: HTTP server, Socket Mode, and the demo."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import build_app, build_runtime
from bot.config import RunMode, Settings
from bot.leader import Leadership, leadership_for
from bot.runtime import settle_heap
from bot.scheduler import start_scheduler
from bot.stories.web import story_pages_for
from bot.web.server import CxPulseWSGI, HttpServer
from models.db import upgrade

if TYPE_CHECKING:
    from bot.demo.run import DemoOptions

logger = logging.getLogger(__name__)


def serve(settings: Settings, host: str, port: int, *, scheduler: bool = True) -> int:
    """Serve Slack's HTTP requests until interrupted."""
    settings.require(RunMode.HTTP)
    upgrade(settings.database_url)
    runtime = build_runtime(settings)
    app = build_app(settings, runtime=runtime)
    engine = runtime.sessions.kw["bind"]
    wsgi = CxPulseWSGI(
        app,
        engine,
        signing_secret=settings.slack_signing_secret,
        story_pages=story_pages_for(runtime),
        runtime=runtime,
    )
    server = HttpServer(wsgi, host=host, port=port, trusted_proxy=settings.trusted_proxy)
    leadership = leadership_for(settings.database_url).start() if scheduler else None
    jobs = start_scheduler(runtime, leadership) if leadership is not None else None
    logger.info("serving on http://%s:%d/slack/events", host, server.port)
    settle_heap()
    try:
        server.serve_forever()
    finally:
        _stop_jobs(jobs, leadership)
        runtime.shutdown()
    return 0


def _stop_jobs(jobs: BackgroundScheduler | None, leadership: Leadership | None) -> None:
    """Stop the scheduler, then give up leadership so another instance takes over at once."""
    if jobs is not None:
        jobs.shutdown(wait=False)
    if leadership is not None:
        leadership.close()


def socket_mode_handler(
    app: App, app_token: str, *, ping_interval: float = 10
) -> SocketModeHandler:
    """Bolt's Socket Mode adapter on slack_sdk's built-in client (no extra WebSocket library).

    apps.connections.open goes through the app's own WebClient, so SLACK_API_URL applies;
    ``ping_interval`` is also how soon a silently dropped socket is noticed and reopened.
    """
    return SocketModeHandler(app, app_token, ping_interval=ping_interval)


def socket_mode(settings: Settings) -> int:
    """Connect to Slack over Socket Mode (no public URL) until interrupted."""
    settings.require(RunMode.SOCKET)
    upgrade(settings.database_url)
    runtime = build_runtime(settings)
    # Socket Mode requests are not signed (Bolt skips the check); the socket is authenticated.
    app = build_app(settings, runtime=runtime)
    leadership = leadership_for(settings.database_url).start()
    jobs = start_scheduler(runtime, leadership)
    assert settings.slack_app_token is not None  # settings.require checked it
    handler = socket_mode_handler(app, settings.slack_app_token)
    logger.info("connecting to Slack over Socket Mode")
    settle_heap()
    try:
        handler.start()  # type: ignore[no-untyped-call]
    finally:
        _stop_jobs(jobs, leadership)
    return 0


def demo(settings: Settings, options: DemoOptions) -> int:
    """Run the product against the local Slack emulator (no Slack account needed)."""
    from bot.demo.run import run_demo

    return run_demo(settings, options)
