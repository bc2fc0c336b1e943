"""The one ``v0`` signature check behind every signed door: slack_sdk's SignatureVerifier.

Slack's requests and help desks' ``POST /outcomes`` are signed the same way (HMAC-SHA256 of
``v0:<timestamp>:<body>``). slack_sdk does the arithmetic; this module only makes sure it is
handed values it can compare. ``hmac.compare_digest`` raises TypeError on a str that is not
ASCII, and ``int()`` accepts digits of other scripts, so a header of any other bytes is
refused here as "not signed" instead of surfacing as a 500.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.signature import Clock, SignatureVerifier

MAX_AGE_SECONDS = 5 * 60  # slack_sdk's window, named here for the message


class FixedClock(Clock):
    """slack_sdk's clock, stopped at ``now`` (the app's own clock, settable in tests)."""

    def __init__(self, now: datetime) -> None:
        self._now = now.timestamp()

    def now(self) -> float:
        """The moment the request is judged at, in Unix seconds."""
        return self._now


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The ``v0=`` signature of ``body`` sent at ``timestamp`` (Unix seconds, as text)."""
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None  # only None without a timestamp
    return signature


def unsigned_reason(
    verifiers: list[SignatureVerifier],
    *,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    header_names: tuple[str, str],
) -> str | None:
    """None when one of ``verifiers`` signed ``body`` at a fresh timestamp; else why not.

    ``header_names`` are the (timestamp, signature) headers, named in the answers.
    """
    ts_header, sig_header = header_names
    if not timestamp or not signature:
        return f"missing signature: send {ts_header} and {sig_header}"
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return f"bad signature timestamp: {ts_header} must be Unix seconds"
    if not signature.isascii():
        return "the signature does not match"
    try:
        body.decode("utf-8")  # slack_sdk signs text; a body that is not UTF-8 is not signed
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    for verifier in verifiers:
        if abs(verifier.clock.now() - int(timestamp)) > MAX_AGE_SECONDS:
            return "stale: the timestamp is more than 5 minutes from now"
        if verifier.is_valid(body, timestamp, signature):
            return None
    return "the signature does not match"
