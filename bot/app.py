"""The app factory: a Bolt App with every handler module registered."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from types import ModuleType

from slack_bolt import App, BoltContext
from slack_bolt.error import BoltError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.runtime import ClientProvider, Runtime, real_clock
from bot.web.bolt_ack import install_prompt_ack
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
)
from handlers.once import handled_once, release_unanswered
from handlers.router import CommandRouter
from models.db import make_engine, make_sessionmaker

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
    outcomes,
    notes,
    digest,
    leads,
    installs,
    direct_messages,
)


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
    install_prompt_ack()
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
    )

    # A replayed submission or a retried event does its work once (both run modes).
    app.middleware(handled_once(runtime))

    @app.error
    def on_error(error: Exception, body: dict[str, object], context: BoltContext) -> None:
        release_unanswered(context)
        if isinstance(error, BoltError):
            logger.warning("bolt: %s", error)
        else:
            logger.error("unhandled error for %s", body.get("type"), exc_info=error)

    router = CommandRouter()
    # `/cx` first: Bolt tries listeners in order, building each matcher's arguments, so
    # the one listener every slash command goes to is found at once (~1 ms less per ack).
    commands.register(app, runtime=runtime, router=router)
    for module in HANDLER_MODULES:
        module.register(app, runtime=runtime, router=router)
    return app
