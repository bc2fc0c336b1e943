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


_CONTROL = re.compile(r"<([^<>]*)>")


def _label(inner: str) -> str:
    """What Slack shows for one control sequence: its label, or the name it stands for."""
    target, _, label = inner.partition("|")
    if target.startswith("!subteam^"):
        return label or "@" + target.removeprefix("!subteam^")
    if target.startswith("!"):
        return label or "@" + target[1:].split("^", 1)[0]
    if target.startswith(("@", "#")):
        return target[0] + label.lstrip("@#") if label else target
    return label or target


def plain(text: str) -> str:
    """Slack's wire text as the person typed it: mentions and links as their labels
    (``<@U1|alex>`` → ``@alex``), then ``&amp;`` ``&lt;`` ``&gt;`` unescaped (``&amp;`` last).

    For text that is shown back in an input or matched against names, never for posting:
    post it through :func:`escape` again.
    """
    labelled = _CONTROL.sub(lambda m: _label(m.group(1)), text)
    return labelled.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"
