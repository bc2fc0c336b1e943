"""What reaches /slack/events without Slack's signature headers is refused as unauthorised."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bot.core.web.server import EVENTS_PATH
from tests.support.stack import SandboxStack


def post(stack: SandboxStack, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    body = json.dumps({"type": "url_verification", "challenge": "x"}).encode()
    request = urllib.request.Request(  # noqa: S310 - the local test server
        stack.server.url + EVENTS_PATH,
        body,
        {"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return int(answer.status), json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Signature": "v0=abc"},
        {"X-Slack-Request-Timestamp": "1700000000"},
        {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"},
    ],
    ids=["none", "no-timestamp", "no-signature", "bad-timestamp"],
)
def test_a_request_without_slacks_signature_headers_gets_401(
    stack: SandboxStack, headers: dict[str, str]
) -> None:
    status, body = post(stack, headers)
    assert status == 401
    assert "signature" in body["error"]
