"""Raw HTTP to the app's doors: any bytes as body, path or header value, and the log checks."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from bot.core.logsafety import RedactingFilter
from tests.support.stack import SandboxStack

OUTCOMES_SECRET = "doors-outcomes-secret-with-plenty-of-entropy-9f2c"
# Planted in every hostile body: it must never reach a log, whatever the body's shape.
CANARY = "CANARY-7d1f0c"


@dataclass
class Answer:
    """One HTTP answer."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


def send(
    stack: SandboxStack,
    method: str,
    path: bytes | str,
    *,
    body: bytes = b"",
    headers: dict[str, bytes | str] | None = None,
) -> Answer:
    """One request on a fresh connection; header values and the path may be any bytes."""
    parts = urlsplit(stack.server.url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=15)
    try:
        target = path.decode("latin-1") if isinstance(path, bytes) else path
        conn.putrequest(method, target, skip_accept_encoding=True)
        sent = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in sent.items():
            conn.putheader(name, value.encode("utf-8") if isinstance(value, str) else value)
        conn.endheaders(body)
        response = conn.getresponse()
        data = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        conn.close()


def slack_signed(stack: SandboxStack, body: bytes) -> dict[str, bytes | str]:
    """Slack's signature headers over ``body``, raw bytes (which need not be UTF-8)."""
    ts = str(int(time.time()))
    signature = _v0(stack.emulator.signing_secret, ts, body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def _v0(secret: str, timestamp: str, body: bytes) -> str:
    """The v0 signature over raw bytes, UTF-8 or not (what a client could send)."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def outcomes_headers(stack: SandboxStack, body: bytes) -> dict[str, bytes | str]:
    """Headers a help desk sends with ``body``, signed with the install's outcomes secret."""
    ts = str(int(stack.clock().timestamp()))
    return {
        "Content-Type": "application/json",
        "X-CXPulse-Timestamp": ts,
        "X-CXPulse-Signature": _v0(OUTCOMES_SECRET, ts, body),
    }


def guarded(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """``caplog`` at DEBUG with the production log filter on its handler (as `cxpulse` has)."""
    caplog.set_level(logging.DEBUG)
    if not any(isinstance(f, RedactingFilter) for f in caplog.handler.filters):
        caplog.handler.addFilter(RedactingFilter())
    return caplog


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged so far as the handler formats it, tracebacks included."""
    return "\n".join(caplog.handler.format(r) for r in caplog.records)


def leaked(caplog: pytest.LogCaptureFixture, *secrets: bytes | str) -> list[str]:
    """Which of ``secrets`` (texts of 8+ characters) appear in the log."""
    text = logged(caplog)
    found = []
    for secret in secrets:
        value = secret.decode("utf-8", "replace") if isinstance(secret, bytes) else secret
        if len(value) >= 8 and value in text:
            found.append(value)
    return found
