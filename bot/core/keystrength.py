"""Whether CXPULSE_SECRET and CXPULSE_TOKEN_KEY carry 256 bits, and how to make one that does.

A database dump holds user ids, team ids and the weekly respondent keys made from them under
CXPULSE_SECRET, so a guessable secret can be tested offline until it reproduces a key. The
rule (docs/privacy/hardening.md), meant to pass every generated secret and refuse typed ones:

- length: 43+ characters of base64/base64url (6 bits each, as ``cxpulse secret`` and
  ``openssl rand -base64 32`` make), 64+ hex digits (4 bits each, ``openssl rand -hex 32``),
  or 64+ characters of any other text;
- looks random: at least 16 distinct characters (10 for hex), no 8-character run repeated,
  and base64 text has both lower- and upper-case letters.

A Fernet token key is always 32 bytes; it is refused when its bytes are few distinct values
or all printable text (a phrase encoded, not a key generated).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import string

_HEX = re.compile(r"^[0-9a-fA-F]+$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")
REPEAT = 8
HOW = "make one with `cxpulse secret`"


def new_secret() -> str:
    """A new 256-bit secret, URL-safe text (43 characters)."""
    return secrets.token_urlsafe(32)


def secret_problem(value: str) -> str | None:
    """Why ``value`` is too weak for CXPULSE_SECRET, or None when it carries 256 bits."""
    if _HEX.match(value):
        kind, needed, distinct = "hex digits", 64, 10
    elif _BASE64.match(value):
        kind, needed, distinct = "base64 characters", 43, 16
    else:
        kind, needed, distinct = "characters", 64, 16
    length = len(value.rstrip("=")) if kind.startswith("base64") else len(value)
    if length < needed:
        return f"it has {length} {kind}; 256 bits need at least {needed}"
    if len(set(value)) < distinct:
        return f"it uses only {len(set(value))} different characters"
    if _repeats(value):
        return f"a run of {REPEAT} characters occurs twice in it"
    if kind.startswith("base64") and (value.lower() == value or value.upper() == value):
        return "it has letters of one case only, unlike random base64"
    return None


def token_key_problem(key: str) -> str | None:
    """Why a (valid) Fernet key looks typed rather than generated, or None."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return "it is not url-safe base64"
    if len(set(raw)) < 20:
        return f"its 32 bytes take only {len(set(raw))} different values"
    if all(chr(b) in string.printable for b in raw):
        return "its 32 bytes are all printable text: a phrase, not a random key"
    return None


def _repeats(value: str) -> bool:
    seen: set[str] = set()
    for start in range(len(value) - REPEAT + 1):
        run = value[start : start + REPEAT]
        if run in seen:
            return True
        seen.add(run)
    return False
