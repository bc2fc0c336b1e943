"""Making user-provided text safe to post as mrkdwn."""

from __future__ import annotations

import re

# Zero-width joiner breaks the @ so Slack will not auto-link "@here"/"@channel".
_ZWJ = "\u2060"
_BARE_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)


def escape(text: str) -> str:
    """Escape ``&<>`` as Slack asks and defuse bare @here/@channel/@everyone.

    After this no input can produce a live mention, link or broadcast: the
    control sequences Slack parses all start with ``<``.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BARE_BROADCAST.sub(lambda m: "@" + _ZWJ + m.group(1), escaped)


def truncate(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"
