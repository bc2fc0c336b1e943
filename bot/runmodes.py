"""The long-running modes: HTTP server, Socket Mode, and the demo."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler

from bot.app import wire_app
from bot.config import RunMode, Settings
from bot.leader import Leadership, leadership_for
from bot.runtime import settle_heap
from bot.scheduler import start_scheduler
from models.db import upgrade

if TYPE_CHECKING:
    from bot.demo.run import DemoOptions

logger = logging.getLogger(__name__)


def serve(settings: Settings, host: str, port: int, *, scheduler: bool = True) -> int:
    """Serve Slack's HTTP requests until interrupted."""
    settings.require(RunMode.HTTP)
    upgrade(settings.database_url)
    wired = wire_app(settings)
    runtime = wired.runtime
    server = wired.http_server(host=host, port=port)
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


def socket_mode(settings: Settings) -> int:
    """Connect to Slack over Socket Mode (no public URL) until interrupted."""
    settings.require(RunMode.SOCKET)
    upgrade(settings.database_url)
    # Socket Mode requests are not signed (Bolt skips the check); the socket is authenticated.
    wired = wire_app(settings)
    leadership = leadership_for(settings.database_url).start()
    jobs = start_scheduler(wired.runtime, leadership)
    handler = wired.socket_mode_handler()
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
