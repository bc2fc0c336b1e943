"""Which language the customer's story page speaks: the link's, else the browser's, else English.

The link carries ``?lang=`` when the staff member who made it works in a language other
than English (handlers/stories.py); otherwise the browser's Accept-Language decides, read by
Werkzeug's header parser (q-values, wildcards) and matched against the supported languages
by Babel's negotiation (``fr-CH`` → ``fr``, ``pt-BR`` → ``pt_BR``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from babel import Locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from bot.core.i18n import DEFAULT_LANGUAGE, SUPPORTED

# Babel's negotiation compares whole tags, then the language part ("fr-CH" → "fr"). Our
# Portuguese is Brazilian only, which Portuguese readers of either variety prefer to English.
_ALIASES = {"pt": "pt_BR", "pt-pt": "pt_BR"}
_AVAILABLE = [code.replace("_", "-") for code in SUPPORTED]


def from_query(value: str | None) -> str | None:
    """A supported language named in the link (``fr``, ``pt_BR`` or ``pt-BR``), else None."""
    if not value or len(value) > 16:
        return None
    wanted = value.replace("-", "_")
    return next((code for code in SUPPORTED if code.lower() == wanted.lower()), None)


def from_accept_language(header: str | None) -> str | None:
    """The browser's most preferred supported language, or None when it names none of them."""
    if not header:
        return None
    accepted = parse_accept_header(header[:1000], LanguageAccept)
    ranked = sorted(accepted, key=lambda item: -item[1])  # stable: header order among equals
    preferred = [value for value, quality in ranked if quality > 0 and value != "*"]
    found = Locale.negotiate(preferred, _AVAILABLE, sep="-", aliases=_ALIASES)
    return str(found) if found is not None else None


def page_language(*, query: str | None, accept_language: str | None) -> str:
    """The link's language, else the browser's best supported one, else English."""
    return from_query(query) or from_accept_language(accept_language) or DEFAULT_LANGUAGE


def with_language(url: str, language: str) -> str:
    """``url`` carrying ``language`` for the page (English, the fallback, needs nothing)."""
    if language == DEFAULT_LANGUAGE or language not in SUPPORTED:
        return url
    return f"{url}?{urlencode({'lang': language})}"
