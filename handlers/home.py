"""App Home: published on app_home_opened, built from the sections features add."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.core.features import HomeRequest, HomeSections
from bot.home.delivery import refresh_home
from bot.runtime import Runtime


def handle_home_opened(
    event: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    runtime: Runtime,
    home: HomeSections,
) -> None:
    """app_home_opened: publish this person's Home (off the request thread)."""
    if event.get("tab", "home") != "home":
        return
    request = HomeRequest(team_id=context.get("team_id") or "", user_id=event["user"])
    refresh_home(client, runtime, home, request)


def handle_refresh(
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    runtime: Runtime,
    home: HomeSections,
) -> None:
    """The Home's "Try again" button."""
    ack()
    request = HomeRequest(team_id=context.get("team_id") or "", user_id=body["user"]["id"])
    refresh_home(client, runtime, home, request)
