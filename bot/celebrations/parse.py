"""Reading `/cx celebrate` text as Slack sends it, and checking it can be posted.

No Slack imports: the handlers post; this module knows text. Typed names are matched to
people in ``names.py``.

Slack sends slash-command text with real mentions as control sequences (``<@U123>``,
``<@U123|name>``, ``<!subteam^S123|@handle>``, ``<!here>``) and everything the person typed
as entity-escaped text (a typed ``<@U999>`` arrives as ``&lt;@U999&gt;``). Only the control
sequences for people and user groups become mentions; everything else is plain text that
the views escape again before posting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.core.i18n import ENGLISH, Translator

MAX_REASON_CHARS = 1000
MAX_PEOPLE = 30

PieceKind = Literal["text", "user", "group", "name"]

_CONTROL = re.compile(r"<([^<>]*)>")
_USER = re.compile(r"^@([UW][A-Z0-9]+)(?:\|(.*))?$", re.DOTALL)
_GROUP = re.compile(r"^!subteam\^([A-Z0-9]+)(?:\|(.*))?$", re.DOTALL)
_BROADCAST = re.compile(r"^!(here|channel|everyone)(?:\|.*)?$", re.DOTALL)
_CHANNEL = re.compile(r"^#([CG][A-Z0-9]+)(?:\|(.*))?$", re.DOTALL)
_OTHER_SPECIAL = re.compile(r"^!\w[^|]*(?:\|(.*))?$", re.DOTALL)
_TAG = re.compile(r"(?<![\w&#/])#([A-Za-z][\w-]{0,63})")
_TRAILING_TAGS = re.compile(r"(?:\s*#[A-Za-z][\w-]{0,63})+[\s.!]*$")
_LEADING_FOR = re.compile(r"^\s*(?:for\b:?)\s*", re.IGNORECASE)
_JOINER = re.compile(r"^[\s,;:&+]*(?:(?:and|&amp;)[\s,]*)?$", re.IGNORECASE)
_HAS_WORDS = re.compile(r"\w")
# A typed @name Slack left as text (no escaping, or a name it didn't recognise).
_NAME = re.compile(r"(?<![\w@.&<])@(?!(?:here|channel|everyone)\b)(\w[\w.'-]*\w|\w)")


class CelebrationError(ValueError):
    """Input that cannot be celebrated; ``text(t)`` is a friendly sentence in the reader's
    language (``str(error)`` is the English one, for logs)."""

    def __init__(
        self, say: Callable[[Translator], str], *, field: Literal["people", "reason"]
    ) -> None:
        super().__init__(say(ENGLISH))
        self.say = say
        self.field = field

    def text(self, t: Translator) -> str:
        """The sentence in ``t``'s language."""
        return self.say(t)


@dataclass(frozen=True)
class Piece:
    """Part of a reason: plain text, a person or user group the app will mention, or a
    typed ``@name`` still to be resolved to a person."""

    kind: PieceKind
    value: str
    label: str = ""
    # Text the person typed (as opposed to text made from a link): only it can carry #values.
    typed: bool = False


@dataclass(frozen=True)
class ParsedCelebration:
    """Who is celebrated (user ids, group ids), why (pieces) and the company values tagged."""

    people: tuple[str, ...]
    groups: tuple[str, ...]
    reason: tuple[Piece, ...]
    values: tuple[str, ...]
    names: tuple[str, ...] = ()

    @property
    def reason_text(self) -> str:
        """The reason as plain, readable text (mentions as ``@name``), for storage."""
        return "".join(_plain(p) for p in self.reason).strip()


def _plain(piece: Piece) -> str:
    if piece.kind == "text":
        return piece.value
    if piece.kind == "name":
        return "@" + piece.value
    return "@" + (piece.label.lstrip("@") or piece.value)


def unescape(text: str) -> str:
    """Undo Slack's escaping of typed ``&<>`` (``&amp;`` last, so ``&amp;lt;`` stays ``&lt;``)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _control_piece(inner: str) -> Piece:
    """Turn one ``<...>`` control sequence into a mention or harmless text."""
    if match := _USER.match(inner):
        return Piece("user", match.group(1), unescape(match.group(2) or ""))
    if match := _GROUP.match(inner):
        return Piece("group", match.group(1), unescape(match.group(2) or ""))
    if match := _BROADCAST.match(inner):
        # Kept as the bare word; the views defuse it, so it never notifies anyone.
        return Piece("text", "@" + match.group(1))
    if match := _CHANNEL.match(inner):
        return Piece("text", "#" + unescape(match.group(2) or match.group(1)))
    if match := _OTHER_SPECIAL.match(inner):
        return Piece("text", unescape(match.group(1) or ""))
    target, _, label = inner.partition("|")
    return Piece("text", unescape(label or target))


def _typed_pieces(escaped: str) -> list[Piece]:
    """Typed text, with each plain ``@name`` as a piece of its own."""
    text = unescape(escaped)
    pieces: list[Piece] = []
    position = 0
    for match in _NAME.finditer(text):
        if match.start() > position:
            pieces.append(Piece("text", text[position : match.start()], typed=True))
        pieces.append(Piece("name", match.group(1)))
        position = match.end()
    if position < len(text):
        pieces.append(Piece("text", text[position:], typed=True))
    return pieces


def _pieces(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for match in _CONTROL.finditer(text):
        if match.start() > position:
            pieces.extend(_typed_pieces(text[position : match.start()]))
        pieces.append(_control_piece(match.group(1)))
        position = match.end()
    if position < len(text):
        pieces.extend(_typed_pieces(text[position:]))
    return pieces


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _tags(pieces: Sequence[Piece], company_values: Sequence[str]) -> tuple[str, ...]:
    known = {v.lower(): v for v in company_values}
    found = (
        known[tag.lower()]
        for p in pieces
        if p.kind == "text" and p.typed
        for tag in _TAG.findall(p.value)
        if tag.lower() in known
    )
    return _unique(found)


def _strip_reason(pieces: list[Piece], company_values: Sequence[str]) -> list[Piece]:
    """Drop a leading "for" and known value tags trailing at the end of the reason."""
    known = {v.lower() for v in company_values}
    if pieces and pieces[0].kind == "text":
        first = pieces[0]
        pieces[0] = Piece("text", _LEADING_FOR.sub("", first.value, count=1), typed=first.typed)
    if pieces and pieces[-1].kind == "text" and pieces[-1].typed:
        last = pieces[-1].value
        trailing = _TRAILING_TAGS.search(last)
        if trailing and all(t.lower() in known for t in _TAG.findall(trailing.group(0))):
            pieces[-1] = Piece("text", last[: trailing.start()].rstrip(), typed=True)
    return [p for p in pieces if p.kind != "text" or p.value]


def parse_celebration(text: str, *, company_values: Sequence[str]) -> ParsedCelebration:
    """Read `/cx celebrate` text: leading mentions, an optional "for", the reason, #values.

    Everyone mentioned anywhere is celebrated; the mentions before the reason are not
    repeated in it. Unknown ``#tags`` stay in the text as typed.
    """
    pieces = _pieces(text)
    lead_end = 0
    for index, piece in enumerate(pieces):
        if piece.kind != "text":
            lead_end = index + 1
        elif not _JOINER.match(piece.value):
            break
    has_leading = any(p.kind != "text" for p in pieces[:lead_end])
    reason = _strip_reason(list(pieces[lead_end:] if has_leading else pieces), company_values)
    return ParsedCelebration(
        people=_unique(p.value for p in pieces if p.kind == "user"),
        groups=_unique(p.value for p in pieces if p.kind == "group"),
        reason=tuple(reason),
        values=_tags(pieces, company_values),
        names=_unique(p.value for p in pieces if p.kind == "name"),
    )


def with_people(parsed: ParsedCelebration, found: dict[str, tuple[str, str]]) -> ParsedCelebration:
    """``parsed`` with each typed ``@name`` replaced by the person ``found`` maps it to.

    ``found`` maps a name to (user id, display name); every name must be in it.
    """
    reason = tuple(Piece("user", *found[p.value]) if p.kind == "name" else p for p in parsed.reason)
    return ParsedCelebration(
        people=_unique([*parsed.people, *(found[name][0] for name in parsed.names)]),
        groups=parsed.groups,
        reason=reason,
        values=parsed.values,
    )


def from_form(
    *, people: Sequence[str], reason: str, values: Sequence[str], company_values: Sequence[str]
) -> ParsedCelebration:
    """A celebration from the modal: picked people, raw typed reason, picked values."""
    allowed = {v.lower(): v for v in company_values}
    picked = _unique(allowed[v.lower()] for v in values if v.lower() in allowed)
    text = reason.strip()
    return ParsedCelebration(
        people=_unique(people),
        groups=(),
        reason=(Piece("text", text, typed=True),) if text else (),
        values=_unique((*picked, *_tags([Piece("text", text, typed=True)], company_values))),
    )


def check_celebration(parsed: ParsedCelebration, *, celebrated_by: str) -> None:
    """Raise CelebrationError with a friendly sentence when ``parsed`` cannot be posted."""
    mentions = len(parsed.people) + len(parsed.groups) + len(parsed.names)
    length = len(parsed.reason_text)
    if not mentions:
        raise CelebrationError(
            lambda t: t.gettext(
                "Who are we celebrating? Mention them, e.g. `/cx celebrate @alex for turning "
                "ACME's outage into a renewal #customerfirst`."
            ),
            field="people",
        )
    if mentions > MAX_PEOPLE:
        raise CelebrationError(
            lambda t: t.ngettext(
                "That's more than %(n)s mention. Mention a user group instead (e.g. "
                "@support-team), or split it into a few celebrations.",
                "That's more than %(n)s mentions. Mention a user group instead (e.g. "
                "@support-team), or split it into a few celebrations.",
                MAX_PEOPLE,
            ),
            field="people",
        )
    if not _HAS_WORDS.search(parsed.reason_text):
        raise CelebrationError(
            lambda t: t.gettext(
                "What are we celebrating them for? Add a sentence after the mentions, e.g. "
                "`/cx celebrate @alex for calming down a furious customer`."
            ),
            field="reason",
        )
    if length > MAX_REASON_CHARS:
        raise CelebrationError(
            lambda t: t.ngettext(
                "That's a lovely story, but a bit long for a celebration: please keep it under "
                "%(n)s character (it has %(length)s).",
                "That's a lovely story, but a bit long for a celebration: please keep it under "
                "%(n)s characters (it has %(length)s).",
                MAX_REASON_CHARS,
                length=t.number(length),
            ),
            field="reason",
        )
    if parsed.people == (celebrated_by,) and not parsed.groups:
        raise CelebrationError(
            lambda t: t.gettext(
                "Celebrations are for recognising others. If you'd like your own win "
                "celebrated, mention the people you did it with, or ask another lead."
            ),
            field="people",
        )
