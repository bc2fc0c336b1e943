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


_MARKUP_START = re.compile(r"<(?=[!@#])")


def plain(text: str) -> str:
    """Make user text safe for a plain_text field without entities (Slack shows those as typed).

    A word joiner after ``<`` keeps ``<!here>``-like input from ever reading as markup, and
    looks the same; ``&`` ``<`` ``>`` stay as typed.
    """
    return _BARE_BROADCAST.sub(
        lambda m: "@" + _ZWJ + m.group(1), _MARKUP_START.sub("<" + _ZWJ, text)
    )


def truncate(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"


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
