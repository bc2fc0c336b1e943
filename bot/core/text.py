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


_MARKUP_START = re.compile(r"<(?=[!@#])")


def header_text(text: str) -> str:
    """User text for a plain_text header: shown as typed (no entities), never live markup.

    Slack does not parse plain_text, but a word joiner after ``<`` (and in a bare
    ``@here``) keeps such input from ever reading as a mention, and looks the same.
    """
    return _BARE_BROADCAST.sub(
        lambda m: "@" + _ZWJ + m.group(1), _MARKUP_START.sub("<" + _ZWJ, text)
    )


def truncate(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"


def escape_within(text: str, limit: int) -> str:
    """Escape ``text`` and shorten it so the escaped result fits in ``limit`` characters."""
    size = limit
    while size > 0:
        shown = escape(truncate(text, size))
        if len(shown) <= limit:
            return shown
        size = min(size - 1, size * limit // len(shown))
    return ""


def slack_link(url: str | None, label: str) -> str | None:
    """A mrkdwn link to ``url`` if it is a plain web address, else None."""
    if not url or not url.startswith(("https://", "http://")):
        return None
    if any(c in url for c in "<>| \n"):
        return None
    return f"<{url}|{label}>"


# Slack's markup in a message's text: <@U…|label>, <#C…|name>, <!here>, <url|label>.
_MARKUP = re.compile(r"<([^<>]*)>")
_USER_ID = re.compile(r"@([UW][A-Z0-9]+)")
_LINK = re.compile(r"(https?://|mailto:)", re.IGNORECASE)


def mentioned_users(text: str) -> list[str]:
    """The user ids ``text`` mentions, in order, once each."""
    found = (_USER_ID.fullmatch(m.split("|", 1)[0]) for m in _MARKUP.findall(text))
    return list(dict.fromkeys(m.group(1) for m in found if m))


def readable(text: str, names: dict[str, str] | None = None) -> str:
    """A message's text as a person reads it in Slack: names, not markup or entities.

    ``names`` maps user ids to the names shown for them (unknown ones show their id).
    """
    known = names or {}

    def shown(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            return "@" + (known.get(target[1:]) or label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            # <!here>, <!subteam^S1|@team>, <!date^…|fallback>: the label, or the keyword.
            return label or "@" + target[1:].split("^", 1)[0]
        if not _LINK.match(target):
            return match.group(0)  # not Slack markup: text someone typed, kept as typed
        address = target.removeprefix("mailto:")
        return f"{label} ({address})" if label and label != address else address

    plain = _MARKUP.sub(shown, text)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
