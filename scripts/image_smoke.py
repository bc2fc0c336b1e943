"""The image smoke test's two helpers, run inside the image itself on the host's network.

``image_smoke.py slack`` serves the repo's Slack emulator on a free loopback port (the app
checks its token with auth.test at start-up, and CI reaches no real Slack) and prints the
settings that point the app at it. ``image_smoke.py check http://127.0.0.1:PORT /healthz
/readyz /metrics`` checks a running server the way Slack and an orchestrator reach it.
The signing secret is read from SMOKE_SIGNING_SECRET; the server gets SMOKE_WAIT_SECONDS
(default 180) to start answering. Exits 1 naming every failed check.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from slack_sdk.signature import SignatureVerifier

# The Prometheus text format's Content-Type starts with this; its lines with "# TYPE ".
PROMETHEUS_TYPE = "text/plain"


def fetch(
    url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """(status, Content-Type, body) of one request; HTTP errors are answers, not failures."""
    request = urllib.request.Request(url, body, headers or {}, method="POST" if body else "GET")  # noqa: S310 - http to the server under test
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
            return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def wait_until_up(base: str, seconds: float) -> str | None:
    """None once /healthz answers at all (start-up runs migrations first), else the problem."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fetch(base + "/healthz")
            return None
        except (OSError, urllib.error.URLError) as error:
            if time.monotonic() > deadline:
                return f"no answer from {base}/healthz within {seconds:.0f} s: {error}"
            time.sleep(1)


def check_endpoint(base: str, path: str) -> str | None:
    """None when ``GET path`` answers 200 (and /metrics speaks Prometheus), else the problem."""
    status, content_type, body = fetch(base + path)
    if status != 200:
        return f"GET {path}: HTTP {status}: {body[:300]}"
    if path == "/metrics" and (
        not content_type.startswith(PROMETHEUS_TYPE) or "# TYPE " not in body
    ):
        return f"GET /metrics: not the Prometheus text format ({content_type!r})"
    return None


def slash_command(secret: str, text: str) -> tuple[bytes, dict[str, str]]:
    """A /cx slash command as Slack posts it: form-encoded, signed with v0 HMAC-SHA256."""
    body = urllib.parse.urlencode(
        {
            "token": "smoke",
            "team_id": os.environ.get("SMOKE_TEAM_ID", "T0SANDBOX"),
            "team_domain": "smoke",
            "channel_id": "C0SMOKE",
            "channel_name": "smoke",
            "user_id": "U0SMOKE",
            "user_name": "smoke",
            "command": "/cx",
            "text": text,
            "api_app_id": "A0SMOKE",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": "1.2.smoke",
        }
    ).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }
    return body, headers


def check_help(base: str, secret: str) -> str | None:
    """A signed `/cx help` is answered 200 with the help, ephemerally, in the response."""
    body, headers = slash_command(secret, "help")
    status, _, answer = fetch(base + "/slack/events", body, headers)
    if status != 200:
        return f"signed /cx help: HTTP {status}: {answer[:300]}"
    try:
        message = json.loads(answer)
    except ValueError:
        return f"signed /cx help: not JSON: {answer[:300]}"
    if message.get("response_type") != "ephemeral" or "/cx" not in message.get("text", ""):
        return f"signed /cx help: not the ephemeral help: {answer[:300]}"
    return None


def check_bad_signature(base: str, secret: str) -> str | None:
    """The same request signed with another secret is refused: the check above means something."""
    body, headers = slash_command(secret + "-wrong", "help")
    status, _, answer = fetch(base + "/slack/events", body, headers)
    if status != 401:
        return f"/cx help with a wrong signature: HTTP {status}, expected 401: {answer[:300]}"
    return None


def serve_slack() -> int:
    """Serve the emulator until SIGTERM, after printing its URL, bot token and team."""
    from slack_emulator import SlackEmulator

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with SlackEmulator() as slack:
        print(f"SLACK_API_URL={slack.api_url}", flush=True)
        print(f"SLACK_BOT_TOKEN={slack.bot_token}", flush=True)
        print(f"SMOKE_TEAM_ID={slack.team_id}", flush=True)
        stop.wait()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[1] == "slack":
        return serve_slack()
    if len(argv) < 3 or argv[1] != "check":
        print("usage: image_smoke.py slack | check BASE_URL [PATH...]", file=sys.stderr)
        return 2
    base, paths = argv[2].rstrip("/"), argv[3:]
    secret = os.environ.get("SMOKE_SIGNING_SECRET", "")
    if not secret:
        print("image_smoke.py: set SMOKE_SIGNING_SECRET", file=sys.stderr)
        return 2
    problem = wait_until_up(base, float(os.environ.get("SMOKE_WAIT_SECONDS", "180")))
    if problem is not None:
        print(f"  FAIL {problem}")
        return 1
    checks = [(f"GET {path} 200", lambda p=path: check_endpoint(base, p)) for path in paths]
    checks.append(("signed /cx help 200", lambda: check_help(base, secret)))
    checks.append(("wrongly signed /cx help 401", lambda: check_bad_signature(base, secret)))
    failures = 0
    for name, check in checks:
        problem = check()
        print(
            f"  {'ok  ' if problem is None else 'FAIL'} {name}"
            + (f": {problem}" if problem else "")
        )
        failures += problem is not None
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
