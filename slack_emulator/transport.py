"""Signing and sending requests to the app the way Slack does."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ActorResponse:
    """The app's HTTP answer to one request from the actor."""

    status: int
    body: str
    json: dict[str, Any] | None
    headers: dict[str, str]


def sign(secret: str, timestamp: str, body: str) -> str:
    """Return Slack's `v0=` request signature."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post_to_app(
    url: str,
    body: str,
    content_type: str,
    *,
    secret: str | None,
    timestamp: int | None = None,
    retry_num: int | None = None,
    timeout: float = 10.0,
) -> ActorResponse:
    """POST `body` to the app, signed with `secret` (None: unsigned)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an HTTP URL: {url}")
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts}
    if secret is not None:
        headers["X-Slack-Signature"] = sign(secret, ts, body)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    request = urllib.request.Request(url, body.encode(), headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return _answer(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return _answer(error.code, error.read(), dict(error.headers))


def _answer(status: int, raw: bytes, headers: dict[str, str]) -> ActorResponse:
    """Wrap an HTTP answer, parsing JSON bodies."""
    text = raw.decode("utf-8", errors="replace")
    parsed: dict[str, Any] | None = None
    try:
        decoded = json.loads(text) if text.strip() else None
        parsed = decoded if isinstance(decoded, dict) else None
    except json.JSONDecodeError:
        parsed = None
    return ActorResponse(status, text, parsed, headers)
