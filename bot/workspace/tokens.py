"""Slack tokens encrypted at rest with Fernet (``cryptography``), keys from CXPULSE_TOKEN_KEY.

CXPULSE_TOKEN_KEY holds one or more Fernet keys, comma-separated, newest first.
Tokens are written with the first and read with any of them (``MultiFernet``), so a
key is rotated by putting a new one in front, running ``cxpulse db rotate-tokens`` (which
re-encrypts every stored token with the new key), then dropping the old one.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Engine, select, update

TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
# Every Fernet token starts with the version byte 0x80, base64url-encoded as "gAAAAA".
FERNET_PREFIX = "gAAAAA"


class TokenKeyError(ValueError):
    """CXPULSE_TOKEN_KEY is missing, malformed, or cannot decrypt a stored token."""


def parse_keys(raw: str) -> list[str]:
    """The comma-separated keys of CXPULSE_TOKEN_KEY, each checked to be a Fernet key."""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise TokenKeyError("CXPULSE_TOKEN_KEY is empty")
    for i, key in enumerate(keys, 1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise TokenKeyError(
                f"CXPULSE_TOKEN_KEY key #{i} is not a Fernet key (32 url-safe base64 bytes); "
                "make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'"
            ) from None
    return keys


class TokenCipher:
    """Encrypts tokens with the newest key; decrypts with any."""

    def __init__(self, keys: list[str]) -> None:
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

    def seal(self, token: str | None) -> str | None:
        """The token encrypted (None stays None; an already encrypted value stays as it is)."""
        if token is None or token.startswith(FERNET_PREFIX):
            return token
        return self._fernet.encrypt(token.encode()).decode()

    def open(self, stored: str | None) -> str | None:
        """The clear token from what is stored."""
        if stored is None or not stored.startswith(FERNET_PREFIX):
            return stored
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            raise TokenKeyError(
                "a stored Slack token cannot be decrypted with CXPULSE_TOKEN_KEY "
                "(was the key that encrypted it removed?)"
            ) from None

    def rotate(self, stored: str | None) -> str | None:
        """The stored value re-encrypted with the newest key."""
        if stored is None or not stored.startswith(FERNET_PREFIX):
            return self.seal(stored)
        return self._fernet.rotate(stored.encode()).decode()


def rotate_stored_tokens(engine: Engine, cipher: TokenCipher) -> int:
    """Re-encrypt every stored Slack token with the newest key; returns the values changed."""
    from models.installations import BOTS_TABLE, INSTALLATIONS_TABLE

    changed = 0
    with engine.begin() as conn:
        for table in (BOTS_TABLE, INSTALLATIONS_TABLE):
            columns = [c for c in TOKEN_COLUMNS if c in table.c]
            for row in conn.execute(select(table)).mappings().all():
                values = {c: cipher.rotate(row[c]) for c in columns if row[c]}
                if values:
                    conn.execute(update(table).where(table.c.id == row["id"]).values(**values))
                    changed += len(values)
    return changed
