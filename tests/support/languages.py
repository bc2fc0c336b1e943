"""What a reader sees in a payload, and the English catalog text still left in it (used by
every language test, tests/e2e/test_languages.py included)."""

from __future__ import annotations

import re
from typing import Any

from babel.messages.pofile import read_po

from bot.core.i18n import LOCALE_DIR

PLACEHOLDER = re.compile(r"%\(\w+\)s")
SHORTEST_FRAGMENT = 10  # shorter pieces of a msgid ("Pause", " of 5, ") are not telling

# Each Slack locale the language tests read in, with its catalog (written out here rather
# than taken from bot/core/i18n.py, so a wrong mapping there fails them).
LANGUAGE = {"fr-FR": "fr", "de-DE": "de", "es-ES": "es", "pt-BR": "pt_BR", "ja-JP": "ja"}
LOCALES = sorted(LANGUAGE)
# Someone else's locale for each (the next one round): a second person reading along.
OTHER = dict(zip(LOCALES, LOCALES[1:] + LOCALES[:1], strict=True))


def texts(payload: Any) -> list[str]:
    """Every text a person can read or hear in a payload (texts, labels, alt texts)."""
    found: list[str] = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key in ("text", "accessibility_label", "alt_text") and isinstance(value, str):
                found.append(value)
            else:
                found.extend(texts(value))
    elif isinstance(payload, list):
        for item in payload:
            found.extend(texts(item))
    return found


def english_left(language: str, shown: list[str]) -> list[str]:
    """English msgids (or long pieces of them) the language words differently, still shown."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    left = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid, translation in zip(ids, strings, strict=False):
            if not msgid or msgid == translation:
                continue
            pieces = [p for p in PLACEHOLDER.split(msgid) if len(p.strip()) >= SHORTEST_FRAGMENT]
            if any(msgid == text for text in shown) or any(
                piece in text for piece in pieces for text in shown
            ):
                left.append(msgid)
    return left
