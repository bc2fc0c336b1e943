"""A logging filter that keeps tokens, request/response bodies and answers out of every log.

slack_sdk logs each Web API call at DEBUG with its body and the response body (the
bot token from oauth.v2.access, the DM text); Bolt logs request bodies on some errors.
The filter sits on the handler ``cxpulse`` logs through, so every record passes it
whichever logger wrote it, at any level; it is also put on the slack_sdk, slack_bolt
and app loggers themselves for records logged there directly.

An exception's text is left out too (its type and traceback stay): a database error's
message can quote the values it failed on, a parser's the input it choked on.
"""

from __future__ import annotations

import logging
import re
import traceback

GUARDED_LOGGERS = ("slack_sdk", "slack_bolt", "slack_emulator", "bot", "handlers")
# Slack tokens (bot, user, app, refresh, config) and anything that looks like a Fernet token.
_TOKEN = re.compile(r"\b(xox[a-z]|xapp|xoxe(?:\.xox[a-z])?)-[A-Za-z0-9-]+")
# slack_sdk's "Sending a request - url: …, query_params: …, body_params: …" and
# "Received the following response - status: …, headers: …, body: …".
_BODY = re.compile(
    r"(,\s*)?\b(query_params|body_params|json_body|files|body|params|payload|data)\s*[:=].*",
    re.DOTALL,
)
_KEEP_HEAD = re.compile(
    r"^(Sending a request - url: \S+?|Received the following response - status: \d+)"
)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message without tokens or bodies; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep only its format string
            message = str(record.msg)
        redacted = redact(message, from_slack=record.name.startswith(("slack_sdk", "slack_bolt")))
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = without_messages(record.exc_info[1])
            record.exc_info = None
        return True


def without_messages(exc: BaseException) -> str:
    """``exc``'s traceback (its causes first, as Python prints them) with every message left out."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts = []
    for item in reversed(chain):
        kind = type(item)
        frames = "".join(traceback.format_tb(item.__traceback__))
        parts.append(
            f"Traceback (most recent call last):\n{frames}"
            f"{kind.__module__}.{kind.__qualname__}: [message redacted]"
        )
    return "\n\nwhich led to:\n\n".join(parts)


def redact(message: str, *, from_slack: bool) -> str:
    """``message`` without tokens; for Slack libraries' records, without any body either."""
    if from_slack:
        head = _KEEP_HEAD.match(message)
        if head is not None:
            message = f"{head.group(1).rstrip(',')} [body redacted]"
        else:
            message = _BODY.sub(r"\1\2: [redacted]", message)
    return _TOKEN.sub(lambda m: f"{m.group(1)}-[redacted]", message)


def guard(handler: logging.Handler) -> logging.Handler:
    """Put the filter on ``handler`` and on the guarded loggers; returns ``handler``."""
    safety = RedactingFilter()
    handler.addFilter(safety)
    for name in GUARDED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(safety)
    return handler
