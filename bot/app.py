"""The app factory: the list of features, each added by its register(parts)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.error import BoltError
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy.orm import Session, sessionmaker

from bot import (
    admin,
    alerts,
    celebrations,
    customers,
    digest,
    home,
    insights,
    moments,
    notes,
    ops,
    outcomes,
    pulse,
    stories,
    workspace,
)
from bot import settings as settings_feature  # not to be confused with Settings
from bot.config import Settings
from bot.core.context import RequestContextMiddleware
from bot.core.errors import handle_error
from bot.core.features import Feature, Parts
from bot.core.jobs import Job
from bot.core.once import handled_once
from bot.core.router import add_cx
from bot.core.web.server import CxPulseWSGI, HttpServer
from bot.ops.metrics import AckTimer, RequestMetrics, clear_request_id
from bot.runtime import ClientProvider, Runtime, real_clock
from models.db import make_engine, make_sessionmaker

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

logger = logging.getLogger(__name__)

# The app is this list: each feature's register(parts) adds all it has. Order is the tie-break
# of the help and of Bolt's listener matching.
FEATURES: tuple[Feature, ...] = (
    home,
    pulse,
    settings_feature,
    moments,
    customers,
    stories,
    celebrations,
    admin,
    outcomes,
    notes,
    digest,
    workspace,
    insights,
    alerts,
    ops,
)


class ListenerValues(Middleware):
    """Puts app-wide values in each request's context, so listeners receive them by name."""

    def __init__(self, **values: object) -> None:
        """``values``: context key -> value, the same for every request."""
        self.values = values

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Add the values, then go on."""
        req.context.update(self.values)
        return next()


@dataclass
class WiredApp:
    """The app as every run mode starts it: its runtime and its Bolt App, wired once."""

    runtime: Runtime
    parts: Parts

    @property
    def app(self) -> App:
        """The Bolt App, every feature's listeners registered."""
        return self.parts.app

    def wsgi(self) -> CxPulseWSGI:
        """The WSGI app: Slack's requests and every feature's HTTP routes."""
        return CxPulseWSGI(self.app, self.runtime, self.parts.routes)

    def http_server(
        self, *, host: str = "127.0.0.1", port: int = 0, wsgi: CxPulseWSGI | None = None
    ) -> HttpServer:
        """The HTTP server for ``wsgi`` (default: a new ``self.wsgi()``); not started yet."""
        trusted_proxy = self.runtime.settings.trusted_proxy
        return HttpServer(wsgi or self.wsgi(), host=host, port=port, trusted_proxy=trusted_proxy)

    def socket_mode_handler(self, *, ping_interval: float = 10) -> SocketModeHandler:
        """Bolt's Socket Mode adapter on slack_sdk's built-in client (no extra WebSocket library).

        apps.connections.open goes through the app's own WebClient, so SLACK_API_URL applies;
        ``ping_interval`` is also how soon a silently dropped socket is noticed and reopened.
        """
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        app_token = self.runtime.settings.slack_app_token
        if not app_token:
            raise ValueError("Socket Mode needs SLACK_APP_TOKEN")
        handler = SocketModeHandler(self.app, app_token, ping_interval=ping_interval)
        listeners = handler.client.socket_mode_request_listeners
        # Before Bolt's own listener: a message's log lines never carry the previous one's id.
        listeners.insert(0, clear_request_id)
        # Around Bolt's listener (dispatch, then the answer sent back): the ack's latency.
        timer = AckTimer(self.runtime.metrics)
        listeners.insert(0, timer.socket_started)
        listeners.append(timer.socket_answered)
        return handler


def wire_app(
    settings: Settings,
    *,
    sessions: sessionmaker[Session] | None = None,
    clock: Callable[[], datetime] = real_clock,
) -> WiredApp:
    """The one place the app is wired: `cxpulse serve`, `cxpulse start`, the demo, the tests."""
    runtime = build_runtime(settings, sessions=sessions, clock=clock)
    warm_up()
    return WiredApp(runtime=runtime, parts=build_parts(settings, runtime=runtime))


# Imported on first use so the command line starts fast; a running app loads them now, or
# the first moment (sentiment) or chart would pay seconds inside Slack's 3-second ack window.
HEAVY_MODULES = ("textblob", "matplotlib.figure")


def warm_up() -> None:
    """Import what listeners need but the command line does not."""
    for name in HEAVY_MODULES:
        importlib.import_module(name)


def build_runtime(
    settings: Settings,
    *,
    sessions: sessionmaker[Session] | None = None,
    clock: Callable[[], datetime] = real_clock,
) -> Runtime:
    """The shared dependencies: database sessions, Slack clients, the clock."""
    if sessions is None:
        sessions = make_sessionmaker(make_engine(settings.database_url))
    if not settings.oauth_enabled:
        return Runtime(
            settings=settings, sessions=sessions, clients=ClientProvider(settings), clock=clock
        )
    # Multi-workspace: each workspace's bot token comes from the installation store.
    from bot.workspace.oauth import make_installation_store, token_lookup

    store = make_installation_store(settings, sessions)
    return Runtime(
        settings=settings,
        sessions=sessions,
        clients=ClientProvider(settings, token_for_team=token_lookup(store, sessions)),
        clock=clock,
        installations=store,
    )


def build_app(settings: Settings, *, runtime: Runtime | None = None) -> App:
    """A Bolt App with every listener registered; nothing is started."""
    return build_parts(settings, runtime=runtime).app


def build_parts(settings: Settings, *, runtime: Runtime | None = None) -> Parts:
    """Every feature registered on a new Bolt App; nothing is started."""
    runtime = runtime or build_runtime(settings)
    oauth_flow = None
    if runtime.installations is not None:
        from bot.workspace.oauth import build_oauth_flow

        oauth_flow = build_oauth_flow(settings, runtime.installations)
    app = App(
        signing_secret=settings.slack_signing_secret or "",
        client=runtime.clients.default(),
        oauth_flow=oauth_flow,
        # Slack's own retries must not fail on a slow first attempt; dedupe is ours.
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        # Slack's signature is checked once, by the HTTP door before anything is parsed
        # (CxPulseWSGI, slack_sdk's SignatureVerifier); Socket Mode messages carry none.
        request_verification_enabled=False,
    )
    # First: counts the request and names it for the logs (the transports time its ack).
    app.use(RequestMetrics(runtime.metrics))

    app.error(handle_error)
    # A replayed submission or a retried event does its work once (both run modes).
    app.middleware(handled_once(runtime))
    parts = Parts(app=app)
    # Every listener is a module-level function; what it needs besides Slack's own
    # arguments reaches it the way Bolt passes context values: by parameter name.
    app.use(ListenerValues(runtime=runtime, router=parts.commands, home=parts.home))
    # Who asks, where, and what is in force there: `cx`, each value looked up on first use.
    app.use(RequestContextMiddleware(runtime))
    # `/cx` first: Bolt tries listeners in order, building each matcher's arguments, so
    # the one listener every slash command goes to is found at once (~1 ms less per ack).
    add_cx(parts.app, parts.commands)
    for feature in FEATURES:
        feature.register(parts)
    return parts


def offline_parts() -> Parts:
    """Every feature registered on a Bolt App that never talks to Slack: for the command
    line's commands and the scheduler's job list, which need no tokens."""
    app = App(
        signing_secret="offline",  # noqa: S106 - never verifies a request
        authorize=_no_workspace,
        request_verification_enabled=False,
    )
    parts = Parts(app=app)
    add_cx(parts.app, parts.commands)
    for feature in FEATURES:
        feature.register(parts)
    return parts


def _no_workspace(**_: object) -> AuthorizeResult:
    """Bolt's authorize hook for an App that serves no workspace (never called)."""
    raise BoltError("this app only lists what the features register")


def all_jobs() -> dict[str, Job]:
    """Every feature's scheduled jobs, by name."""
    return dict(offline_parts().jobs.jobs)


def run_job(name: str, runtime: Runtime, at: datetime | None = None) -> dict[str, Any]:
    """Run job ``name`` once, as if the time were ``at`` (default: now)."""
    from bot.core.jobs import run_counted

    jobs = all_jobs()
    if name not in jobs:
        raise KeyError(f"unknown job {name!r}; known: {', '.join(sorted(jobs))}")
    return run_counted(jobs[name], runtime, at or runtime.now())
