"""Which workspaces a job should visit, each with its Web API client."""

from __future__ import annotations

from collections.abc import Iterator

from slack_sdk import WebClient

from bot.runtime import Runtime


def workspace_clients(runtime: Runtime) -> Iterator[tuple[str, str, WebClient]]:
    """(team id, team name, client) for every workspace the app serves.

    With a single bot token that is the token's own workspace (auth.test).
    """
    client = runtime.clients.default()
    auth = client.auth_test()
    yield auth["team_id"], auth.get("team") or "", client
