"""The app factory: a Bolt App with every handler module registered."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.ops.health import OpsEndpoints, ops_for
from bot.ops.metrics import RequestMetrics, clear_request_id
from bot.runtime import ClientProvider, Runtime, real_clock
from bot.stories.web import story_pages_for
from bot.web.prompt_ack import AckFirstExecutor, PromptAckMiddleware
from bot.web.server import CxPulseWSGI, HttpServer
from handlers import (
    admin,
    celebrate,
    commands,
    customers,
    digest,
    direct_messages,
    home,
    installs,
    leads,
    moments,
    notes,
    outcomes,
    pulse,
    pulse_settings,
    stories,
    test_pulse,
)
from handlers.errors import handle_error
from handlers.once import handled_once
from handlers.router import CommandRouter
from models.db import make_engine, make_sessionmaker

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

logger = logging.getLogger(__name__)

# Each module exposes register(app, *, runtime, router). Order is the help's tie-break.
HANDLER_MODULES: tuple[ModuleType, ...] = (
    home,
    pulse,
    pulse_settings,
    moments,
    customers,
    stories,
    celebrate,
    admin,
    test_pulse,
    outcomes,
    notes,
    digest,
    leads,
    installs,
    direct_messages,
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
    app: App

    def wsgi(self, ops: OpsEndpoints | None = None) -> CxPulseWSGI:
        """The WSGI app: Slack's requests, the story pages, the outcomes webhook, and /healthz,
        /readyz, /metrics (``ops``, default: a new ``ops_for(self.runtime)``)."""
        return CxPulseWSGI(
            self.app,
            self.runtime.sessions.kw["bind"],
            signing_secret=self.runtime.settings.slack_signing_secret,
            story_pages=story_pages_for(self.runtime),
            runtime=self.runtime,
            ops=ops or ops_for(self.runtime),
        )

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
        # Before Bolt's own listener: a message's log lines never carry the previous one's id.
        handler.client.socket_mode_request_listeners.insert(0, clear_request_id)
        return handler


def wire_app(
    settings: Settings,
    *,
    sessions: sessionmaker[Session] | None = None,
    clock: Callable[[], datetime] = real_clock,
) -> WiredApp:
    """The one place the app is wired: `cxpulse serve`, `cxpulse start`, the demo, the tests."""
    runtime = build_runtime(settings, sessions=sessions, clock=clock)
    return WiredApp(runtime=runtime, app=build_app(settings, runtime=runtime))


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
        # With PromptAckMiddleware: Slack gets its answer the moment a listener acks.
        listener_executor=AckFirstExecutor(),
    )
    app.use(PromptAckMiddleware())
    # Right after the ack is installed: counts the request, times its ack, names it for logs.
    app.use(RequestMetrics(runtime.metrics))

    app.error(handle_error)
    # A replayed submission or a retried event does its work once (both run modes).
    app.middleware(handled_once(runtime))
    router = CommandRouter()
    # Every listener is a module-level function; what it needs besides Slack's own
    # arguments reaches it the way Bolt passes context values: by parameter name.
    app.use(ListenerValues(runtime=runtime, router=router))
    # `/cx` first: Bolt tries listeners in order, building each matcher's arguments, so
    # the one listener every slash command goes to is found at once (~1 ms less per ack).
    commands.register(app, runtime=runtime, router=router)
    for module in HANDLER_MODULES:
        module.register(app, runtime=runtime, router=router)
    return app
