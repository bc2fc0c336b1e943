"""``CXPULSE_LOG_FORMAT=json``: one JSON object per line, for log collectors.

The redacting filter (``bot.core.logsafety``) sits on the handler and runs before any formatter,
so a JSON line holds the same redacted message a text line would.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot.ops.metrics import request_id


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, and the Slack request's id while one is handled."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = request_id.get()
        if current is not None:
            entry["request_id"] = current
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def use_log_format(handler: logging.Handler, log_format: str) -> None:
    """Give ``handler`` the formatter ``CXPULSE_LOG_FORMAT`` asks for (text is already set)."""
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
