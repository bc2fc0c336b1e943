"""Installing the app into emulated workspaces through Bolt's real OAuth flow over HTTP."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.client import HTTPResponse
from urllib.parse import urlencode

from bot.demo.processes import new_emulator
from tests.support.stack import SandboxStack

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@contextmanager
def oauth_stack(db_url: str, **overrides: object) -> Iterator[SandboxStack]:
    """The app in OAuth (multi-workspace) mode: no bot token, client id and secret instead."""
    emulator = new_emulator()
    with SandboxStack.start(
        db_url,
        now=START,
        migrate=False,
        emulator=emulator,
        slack_bot_token=None,
        slack_client_id=emulator.client_id,
        slack_client_secret=emulator.client_secret,
        **overrides,
    ) as stack:
        yield stack


def _get(url: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback test server
    response: HTTPResponse = urllib.request.urlopen(request, timeout=10)  # noqa: S310
    return response


def install(
    stack: SandboxStack,
    team_id: str,
    name: str,
    *,
    enterprise_id: str | None = None,
    org_wide: bool = False,
) -> str:
    """GET /slack/install → state cookie → GET /slack/oauth_redirect; returns the bot token."""
    code = f"code-{team_id}"
    token = stack.emulator.add_oauth_code(
        code, team_id, name, enterprise_id=enterprise_id, is_enterprise_install=org_wide
    )
    with _get(stack.server.url + "/slack/install") as page:
        assert page.status == 200
        match = re.search(r"slack-app-oauth-state=([^;]+)", page.headers["Set-Cookie"])
        assert match, page.headers["Set-Cookie"]
        state = match.group(1)
        assert f"state={state}" in page.read().decode()
    query = urlencode({"code": code, "state": state})
    cookie = {"Cookie": f"slack-app-oauth-state={state}"}
    with _get(f"{stack.server.url}/slack/oauth_redirect?{query}", cookie) as done:
        body = done.read().decode()
        assert done.status == 200, body
    assert "Thank you" in body, body
    return token
