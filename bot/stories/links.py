"""One-time story links: 128 random bits, signed, stored only as a hash.

The signature (itsdangerous, HMAC-SHA256 under CXPULSE_SECRET) lets the page refuse a
guessed or mangled link before touching the database; the hash means a database dump
holds no link that works.
"""

from __future__ import annotations

import hashlib
import secrets

from itsdangerous import BadSignature, Signer

RANDOM_BYTES = 16  # 128 bits
_SALT = "cxpulse.story-link"


def _signer(secret: str) -> Signer:
    return Signer(secret, salt=_SALT, digest_method=hashlib.sha256)


def new_token(secret: str) -> str:
    """A fresh link token: ``<random>.<signature>``, URL-safe."""
    return _signer(secret).sign(secrets.token_urlsafe(RANDOM_BYTES)).decode("ascii")


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_signed(token: str, secret: str) -> bool:
    """True when ``token`` was made by :func:`new_token` under ``secret``."""
    if not token or len(token) > 200 or not token.isascii():
        return False
    try:
        _signer(secret).unsign(token.encode("ascii"))
    except BadSignature:
        return False
    return True


def form_key(secret: str, cookie: str, token: str) -> str:
    """The CSRF field value bound to this browser's cookie and this link."""
    return _signer(secret).get_signature(f"csrf:{cookie}:{token_hash(token)}").decode("ascii")


def form_key_matches(secret: str, cookie: str, token: str, submitted: str) -> bool:
    """Constant-time check of a submitted CSRF field (as bytes: any text may be submitted)."""
    if not cookie or not submitted:
        return False
    expected = form_key(secret, cookie, token).encode("ascii")
    return secrets.compare_digest(expected, submitted.encode("utf-8", "surrogatepass"))
