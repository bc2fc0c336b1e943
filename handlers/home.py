"""App Home: published on app_home_opened, built from sections feature modules add."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blockkit.ids import HOME_REFRESH
from bot.core.disclosure import effective_threshold
from bot.core.i18n import ENGLISH
from bot.home.views import build_home_unavailable_view, build_home_view
from bot.runtime import Runtime
from bot.workspace.config import effective_config
from bot.workspace.people import translator_for
from handlers.router import CommandRouter
from models import Workspace

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HomeRequest:
    """Who is looking at their App Home."""

    team_id: str
    user_id: str


# A section builder returns Block Kit blocks for this viewer (or none).
HomeSection = Callable[[Session, Runtime, HomeRequest], list[dict[str, Any]]]
_SECTIONS: list[tuple[int, HomeSection]] = []


def add_home_section(order: int, section: HomeSection) -> None:
    """Let a feature contribute blocks to App Home; lower ``order`` shows first."""
    if all(existing is not section for _, existing in _SECTIONS):
        _SECTIONS.append((order, section))
        _SECTIONS.sort(key=lambda pair: pair[0])


def threshold_for(session: Session, runtime: Runtime, team_id: str) -> int:
    """The anonymity threshold in force in a workspace (what every promise must say)."""
    ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
    config = effective_config(session, settings=runtime.settings, workspace=ws)
    return effective_threshold(config.anonymity_threshold)


def publish_home(client: WebClient, runtime: Runtime, request: HomeRequest) -> None:
    """Build and publish ``request.user_id``'s App Home (a polite note if it cannot be built)."""
    t = ENGLISH  # until the person's language is read (the apology needs one too)
    try:
        blocks: list[dict[str, Any]] = []
        with runtime.sessions() as session:
            t = translator_for(
                session, slack_team_id=request.team_id, slack_user_id=request.user_id
            )
            for _, section in _SECTIONS:
                blocks.extend(section(session, runtime, request))
            threshold = threshold_for(session, runtime, request.team_id)
        view = build_home_view(blocks, threshold=threshold, t=t)
    except Exception:
        logger.exception("App Home for %s could not be built", request.user_id)
        view = build_home_unavailable_view(t)
    client.views_publish(user_id=request.user_id, view=view)


def refresh_home(client: WebClient, runtime: Runtime, request: HomeRequest) -> None:
    """Re-publish the Home soon, off the request thread; repeated asks for one person merge."""
    runtime.background.submit(
        ("home", request.team_id, request.user_id),
        lambda: publish_home(client, runtime, request),
    )


def handle_home_opened(
    event: dict[str, Any], context: BoltContext, client: WebClient, runtime: Runtime
) -> None:
    """app_home_opened: publish this person's Home (off the request thread)."""
    if event.get("tab", "home") != "home":
        return
    request = HomeRequest(team_id=context.get("team_id") or "", user_id=event["user"])
    refresh_home(client, runtime, request)


def handle_refresh(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, runtime: Runtime
) -> None:
    """The Home's "Try again" button."""
    ack()
    request = HomeRequest(team_id=context.get("team_id") or "", user_id=body["user"]["id"])
    refresh_home(client, runtime, request)


def register(app: App, *, runtime: Runtime, router: CommandRouter) -> None:
    """Publish App Home whenever someone opens it."""
    app.event("app_home_opened")(handle_home_opened)
    app.action(HOME_REFRESH)(handle_refresh)
