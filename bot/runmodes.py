"""The long-running modes: HTTP server, Socket Mode, and the demo."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler

from bot.app import wire_app
from bot.config import ConfigError, RunMode, Settings
from bot.core.leader import Leadership, leadership_for
from bot.core.web.server import HttpServer
from bot.ops.health import ops_for
from bot.ops.shutdown import DRAIN_SECONDS, StopSignal
from bot.runtime import Runtime, settle_heap
from bot.scheduler import start_scheduler
from models.db import upgrade

if TYPE_CHECKING:
    from bot.demo.run import DemoOptions

logger = logging.getLogger(__name__)


def serve(settings: Settings, host: str, port: int, *, scheduler: bool = True) -> int:
    """Serve Slack's HTTP requests until SIGTERM or Ctrl-C, then stop gracefully."""
    settings.require(RunMode.HTTP)
    upgrade(settings.database_url)
    wired = wire_app(settings)
    runtime = wired.runtime
    server = _listening(lambda: wired.http_server(host=host, port=port), host, port)
    stop = StopSignal().install()
    leadership, jobs = _start_jobs(runtime) if scheduler else (None, None)
    server.start()
    logger.info("serving on http://%s:%d/slack/events", host, server.port)
    settle_heap()
    try:
        stop.wait()
    finally:
        # New connections are refused first; requests already in are answered.
        server.drain(DRAIN_SECONDS)
        _stop_jobs(jobs, leadership)
        runtime.shutdown()
    logger.info("stopped")
    return 0


def _listening(bind: Callable[[], HttpServer], host: str, port: int) -> HttpServer:
    """``bind()``, or a ConfigError saying which address could not be listened on."""
    try:
        return bind()
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
            "choose another port with --port or PORT"
        ) from None


def _start_jobs(runtime: Runtime) -> tuple[Leadership, BackgroundScheduler]:
    leadership = leadership_for(runtime.settings.database_url).start()
    runtime.metrics.watch_leadership(leadership)
    return leadership, start_scheduler(runtime, leadership)


def _stop_jobs(jobs: BackgroundScheduler | None, leadership: Leadership | None) -> None:
    """Stop the scheduler (a running job finishes), then give up leadership so another
    instance takes over at once."""
    if jobs is not None:
        jobs.shutdown(wait=True)
    if leadership is not None:
        leadership.close()


def socket_mode(settings: Settings, host: str = "0.0.0.0", port: int = 3000) -> int:  # noqa: S104
    """Connect to Slack over Socket Mode (no public URL) until SIGTERM or Ctrl-C.

    /healthz, /readyz and /metrics are served on ``host``:``port`` meanwhile.
    """
    settings.require(RunMode.SOCKET)
    upgrade(settings.database_url)
    # Socket Mode requests are not signed (Bolt skips the check); the socket is authenticated.
    wired = wire_app(settings)
    runtime = wired.runtime
    ops = ops_for(runtime)
    probes = _listening(lambda: HttpServer(ops, host=host, port=port, threads=4), host, port)
    stop = StopSignal().install()
    leadership, jobs = _start_jobs(runtime)
    handler = wired.socket_mode_handler()
    probes.start()
    logger.info("connecting to Slack over Socket Mode; probes on http://%s:%d", host, probes.port)
    handler.connect()  # type: ignore[no-untyped-call]
    settle_heap()
    try:
        stop.wait()
    finally:
        ops.stopping.set()  # /readyz answers 503 from now on
        # Closing waits for the messages being handled; Slack redelivers any it sends later.
        handler.close()  # type: ignore[no-untyped-call]
        _stop_jobs(jobs, leadership)
        runtime.shutdown()
        probes.stop()
    logger.info("stopped")
    return 0


def demo(settings: Settings, options: DemoOptions) -> int:
    """Run the product against the local Slack emulator (no Slack account needed)."""
    from bot.demo.run import run_demo

    return run_demo(settings, options)
