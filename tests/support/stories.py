"""Steps shared by the story-page tests: a moment logged in Slack, its link, plain HTTP."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from bot.core import ids
from tests.support.moments import opened_view, valid_values
from tests.support.stack import SandboxStack

LINK = re.compile(r"/story/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Page:
    """One HTTP answer from the story page."""

    status: int
    headers: dict[str, str]
    text: str

    @property
    def cookie(self) -> str:
        """The ``name=value`` part of the page's Set-Cookie."""
        return self.headers.get("set-cookie", "").split(";")[0]

    @property
    def csrf(self) -> str:
        """The form's CSRF field."""
        found = CSRF.search(self.text)
        assert found, "no CSRF field on the page"
        return found.group(1)


def fetch(
    stack: SandboxStack,
    path: str,
    *,
    form: dict[str, str] | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Page:
    """GET ``path`` (POST when ``form`` or ``body`` is given) on the app's HTTP server."""
    parts = urlsplit(stack.server.url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    send = dict(headers or {})
    method = "GET"
    if form is not None:
        body = urlencode(form).encode()
    if body is not None:
        method = "POST"
        send.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        conn.request(method, path, body=body, headers=send)
        answer = conn.getresponse()
        text = answer.read().decode("utf-8")
        got = {k.lower(): v for k, v in answer.getheaders()}
        return Page(answer.status, got, text)
    finally:
        conn.close()


def log_a_moment(stack: SandboxStack, user: str, **changes: Any) -> dict[str, Any]:
    """Log a moment through `/cx moment` and the modal; the ephemeral confirmation."""
    before = len(stack.emulator.calls_to("chat.postEphemeral"))
    count = len(stack.emulator.calls_to("views.open")) + 1
    stack.actor.slash_command(user, "moment")
    stack.actor.submit_view(user, opened_view(stack, count), valid_values(**changes))
    stack.emulator.wait_for("chat.postEphemeral", count=before + 1)
    confirmation = [m for m in stack.emulator.ephemerals if m.get("to_user") == user][-1]
    return confirmation


def ask_for_link(stack: SandboxStack, user: str, message: dict[str, Any]) -> str:
    """Click "Ask the customer to tell it" on ``message``; the link's token from the answer."""
    before = len(stack.emulator.responses)
    stack.actor.click(user, message=message, action_id=ids.STORY_ASK)
    posted = stack.emulator.wait_for("response_url", count=before + 1)[-1]
    found = LINK.search(str(posted.args))
    assert found, f"no link in {posted.args}"
    return found.group(1)
