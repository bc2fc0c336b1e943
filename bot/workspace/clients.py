"""Which workspaces a job should visit, each with its Web API client."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from bot.slack import make_client
from bot.workspace.installs import is_active
from bot.workspace.people import ensure_workspace

logger = logging.getLogger(__name__)


def workspace_clients(runtime: Runtime) -> Iterator[tuple[str, str, WebClient]]:
    """(team id, team name, client) for every installed, active workspace the app serves.

    With a single bot token that is the token's own workspace (auth.test). With
    OAuth it is every installation in the store, each with its own bot token; an
    Enterprise Grid org install is visited as the workspace its token reports.
    Uninstalled workspaces (inactive, installation deleted) are skipped.
    """
    store = runtime.installations
    if store is None:
        client = runtime.clients.default()
        auth = _auth(client, "the bot token")
        if auth is not None:
            yield auth[0], auth[1], client
        return
    for bot in store.installed_bots():
        label = bot.team_id or f"org {bot.enterprise_id}"
        client = make_client(runtime.settings, bot.bot_token)
        auth = _auth(client, label)
        if auth is None:
            continue
        team_id, name = auth
        with runtime.transaction() as session:
            active = is_active(session, slack_team_id=team_id)
            if active and bot.is_enterprise_install:
                ws = ensure_workspace(session, slack_team_id=team_id, name=name)
                ws.enterprise_id = bot.enterprise_id
        if active:
            yield team_id, name, client


def _auth(client: WebClient, label: str) -> tuple[str, str] | None:
    """(team id, team name) the token acts in, or None when Slack refuses the token."""
    try:
        auth = client.auth_test()
    except SlackApiError as exc:
        logger.warning("skipping %s: auth.test failed (%s)", label, exc.response.get("error"))
        return None
    return str(auth["team_id"]), str(auth.get("team") or "")


def for_each_workspace(
    runtime: Runtime, job_name: str, work: Callable[[str, str, WebClient], dict[str, Any]]
) -> dict[str, Any]:
    """Run ``work(team_id, name, client)`` per active workspace; a failure skips only that one."""
    report: dict[str, Any] = {}
    for team_id, name, client in workspace_clients(runtime):
        try:
            report[team_id] = work(team_id, name, client)
        except Exception as exc:  # logged with its traceback; the next workspace still runs
            logger.exception("job %s failed in workspace %s", job_name, team_id)
            report[team_id] = {"error": type(exc).__name__}
    return report
